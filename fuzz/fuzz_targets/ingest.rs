//! Any bytes, read as a workbook and as delimited text, then normalised without
//! a configuration and with one that maps columns: errors are fine, panics are not.

#![no_main]

use consolida::{normalise, read_tables, Config, InputFile};
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
        let Ok(tables) = read_tables(data, delimited, "fuzz") else {
            continue;
        };
        let file = InputFile {
            path: PathBuf::from("fuzz"),
            display: "fuzz".into(),
            sha256: String::new(),
            tables,
        };
        let again = InputFile {
            path: file.path.clone(),
            display: file.display.clone(),
            sha256: String::new(),
            tables: file.tables.clone(),
        };
        let _ = normalise(vec![(file, "fuzz".to_string())], &Config::default());
        let _ = normalise(vec![(again, "fuzz".to_string())], &mapped);
    }
});
