//! The glue: turns the parsed command line into a run of the pipeline and an exit
//! code (0 success; 1 data errors under `--strict` or breaches under
//! `--fail-on-breach`, and `validate` with errors; 2 usage or configuration;
//! 3 an unreadable input; 4 a report that could not be produced or written).

use crate::aggregate::{aggregate, ReportMeta};
use crate::cli::{Cli, Command, Format, InputArgs, RunArgs, ValidateArgs};
use crate::config::Config;
use crate::console::Console;
use crate::error::{Error, Result};
use crate::ingest::{self, InputFile};
use crate::normalise::{normalise, Dataset};
use crate::period::Period;
use crate::render::{self, RenderOptions};
use crate::report::{InputSummary, Report};
use chrono::{NaiveDateTime, NaiveTime};
use clap::Parser;
use std::path::{Path, PathBuf};

/// Runs the command line of this process and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let (input, result) = match cli.command {
        None => (cli.run.input.clone(), run(&cli.run)),
        Some(Command::Run(args)) => (args.input.clone(), run(&args)),
        Some(Command::Validate(args)) => (args.input.clone(), validate(&args)),
        Some(Command::Template(args)) => {
            let console = Console {
                format: crate::cli::LogFormat::Text,
                quiet: false,
            };
            return finish(&console, crate::template::write(&args));
        }
    };
    let console = Console {
        format: input.log_format,
        quiet: input.quiet,
    };
    finish(&console, result)
}

fn finish(console: &Console, result: Result<i32>) -> i32 {
    match result {
        Ok(code) => code,
        Err(e) => {
            console.error(&e.to_string(), e.exit_code());
            e.exit_code()
        }
    }
}

/// The inputs of a run, read and normalised.
pub struct Loaded {
    pub config: Config,
    pub config_summary: Option<InputSummary>,
    pub data: Dataset,
}

/// Reads the configuration and every input file of `args.inputs`, and normalises them.
///
/// # Errors
/// [`Error::Usage`] for a missing folder or no input files, [`Error::Config`] for
/// a bad configuration, [`Error::UnreadableInput`] for a file that cannot be read.
pub fn load(args: &InputArgs) -> Result<Loaded> {
    if !args.inputs.is_dir() {
        return Err(Error::Usage(format!(
            "The inputs folder '{}' does not exist; give the folder with --inputs.",
            args.inputs.display()
        )));
    }
    let (config, config_summary, config_display) = load_config(args)?;
    let files = read_inputs(&args.inputs)?;
    let data = normalise(&files, &config, &config_display)?;
    Ok(Loaded {
        config,
        config_summary,
        data,
    })
}

fn load_config(args: &InputArgs) -> Result<(Config, Option<InputSummary>, String)> {
    let default = args.inputs.join("consolida.toml");
    let path = match &args.config {
        Some(path) if !path.is_file() => {
            return Err(Error::Usage(format!(
                "The configuration file '{}' does not exist.",
                path.display()
            )));
        }
        Some(path) => path.clone(),
        None if default.is_file() => default,
        None => return Ok((Config::default(), None, String::new())),
    };
    let display = path.display().to_string();
    let config = Config::load(&path, &display)?;
    let bytes = std::fs::read(&path).map_err(|e| Error::Config {
        path: display.clone(),
        line: None,
        message: e.to_string(),
    })?;
    let summary = InputSummary {
        path: display.clone(),
        kind: "config".into(),
        sha256: ingest::sha256_hex(&bytes),
        ..InputSummary::default()
    };
    Ok((config, Some(summary), display))
}

/// Every input file of the folder, sorted by name, with its path relative to the folder.
fn read_inputs(dir: &Path) -> Result<Vec<(InputFile, String)>> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        Error::Usage(format!(
            "The inputs folder '{}' cannot be listed: {e}.",
            dir.display()
        ))
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && ingest::is_input_file(p))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(Error::Usage(format!(
            "The inputs folder '{}' holds no spreadsheet or CSV file ({}).",
            dir.display(),
            ingest::EXTENSIONS.join(", ")
        )));
    }
    paths
        .iter()
        .map(|path| {
            let relative = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let display = dir.join(&relative).display().to_string();
            ingest::read_file(path, &display).map(|file| (file, relative))
        })
        .collect()
}

