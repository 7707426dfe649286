//! What calamine does not report of xlsb and ods sheets, read straight from the
//! package with the zip and XML readers calamine itself uses: their merged
//! regions, and the errors saved as the value of formula cells (calamine 0.38
//! gives none for xlsb and plain text for ods, where xlsx and xls give errors).
//! [`xlsb`] reads the binary records of an xlsb package, [`ods`] the
//! `content.xml` of an ods one; the positions they give are calamine's. [`xlsx`]
//! reads the merged regions of xlsx sheets, which calamine reports only by
//! parsing each sheet a second time.
//!
//! The readers stream the part, keep nothing but what they report, and keep at
//! most [`MAX_MERGES`] regions and [`MAX_ERRORS`] error cells of a sheet; huge
//! repeat counts are only added up.

mod ods;
mod xlsb;
mod xlsx;

pub(crate) use ods::{is_ods, ods};
pub(crate) use xlsb::xlsb;
pub(crate) use xlsx::{merge_cells, workbook_sheets, xlsx};

use super::limits::{Capped, Refusal, Refusals};
use super::Merge;
use calamine::CellErrorType;
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader as XmlReader;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, Cursor, Read};
use zip::read::ZipFile;
use zip::ZipArchive;

/// At most this many merged regions of a sheet are kept: far more than a person
/// merges by hand, few enough that looking a cell up among them stays quick.
pub(crate) const MAX_MERGES: usize = 10_000;

/// At most this many error cells of a sheet are read as errors; beyond them an
/// ods error stays the text calamine gives it (still not a value).
pub(crate) const MAX_ERRORS: usize = 100_000;

/// What calamine leaves out of one sheet.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SheetExtras {
    /// The sheet's merged regions, at most [`MAX_MERGES`].
    pub(crate) merges: Vec<Merge>,
    /// Formula cells whose saved value is an error: (row, column), the error.
    pub(crate) errors: Vec<((u32, u32), CellErrorType)>,
    /// Why calamine must not be given the sheet (a cell beyond the sheet's
    /// limits, a table it would build far beyond the cells); the scan stops at
    /// the first sheet refused.
    pub(crate) refusal: Option<Refusal>,
}

/// What calamine leaves out, by sheet name; sheets with nothing left out are absent.
pub(crate) type Extras = HashMap<String, SheetExtras>;

/// The refusal of one of the sheets of `extras`, if a scan refused one (it
/// stops there, so there is at most one).
pub(crate) fn refusal(extras: &Extras) -> Option<Refusal> {
    extras.values().find_map(|sheet| sheet.refusal.clone())
}

/// A part of a [`Package`] being read.
pub(crate) type Part<'p, 'a> = Capped<ZipFile<'p, Cursor<&'a [u8]>>>;

/// A zip package whose parts are found by name regardless of case and of `\\`
/// for `/`, as calamine finds them, and read through a [`Capped`] reader each.
/// A clone reads the same package (on another thread) and shares its refusals.
#[derive(Clone)]
pub(crate) struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    names: HashMap<String, String>,
    /// The package's size: no part holds more compressed bytes.
    size: u64,
    refusals: Refusals,
}

