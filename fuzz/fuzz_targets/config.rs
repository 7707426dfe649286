//! Any text as `consolida.toml`, and, when it parses, the configuration applied
//! to a small member list: errors are fine, panics are not.

#![no_main]

use consolida::{normalise, read_tables, Config, InputFile};
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

const MEMBERS: &[u8] = b"Elenco soci\n\nCodice fiscale;Categoria;Cluster;Data adesione\n01;PMI;Mobilit\xe0;01/02/2020\n02;Universit\xe0;Energia;2021-01-01\nTotale;2\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(config) = Config::parse(text, "fuzz.toml") else {
        return;
    };
    let tables = read_tables(MEMBERS, true, "soci.csv").expect("the member list reads");
    let file = InputFile {
        path: PathBuf::from("soci.csv"),
        display: "soci.csv".into(),
        sha256: String::new(),
        tables,
    };
    let _ = normalise(vec![(file, "soci.csv".to_string())], &config);
});
