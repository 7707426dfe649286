//! The floor of the benchmark: calamine alone reading workbooks into memory, every
//! sheet of every file given, as `consolida` ingests them, and nothing else.
//!
//! `target/release/read_floor FILE.xlsx...` (built by `bench/run.sh`) prints one line of
//! JSON: the wall time in seconds and the number of cells decoded.

use calamine::{open_workbook_auto, Data, Range, Reader};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        return Err("usage: read_floor FILE.xlsx...".into());
    }
    let started = Instant::now();
    let mut ranges: Vec<Range<Data>> = Vec::new();
    for path in &paths {
        let mut workbook = open_workbook_auto(path)?;
        for name in workbook.sheet_names() {
            ranges.push(workbook.worksheet_range(&name)?);
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let cells: usize = ranges.iter().map(|r| r.used_cells().count()).sum();
    println!("{{\"seconds\": {seconds:.6}, \"cells\": {cells}}}");
    Ok(())
}
