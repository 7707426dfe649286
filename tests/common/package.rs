//! The parts of an `.xlsx` package (a zip of XML files), for tests that look inside.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Every part of the package at `path`, by name.
pub fn parts(path: &Path) -> BTreeMap<String, Vec<u8>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut zip = zip::ZipArchive::new(file).expect("an xlsx is a zip package");
    (0..zip.len())
        .map(|i| {
            let mut part = zip.by_index(i).unwrap();
            let mut bytes = Vec::new();
            part.read_to_end(&mut bytes).unwrap();
            (part.name().unwrap().to_string(), bytes)
        })
        .collect()
}

/// One part as text.
pub fn text(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    let bytes = parts
        .get(name)
        .unwrap_or_else(|| panic!("no part {name} in {:?}", parts.keys().collect::<Vec<_>>()));
    String::from_utf8(bytes.clone()).unwrap()
}