impl<'a> Package<'a> {
    pub(crate) fn open(bytes: &'a [u8]) -> Result<Package<'a>, String> {
        let zip = ZipArchive::new(Cursor::new(bytes)).map_err(|e| e.to_string())?;
        let names = zip
            .file_names()
            .map(|name| name.map(|name| (normalised(&name), name.into_owned())))
            .collect::<Result<_, _>>()
            .map_err(|e| e.to_string())?;
        Ok(Package {
            zip,
            names,
            size: bytes.len() as u64,
            refusals: Refusals::default(),
        })
    }

    /// The part named `name`, if the package has it, read through a
    /// [`Capped`] reader.
    ///
    /// # Errors
    /// A description of the damage, or of the refusal (then also among
    /// [`Package::refusals`]) when the part declares a size beyond its limit.
    pub(crate) fn part(&mut self, name: &str) -> Result<Option<Part<'_, 'a>>, String> {
        let Some(actual) = self.names.get(&normalised(name)) else {
            return Ok(None);
        };
        let file = self
            .zip
            .by_name(actual)
            .map_err(|e| format!("{name}: {e}"))?;
        let compressed = file.compressed_size().min(self.size);
        let declared = file.size();
        Capped::new(file, actual, compressed, declared, &self.refusals)
            .map(Some)
            .map_err(|refusal| refusal.message)
    }

    /// The names of every part, in the package's order.
    pub(crate) fn part_names(&self) -> Vec<String> {
        let names = self.zip.file_names().filter_map(|name| name.ok());
        names.map(|name| name.into_owned()).collect()
    }

    /// The refusals of the parts read so far, by this package and its clones.
    pub(crate) fn refusals(&self) -> &Refusals {
        &self.refusals
    }
}

fn normalised(name: &str) -> String {
    name.replace('\\', "/").to_ascii_lowercase()
}

fn xml_reader<R: BufRead>(reader: R) -> XmlReader<R> {
    let mut xml = XmlReader::from_reader(reader);
    let config = xml.config_mut();
    config.check_end_names = false;
    config.check_comments = false;
    xml
}

/// The value of attribute `name` of `element`, unescaped.
pub(crate) fn attribute(element: &BytesStart<'_>, name: &str) -> Result<Option<String>, String> {
    let Some(attr) = element.try_get_attribute(name).map_err(|e| e.to_string())? else {
        return Ok(None);
    };
    quick_xml::escape::unescape(&attr.value)
        .map(|v| Some(v.into_owned()))
        .map_err(|e| e.to_string())
}

/// What calamine leaves out of every worksheet of an OOXML package (xlsx or
/// xlsb): `workbook` names the workbook part, whose relationships part gives each
/// sheet's part; `list` reads the sheets' names and relationship ids from the
/// workbook part, and `read` one sheet's part (given the sheet's name). Sheets
/// with nothing left out are absent; a sheet whose part is missing is passed
/// over, as calamine does; the sheets after a refused one are not read.
fn worksheets(
    bytes: &[u8],
    workbook: &str,
    list: impl FnOnce(&mut dyn Read) -> Result<Vec<(String, String)>, String>,
    mut read: impl FnMut(&str, &mut dyn Read) -> Result<SheetExtras, String>,
) -> Result<Extras, String> {
    let mut zip = Package::open(bytes)?;
    let file_name = workbook.rsplit('/').next().unwrap_or(workbook);
    let targets = match zip.part(&format!("xl/_rels/{file_name}.rels"))? {
        Some(part) => relationships(BufReader::new(part))?,
        None => HashMap::new(),
    };
    let mut part = zip
        .part(workbook)?
        .ok_or_else(|| format!("the package has no {workbook}"))?;
    let sheets = list(&mut part)?;
    drop(part);
    let mut extras = Extras::new();
    for (name, relationship) in sheets {
        let Some((target, _)) = targets.get(&relationship) else {
            continue;
        };
        let path = match target.strip_prefix('/') {
            Some(absolute) => absolute.to_string(),
            None => format!("xl/{target}"),
        };
        let Some(mut part) = zip.part(&path)? else {
            continue;
        };
        let sheet = read(&name, &mut part).map_err(|e| format!("sheet '{name}': {e}"))?;
        let refused = sheet.refusal.is_some();
        if sheet != SheetExtras::default() {
            extras.insert(name, sheet);
        }
        if refused {
            break;
        }
    }
    Ok(extras)
}

/// `Id` → (`Target`, the last word of `Type` when it has one) of every
/// `Relationship` of a relationships part.
pub(crate) fn relationships(
    reader: impl BufRead,
) -> Result<HashMap<String, (String, Option<String>)>, String> {
    let mut found = HashMap::new();
    each_element(reader, "Relationship", |e| {
        if let (Some(id), Some(target)) = (attribute(e, "Id")?, attribute(e, "Target")?) {
            // A type that cannot be read is no type.
            let kind = attribute(e, "Type").ok().flatten();
            let kind = kind.map(|kind| kind.rsplit('/').next().unwrap_or_default().to_string());
            found.insert(id, (target, kind));
        }
        Ok(())
    })?;
    Ok(found)
}

/// Calls `each` with every element named `name` (by its local name, start or
/// empty tag) of an XML part, in document order.
pub(crate) fn each_element(
    reader: impl BufRead,
    name: &str,
    mut each: impl FnMut(&BytesStart<'_>) -> Result<(), String>,
) -> Result<(), String> {
    let mut xml = xml_reader(reader);
    let mut buf = Vec::new();
    loop {
        match xml.read_event_into(&mut buf).map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == name => {
                each(&e)?;
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
        buf.clear();
    }
}

/// A merged region from its corners, for the readers' tests.
#[cfg(test)]
pub(crate) fn merge(first_row: u32, first_col: u32, last_row: u32, last_col: u32) -> Merge {
    Merge {
        first_row,
        first_col,
        last_row,
        last_col,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn not_a_package_is_an_error() {
        assert!(xlsb(b"not a zip").is_err());
        assert!(ods(b"not a zip").is_err());
    }
}
