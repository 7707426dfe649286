//! Any bytes, read as a workbook and as delimited text, then normalised without
//! a configuration and with one that maps columns: errors are fine, panics are not.

#![no_main]

use consolida::config::Config;
use consolida::ingest::{read_tables, InputFile};
use consolida::normalise::normalise;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;

const MAPPED: &str = r#"
clusters = ["Mobilità", "Energia"]
[[source]]
path = "*"
kind = "projects"
[source.columns]
project_id = "CUP"
project_value = "Valore"
[source.defaults]
cluster = "Energia"
financing = "0"
"#;

fuzz_target!(|data: &[u8]| {
    let mapped = Config::parse(MAPPED, "fuzz.toml").expect("the fuzz configuration is valid");
    for delimited in [false, true] {
        let Ok(tables) = read_tables(data.to_vec(), delimited, "fuzz") else {
            continue;
        };
        let file = InputFile {
            path: PathBuf::from("fuzz"),
            display: "fuzz".into(),
            sha256: String::new(),
            tables,
        };
        let files = vec![(file, "fuzz".to_string())];
        let _ = normalise(&files, &Config::default(), "");
        let _ = normalise(&files, &mapped, "fuzz.toml");
    }
});
