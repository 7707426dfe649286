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
use crate::render::write::{ReportWriter, Written};
use crate::render::{self, RenderOptions};
use crate::report::{InputSummary, Report};
use crate::schema::InputKind;
use crate::timings::timed;
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
    let (config, config_summary) = load_config(args)?;
    let files = read_inputs(&args.inputs)?;
    let data = timed("normalise", || normalise(files, &config))?;
    crate::memory::release_freed();
    Ok(Loaded {
        config,
        config_summary,
        data,
    })
}

fn load_config(args: &InputArgs) -> Result<(Config, Option<InputSummary>)> {
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
        None => return Ok((Config::default(), None)),
    };
    let display = path.display().to_string();
    let config = Config::load(&path, &display)?;
    let bytes = std::fs::read(&path).map_err(|e| Error::Config {
        path: display.clone(),
        line: None,
        message: e.to_string(),
    })?;
    let summary = InputSummary {
        path: display,
        kind: InputKind::Config,
        sha256: ingest::sha256_hex(&bytes),
        ..InputSummary::default()
    };
    Ok((config, Some(summary)))
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
    let read = |path: &PathBuf| {
        let relative = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_string();
        let display = dir.join(&relative).display().to_string();
        timed(&format!("read {relative}"), || {
            ingest::read_file(path, &display)
        })
        .map(|file| (file, relative))
    };
    parallel_map(&paths, read).into_iter().collect()
}

/// `f` over every item, each on a thread of its own, the results in the
/// items' order: for a few items of very different sizes, which share the cores.
fn each_on_its_own_thread<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let f = &f;
    std::thread::scope(|scope| {
        let threads: Vec<_> = items
            .iter()
            .map(|item| scope.spawn(move || f(item)))
            .collect();
        threads.into_iter().map(crate::threads::joined).collect()
    })
}

/// `f` over every item, on as many threads as the machine has cores, the results
/// in the items' order. Files are read this way: each is independent, and the
/// largest usually dominates the run.
fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 2 {
        return items.iter().map(&f).collect();
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    let mut results: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let slots = std::sync::Mutex::new(&mut results);
    std::thread::scope(|scope| {
        for _ in 0..threads.min(items.len()) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some(item) = items.get(i) else { break };
                let result = f(item);
                slots.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(result);
            });
        }
    });
    results.into_iter().flatten().collect()
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
    let mut loaded = load(&args.input)?;
    console.progress(&format!("Writing the {period} report…"));
    let meta = ReportMeta {
        issuer: loaded.config.issuer.clone().unwrap_or_default(),
        subject: loaded.config.title.clone().unwrap_or_default(),
        config: loaded.config_summary.clone(),
    };
    let mut report = timed("aggregate", || {
        aggregate(&mut loaded.data, &loaded.config, period, meta)
    })?;
    // The report holds all that is written from here on; the rows read (a
    // national run's members are hundreds of megabytes) are freed on a thread
    // of their own while the outputs are rendered.
    let freeing = std::thread::spawn(move || drop(loaded));
    report
        .issues
        .extend(crate::audit::restate::check(&report, &args.out));
    // The period's lock is taken before rendering, and each output is written
    // into the staging folder as soon as it is rendered, beside the others.
    let dir = args.out.join(period.to_string());
    let writer = ReportWriter::begin(&dir)?;
    let written = render_all(&report, args, &console, &writer)?;
    let written = timed("write", || writer.publish(written, &report))?;
    console.end_progress();
    console.issues(&report.issues);
    console.info(&closing_line(&report, &dir, written.len()));
    let code = exit_code(&report, args);
    if let Err(panic) = freeing.join() {
        std::panic::resume_unwind(panic);
    }
    // The report goes the same way: the process need not wait for a million
    // rows to be freed before it ends.
    std::thread::spawn(move || drop(report));
    Ok(code)
}

/// Renders every output asked for, each on its own thread, and writes its files
/// with `writer` as soon as they are rendered; returns them in a fixed order.
fn render_all(
    report: &Report,
    args: &RunArgs,
    console: &Console,
    writer: &ReportWriter,
) -> Result<Vec<Written>> {
    let options = RenderOptions {
        lang: args.lang,
        created: creation_time(report.period)?,
    };
    // Each format renders on its own thread; summary.json (`None`) comes last.
    let mut outputs: Vec<Option<Format>> =
        [Format::Xlsx, Format::Pdf, Format::Csv, Format::Parquet]
            .into_iter()
            .filter(|f| args.format.contains(f))
            .map(Some)
            .collect();
    outputs.push(None);
    // Every output on a thread of its own: the small ones (the CSV files,
    // summary.json) are then rendered and written while the large ones are laid
    // out, rather than after them.
    let rendered = each_on_its_own_thread(&outputs, |output| {
        let name = output.map_or("summary.json", |f| f.name());
        let rendered = timed(&format!("render {name}"), || {
            render_output(*output, report, &options)
        })
        .map_err(|e| Error::Internal(e.to_string()))?;
        let written = timed(&format!("write {name}"), || {
            each_on_its_own_thread(&rendered.files, |(name, bytes)| writer.write(name, bytes))
                .into_iter()
                .collect::<Result<Vec<Written>>>()
        })?;
        Ok((written, rendered.warnings))
    });
    let mut written = Vec::new();
    for result in rendered {
        let (files, warnings): (Vec<Written>, Vec<String>) = result?;
        for warning in &warnings {
            console.warning(warning);
        }
        written.extend(files);
    }
    Ok(written)
}

/// What one output format produced: its files and the warnings to print.
struct Rendered {
    files: Vec<(String, Vec<u8>)>,
    warnings: Vec<String>,
}

/// Renders one output format, or `summary.json` for `None`.
fn render_output(
    output: Option<Format>,
    report: &Report,
    options: &RenderOptions,
) -> std::result::Result<Rendered, render::RenderError> {
    let stem = format!("consolida-{}", report.period);
    let mut warnings = Vec::new();
    let files = match output {
        None => vec![("summary.json".into(), render::json::render(report)?)],
        Some(Format::Xlsx) => vec![(
            format!("{stem}.xlsx"),
            render::xlsx::render(report, options)?,
        )],
        Some(Format::Pdf) => {
            let pdf = render::pdf::render_with_glyphs(report, options)?;
            warnings.extend(pdf.missing_glyphs.iter().map(|ch| {
                format!(
                    "{stem}.pdf: the embedded font has no glyph for '{ch}' (U+{:04X}); it is drawn as a replacement mark (\u{fffd}) in the PDF.",
                    u32::from(*ch)
                )
            }));
            vec![(format!("{stem}.pdf"), pdf.bytes)]
        }
        Some(Format::Csv) => render::csv::render(report)?,
        Some(Format::Parquet) => render::parquet::render(report)?,
    };
    Ok(Rendered { files, warnings })
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
