//! Compares consolida's own xlsx reader with calamine's route on every `.xlsx`
//! and `.xlsm` under a folder, cell by cell and merged region by merged
//! region (`consolida::differential::compare`), then, with `--mutations N`,
//! on N damaged copies of each (one damage inside a part each: the workbook
//! part, a worksheet, the shared strings or the styles). Prints the totals,
//! every file where the readers disagree, and exits 1 when there is one.
//!
//! ```sh
//! cargo run --release --example compare_xlsx_readers -- /work/corpus --mutations 2 --seed 21
//! ```
//! `scripts/compare_xlsx_corpus.sh` runs it.

use consolida::differential::mutate::Random;
use consolida::differential::{compare, workbooks_under, Comparison, Verdict};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (mut folder, mut mutations, mut seed) = (None, 0usize, 21u64);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| {
            let value = args.next().and_then(|v| v.parse::<u64>().ok());
            value.unwrap_or_else(|| panic!("{name} takes a number"))
        };
        match arg.as_str() {
            "--mutations" => mutations = number("--mutations") as usize,
            "--seed" => seed = number("--seed"),
            _ if folder.is_none() => folder = Some(PathBuf::from(arg)),
            _ => panic!("usage: compare_xlsx_readers FOLDER [--mutations N] [--seed S]"),
        }
    }
    let Some(folder) = folder else {
        eprintln!("usage: compare_xlsx_readers FOLDER [--mutations N] [--seed S]");
        return ExitCode::from(2);
    };
    let files = workbooks_under(&folder);

    let mut whole = Tally::default();
    let mut damaged = Tally::default();
    let mut random = Random::seeded(seed);
    for file in &files {
        let shown = file.strip_prefix(&folder).unwrap_or(file).display();
        let bytes = match std::fs::read(file) {
            Ok(bytes) => bytes,
            Err(e) => {
                println!("{shown}: cannot be read: {e}");
                continue;
            }
        };
        whole.add(&compare(&bytes), &shown.to_string(), "");
        for _ in 0..mutations {
            let Some(mutation) = random.mutation(&bytes) else {
                break;
            };
            let Some(mutated) = consolida::differential::mutate::mutate(&bytes, &mutation) else {
                damaged.no_site += 1;
                continue;
            };
            let class = format!("{:?}", mutation.damage);
            damaged.add(&compare(&mutated), &format!("{shown}, {mutation}"), &class);
        }
    }
    println!(
        "\nWell-formed workbooks under {}: {} files",
        folder.display(),
        files.len()
    );
    whole.print();
    if mutations > 0 {
        println!(
            "\nDamaged copies ({mutations} a file, seed {seed}; {} mutations found no place in their part):",
            damaged.no_site
        );
        damaged.print();
    }
    if whole.disagreements + damaged.disagreements > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// What the comparisons of one run found.
#[derive(Default)]
struct Tally {
    verdicts: BTreeMap<&'static str, usize>,
    /// Damage class → workbooks read that calamine refuses.
    silent_by_class: BTreeMap<String, usize>,
    sheets: usize,
    cells: usize,
    merges: usize,
    /// Cells and regions of the workbooks both readers read alike.
    cells_same: usize,
    merges_same: usize,
    disagreements: usize,
    no_site: usize,
}

impl Tally {
    fn add(&mut self, comparison: &Comparison, what: &str, class: &str) {
        self.sheets += comparison.sheets;
        self.cells += comparison.cells;
        self.merges += comparison.merges;
        let name = match &comparison.verdict {
            Verdict::Same => {
                self.cells_same += comparison.cells;
                self.merges_same += comparison.merges;
                "read alike by both"
            }
            Verdict::BothRefuse => "refused by both",
            Verdict::HandedToCalamine {
                calamine_refuses: false,
            } => {
                if class.is_empty() {
                    println!("HANDED {what}: calamine reads it");
                }
                "handed to calamine, which reads it"
            }
            Verdict::HandedToCalamine {
                calamine_refuses: true,
            } => "handed to calamine, which refuses it",
            Verdict::Different(differences) => {
                println!("DIFFERENT {what}:");
                for difference in differences {
                    println!("    {difference}");
                }
                "read differently"
            }
            Verdict::ReadsWhatCalamineRefuses(reason) => {
                *self.silent_by_class.entry(class.to_string()).or_default() += 1;
                println!("SILENT READ {what}: calamine: {reason}");
                "read by the own reader, refused by calamine"
            }
            Verdict::RefusesWhatCalamineReads(reason) => {
                println!("REFUSED {what}: {reason}");
                "refused by the own reader, read by calamine"
            }
            Verdict::Panicked => {
                println!("PANIC {what}");
                "the own reader panicked"
            }
        };
        if !comparison.agrees() {
            self.disagreements += 1;
        }
        *self.verdicts.entry(name).or_default() += 1;
    }

    fn print(&self) {
        for (verdict, count) in &self.verdicts {
            println!("  {count:>7}  {verdict}");
        }
        println!(
            "  calamine read {} sheets, {} cells, {} merged regions; {} cells and {} regions read alike by both readers",
            self.sheets, self.cells, self.merges, self.cells_same, self.merges_same
        );
        for (class, count) in &self.silent_by_class {
            println!("  read though calamine refuses them, damage {class}: {count}");
        }
        println!("  disagreements: {}", self.disagreements);
    }
}