fn run(args: &RunArgs) -> Result<i32> {
    let console = Console {
        format: args.input.log_format,
        quiet: args.input.quiet,
    };
    let period = match &args.period {
        Some(text) => text.parse::<Period>().map_err(Error::Usage)?,
        None => Period::current(),
    };
    console.progress(&format!("Reading {}…", args.input.inputs.display()));
    let loaded = load(&args.input)?;
    console.progress(&format!("Writing the {period} report…"));
    let meta = ReportMeta {
        issuer: loaded.config.issuer.clone().unwrap_or_default(),
        subject: loaded.config.title.clone().unwrap_or_default(),
        config: loaded.config_summary.clone(),
    };
    let mut report = aggregate(&loaded.data, &loaded.config, period, meta)?;
    report
        .issues
        .extend(crate::restate::check(&report, &args.out));
    let files = render_all(&report, args, &console)?;
    let dir = args.out.join(period.to_string());
    let written = render::write::write_all(&dir, &files, &report)?;
    console.end_progress();
    console.issues(&report.issues);
    console.info(&closing_line(&report, &dir, written.len()));
    Ok(exit_code(&report, args))
}

fn render_all(
    report: &Report,
    args: &RunArgs,
    console: &Console,
) -> Result<Vec<(String, Vec<u8>)>> {
    let options = RenderOptions {
        lang: args.lang,
        created: creation_time(report.period)?,
    };
    let stem = format!("consolida-{}", report.period);
    let fail = |e: render::RenderError| Error::Internal(e.to_string());
    let mut files = Vec::new();
    if args.format.contains(&Format::Xlsx) {
        files.push((
            format!("{stem}.xlsx"),
            render::xlsx::render(report, &options).map_err(fail)?,
        ));
    }
    if args.format.contains(&Format::Pdf) {
        let pdf = render::pdf::render_with_glyphs(report, &options).map_err(fail)?;
        for ch in &pdf.missing_glyphs {
            console.warning(&format!(
                "{stem}.pdf: the embedded font has no glyph for '{ch}' (U+{:04X}); it is drawn as a replacement mark (�) in the PDF.",
                u32::from(*ch)
            ));
        }
        files.push((format!("{stem}.pdf"), pdf.bytes));
    }
    if args.format.contains(&Format::Csv) {
        files.extend(render::csv::render(report).map_err(fail)?);
    }
    if args.format.contains(&Format::Parquet) {
        files.extend(render::parquet::render(report).map_err(fail)?);
    }
    files.push((
        "summary.json".into(),
        render::json::render(report).map_err(fail)?,
    ));
    Ok(files)
}

/// The creation time written into the documents: `SOURCE_DATE_EPOCH` when set,
/// otherwise midnight of the period's last day, so reruns are byte-identical.
///
/// # Errors
/// [`Error::Usage`] when `SOURCE_DATE_EPOCH` is not a number of seconds.
pub fn creation_time(period: Period) -> Result<NaiveDateTime> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(text) => text
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
            .map(|dt| dt.naive_utc())
            .ok_or_else(|| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH='{text}' is not a number of seconds since 1970."
                ))
            }),
        Err(_) => Ok(period.last_day().and_time(NaiveTime::MIN)),
    }
}

fn closing_line(report: &Report, dir: &Path, files: usize) -> String {
    let counts = report.issue_counts();
    format!(
        "consolida {}: {} members, {} projects, {} cap breaches, {} errors, {} warnings; {} files in {}",
        report.period,
        report.members.total(),
        report.projects.portfolio.count,
        report.audit.breaches().count(),
        counts.errors,
        counts.warnings,
        files,
        dir.display()
    )
}

fn exit_code(report: &Report, args: &RunArgs) -> i32 {
    let data_problems = args.strict && report.issue_counts().errors > 0;
    let breaches = args.fail_on_breach && report.audit.breaches().next().is_some();
    i32::from(data_problems || breaches)
}

fn validate(args: &ValidateArgs) -> Result<i32> {
    let console = Console {
        format: args.input.log_format,
        quiet: args.input.quiet,
    };
    let loaded = load(&args.input)?;
    let counts = crate::issues::IssueCounts::of(&loaded.data.issues);
    console.issues(&loaded.data.issues);
    let mut files: Vec<&str> = loaded.data.inputs.iter().map(|i| i.path.as_str()).collect();
    files.dedup();
    let rows: u64 = loaded.data.inputs.iter().map(|i| i.rows).sum();
    let rejected: u64 = loaded.data.inputs.iter().map(|i| i.rejected).sum();
    console.info(&format!(
        "consolida validate: {} files, {rows} rows read, {rejected} rejected, {} errors, {} warnings",
        files.len(),
        counts.errors,
        counts.warnings
    ));
    Ok(i32::from(counts.errors > 0))
}
