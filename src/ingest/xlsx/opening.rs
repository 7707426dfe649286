//! The small parts calamine reads when it opens an xlsx, opened by calamine
//! itself: the package's and the workbook's relationships, the workbook
//! part, the styles and the theme. calamine refuses a workbook for what it
//! finds wrong in any of them (XML cut short or not closed, an attribute
//! without its quotes, a colour it cannot parse, a sheet state it does not
//! know), most of which the own reader never looks at; opening them with
//! calamine gives exactly its verdict, so the own reader never reads a
//! workbook that calamine would refuse there. These parts are small (a few
//! kilobytes; the styles of a large workbook a few hundred), and each is
//! inflated first through the package's capped readers, since calamine
//! inflates them without a limit.
//!
//! The shared strings and the worksheets, the large parts, are not given to
//! calamine here: the own reader reads them only when they are well-formed
//! ([`super::sheet`], [`super::strings`]).

use crate::ingest::package::Package;
use calamine::{open_workbook_from_rs, Xlsx};
use std::io::Cursor;
use zip::{ZipArchive, ZipWriter};

/// The parts calamine 0.38 reads in `Xlsx::new`, but for the shared strings,
/// by their names lowercased (calamine finds a part whatever its case).
const OPENED_PARTS: [&str; 5] = [
    "_rels/.rels",
    "xl/_rels/workbook.xml.rels",
    "xl/workbook.xml",
    "xl/styles.xml",
    "xl/theme/theme1.xml",
];

/// Whether calamine opens the package `bytes` when it holds only the parts it
/// reads on opening, but the shared strings. Each part is inflated first
/// through `package`'s capped readers: one beyond its limit is recorded among
/// the package's refusals, and the answer is then `false`.
pub(super) fn calamine_opens(bytes: &[u8], package: &mut Package<'_>) -> bool {
    let Some(opened) = opened_parts(bytes, package) else {
        return false;
    };
    open_workbook_from_rs::<Xlsx<_>, _>(Cursor::new(opened)).is_ok()
}

/// A package of the parts of `bytes` that calamine reads on opening, copied
/// as they are stored; `None` when one cannot be read or copied.
fn opened_parts(bytes: &[u8], package: &mut Package<'_>) -> Option<Vec<u8>> {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut out = ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..zip.len() {
        let file = zip.by_index_raw(index).ok()?;
        let name = file.name().ok()?.replace('\\', "/").to_ascii_lowercase();
        if !OPENED_PARTS.contains(&name.as_str()) {
            continue;
        }
        let mut part = package.part(&name).ok()??;
        std::io::copy(&mut part, &mut std::io::sink()).ok()?;
        out.raw_copy_file(file).ok()?;
    }
    Some(out.finish().ok()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::differential::mutate::package_of;

    const WORKBOOK: &[u8] =
        br#"<workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;

    fn opens(parts: &[(&str, &[u8])]) -> bool {
        let mut all = vec![
            (
                "_rels/.rels",
                &br#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#[..],
            ),
            (
                "xl/_rels/workbook.xml.rels",
                br#"<Relationships><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
            ),
        ];
        all.extend_from_slice(parts);
        let bytes = package_of(&all);
        let mut package = Package::open(&bytes).unwrap();
        calamine_opens(&bytes, &mut package)
    }

    #[test]
    fn what_calamine_refuses_on_opening_is_seen() {
        assert!(opens(&[("xl/workbook.xml", WORKBOOK)]));
        // An XML declaration not closed.
        let declaration = br#"<?xml version="1.0" <workbook><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        assert!(!opens(&[("xl/workbook.xml", declaration)]));
        // The state exceljs writes (tests/fixtures/xlsx_corpus/exceljs).
        let shown = br#"<workbook><sheets><sheet name="S" state="show" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
        assert!(!opens(&[("xl/workbook.xml", shown)]));
        // Styles cut short.
        let cut = br#"<styleSheet><fonts count="1"><font><sz val="11"/>"#;
        assert!(!opens(&[
            ("xl/workbook.xml", WORKBOOK),
            ("xl/styles.xml", cut)
        ]));
        let styles =
            br#"<styleSheet><fonts count="1"><font><sz val="11"/></font></fonts></styleSheet>"#;
        assert!(opens(&[
            ("xl/workbook.xml", WORKBOOK),
            ("xl/styles.xml", styles)
        ]));
    }

    #[test]
    fn a_part_beyond_its_limit_is_refused_before_calamine_sees_it() {
        let mut bomb = b"<styleSheet>".to_vec();
        bomb.resize(bomb.len() + (16 << 20) + 1, b' ');
        let bytes = package_of(&[("xl/workbook.xml", WORKBOOK), ("xl/styles.xml", &bomb)]);
        let mut package = Package::open(&bytes).unwrap();
        assert!(!calamine_opens(&bytes, &mut package));
        assert!(package.refusals().first().is_some());
    }
}
