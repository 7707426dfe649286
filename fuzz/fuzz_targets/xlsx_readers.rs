//! The two xlsx readers, consolida's own and calamine's, on well-formed
//! workbooks damaged inside their parts: the workbook part, a worksheet, the
//! shared strings, the styles. The input picks a workbook and up to four
//! damages, seven bytes each (the part, the kind of damage, where, a byte);
//! whatever they do, the own reader must give calamine's cells and merged
//! regions, hand the workbook to calamine, or refuse it where calamine
//! refuses it too. Reading what calamine refuses as damaged is a failure.

#![no_main]

use consolida::differential::compare;
use consolida::differential::mutate::{damageable_parts, mutate, Mutation, DAMAGES};
use libfuzzer_sys::fuzz_target;

/// Workbooks from other projects' tests (tests/fixtures/xlsx_corpus, with
/// their sources and licences), written by Excel, LibreOffice, Google Docs
/// and exceljs: merged regions, dates, errors, rich and prefixed text.
const WORKBOOKS: [&[u8]; 6] = [
    include_bytes!("../../tests/fixtures/xlsx_corpus/calamine/merge_cells.xlsx"),
    include_bytes!("../../tests/fixtures/xlsx_corpus/calamine/errors.xlsx"),
    include_bytes!("../../tests/fixtures/xlsx_corpus/calamine/richtext-namespaced.xlsx"),
    include_bytes!("../../tests/fixtures/xlsx_corpus/tealeg_xlsx/googleDocsTest.xlsx"),
    include_bytes!("../../tests/fixtures/xlsx_corpus/sheetjs/text_and_numbers.xlsx"),
    include_bytes!("../../tests/fixtures/xlsx_corpus/rust_xlsxwriter/format24.xlsx"),
];

/// The bytes that say one damage.
const DAMAGE_BYTES: usize = 7;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, script)) = data.split_first() else {
        return;
    };
    let mut bytes = WORKBOOKS[usize::from(pick) % WORKBOOKS.len()].to_vec();
    let mut done = Vec::new();
    for damage in script.chunks_exact(DAMAGE_BYTES).take(4) {
        let parts = damageable_parts(&bytes);
        if parts.is_empty() {
            break;
        }
        let site = u32::from_le_bytes([damage[2], damage[3], damage[4], damage[5]]);
        let mutation = Mutation {
            part: parts[usize::from(damage[0]) % parts.len()].clone(),
            damage: DAMAGES[usize::from(damage[1]) % DAMAGES.len()],
            site: site as usize,
            byte: damage[6],
        };
        if let Some(damaged) = mutate(&bytes, &mutation) {
            bytes = damaged;
            done.push(mutation.to_string());
        }
    }
    let comparison = compare(&bytes);
    assert!(
        comparison.agrees(),
        "after {done:?}: {:?}",
        comparison.verdict
    );
});
