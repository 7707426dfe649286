//! The glue: runs the stages a checked command line asks for, in order, and
//! turns the outcome into an exit code (0 success; 1 data errors under
//! `--strict` or breaches under `--fail-on-breach`, the report written all the
//! same and its `summary.json` saying why ([`crate::status`]), and `validate`
//! with errors; 2 usage or configuration; 3 an input that cannot be read, under
//! `--strict` and in `validate` (a run without `--strict` reports it as an
//! error and goes on without it); 4 a report that could not be produced or
//! written).

use crate::aggregate::{aggregate, ReportMeta};
use crate::cli::{Cli, Format, LogFormat};
use crate::config::{Config, SourceConfig};
use crate::console::Console;
use crate::error::{Error, Result};
use crate::ingest::{self, InputFile};
use crate::issues::{Issue, IssueKind};
use crate::labels::{Labels, Lang};
use crate::location::Location;
use crate::monitoring::target::Target;
use crate::monitoring::Plan as MonitoringPlan;
use crate::normalise::{normalise, sources, Dataset};
use crate::render::write::{ReportWriter, Written};
use crate::render::{self, RenderOptions};
use crate::report::{InputSummary, Report};
use crate::schema::InputKind;
use crate::settings::{InputSettings, Plan, RunSettings};
use crate::status::RunStatus;
use crate::text::{counted, number, Noun, Text};
use crate::threads::{drop_in_background, each_on_its_own_thread, parallel_map};
use crate::timings::timed;
use clap::Parser;
use std::borrow::Cow;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Runs the command line of this process and returns the exit code.
pub fn main() -> i32 {
    let args: Vec<OsString> = std::env::args_os().collect();
    let cli = match Cli::try_parse_from(&args) {
        Ok(cli) => cli,
        Err(e) => return refused(&e, &args),
    };
    let (console, plan) = crate::settings::resolve(cli);
    let result = plan.and_then(|plan| match plan {
        Plan::Run(settings) => run(&settings, &console),
        Plan::Validate(settings) => validate(&settings, &console),
        Plan::Template(settings) => crate::template::write(&settings, &console),
        Plan::Inspect(settings) => crate::inspect::print(&settings),
    });
    match result {
        Ok(code) => code,
        Err(e) => {
            console.fatal(&e);
            e.exit_code()
        }
    }
}

/// A command line clap did not run: its help or version on stdout (exit 0), or
/// its usage error on stderr (exit 2), as one JSON object when the arguments ask
/// for `--log-format json`. A closed stdout or stderr loses the text, not the
/// exit code.
fn refused(error: &clap::Error, args: &[OsString]) -> i32 {
    if error.use_stderr() && crate::settings::log_format_in(args) == LogFormat::Json {
        let console = Console {
            format: LogFormat::Json,
            quiet: false,
            lang: Lang::En,
        };
        console.error(&crate::settings::usage_sentences(error), error.exit_code());
    } else {
        let _ = error.print();
    }
    error.exit_code()
}

/// The inputs of a run, read and normalised.
struct Loaded {
    config: Config,
    config_summary: Option<InputSummary>,
    data: Dataset,
    /// The targets of the configuration and of the targets sheets, checked.
    targets: Vec<Target>,
}

/// Reads the configuration and every input file of the inputs folder, and
/// normalises them. With `strict`, an input that cannot be read stops the run;
/// otherwise it is an error among the issues and the others are read.
fn load(settings: &InputSettings, strict: bool) -> Result<Loaded> {
    let (config, config_summary) = load_config(settings.config.as_deref())?;
    let inputs = read_inputs(&settings.inputs, strict)?;
    let reading = sources_for_files_read(&config, &inputs.files, &inputs.left_out);
    let mut data = timed("normalise", || normalise(inputs.files, &reading))?;
    if !inputs.issues.is_empty() {
        data.issues.extend(inputs.issues);
        crate::issues::sort_for_reading(&mut data.issues);
    }
    crate::memory::release_freed();
    let targets = crate::monitoring::target::targets(&config, &data.targets)?;
    Ok(Loaded {
        config,
        config_summary,
        data,
        targets,
    })
}

/// `config` without the `[[source]]` entries that match none of the `files`
/// read but one of those `left_out` as unreadable: such an entry has nothing to
/// read, and would otherwise stop the run as matching no file of the folder.
fn sources_for_files_read<'a>(
    config: &'a Config,
    files: &[(InputFile, String)],
    left_out: &[String],
) -> Cow<'a, Config> {
    let only_left_out = |source: &SourceConfig| {
        !files.iter().any(|(_, name)| sources::matches(source, name))
            && left_out.iter().any(|name| sources::matches(source, name))
    };
    if !config.sources.iter().any(only_left_out) {
        return Cow::Borrowed(config);
    }
    let mut reading = config.clone();
    reading.sources.retain(|source| !only_left_out(source));
    Cow::Owned(reading)
}

fn load_config(path: Option<&Path>) -> Result<(Config, Option<InputSummary>)> {
    let Some(path) = path else {
        return Ok((Config::default(), None));
    };
    let display = path.display().to_string();
    let config = Config::load(path, &display)?;
    let bytes = std::fs::read(path).map_err(|e| Error::Config {
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

/// The input files of the folder, read.
struct Inputs {
    /// Each file read, sorted by name, with its name as shown (see
    /// [`ingest::shown_name`]).
    files: Vec<(InputFile, String)>,
    /// The names of the files left out because they cannot be read.
    left_out: Vec<String>,
    /// What reading the files found, and an error for each file left out.
    issues: Vec<Issue>,
}

/// Reads every input file of the folder. A symbolic link to a file outside the
/// folder is not followed. With `strict`, the first file that cannot be read (or
/// is not followed) stops the run; otherwise each is an error among the issues,
/// and is left out.
fn read_inputs(dir: &Path, strict: bool) -> Result<Inputs> {
    let listing_error = |e: std::io::Error| {
        // The system's reason is in English: the Italian sentence quotes it.
        let dir = dir.display();
        Error::usage(
            format!("Non si può elencare il contenuto della cartella dei dati «{dir}»: {e}."),
            format!("The inputs folder '{dir}' cannot be listed: {e}."),
        )
    };
    let entries = std::fs::read_dir(dir).map_err(listing_error)?;
    let folder = dir.canonicalize().map_err(listing_error)?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file() && ingest::is_input_file(p))
        .collect();
    paths.sort();
    if paths.is_empty() {
        let (dir, extensions) = (dir.display(), ingest::EXTENSIONS.join(", "));
        return Err(Error::usage(
            format!("La cartella dei dati «{dir}» non contiene alcun foglio di calcolo o file CSV ({extensions})."),
            format!("The inputs folder '{dir}' holds no spreadsheet or CSV file ({extensions})."),
        ));
    }
    let read = |path: &PathBuf| {
        let name = ingest::shown_name(path.file_name().unwrap_or_default());
        let display = dir.join(&name).display().to_string();
        let read = timed(&format!("read {name}"), || {
            refuse_link_outside(path, &folder, &display)?;
            ingest::read_file(path, &display)
        });
        (name, read)
    };
    let mut inputs = Inputs {
        files: Vec::new(),
        left_out: Vec::new(),
        issues: Vec::new(),
    };
    for (name, read) in parallel_map(&paths, read) {
        match read {
            Ok((file, issues)) => {
                inputs.files.push((file, name));
                inputs.issues.extend(issues);
            }
            Err(Error::UnreadableInput { location, message }) if !strict => {
                inputs.issues.push(left_out(location, &message));
                inputs.left_out.push(name);
            }
            Err(e) => return Err(e),
        }
    }
    Ok(inputs)
}

/// Refuses `path` when it is a symbolic link whose target (followed to the end)
/// lies outside `folder` (canonical): what a link leads to elsewhere on the
/// machine is not the inputs' to report, nor to record in the manifest.
fn refuse_link_outside(path: &Path, folder: &Path, display: &str) -> Result<()> {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    let inside = || {
        path.canonicalize()
            .is_ok_and(|target| target.starts_with(folder))
    };
    if !is_link || inside() {
        return Ok(());
    }
    Err(Error::unreadable(
        Location::file(display),
        "the file is a symbolic link to a file outside the inputs folder, and is not followed: copy the file into the folder instead.",
    ))
}

/// The issue of an input that cannot be read, in a run that goes on without it.
/// The reason comes from the readers, in English: the Italian message says in
/// Italian that the file is left out, and quotes the reason as it is.
fn left_out(location: Location, message: &str) -> Issue {
    let reason = crate::settings::as_sentence(message);
    Issue::error(
        location,
        IssueKind::FileLeftOut,
        Text::new(
            format!("Il file non si può leggere ed è escluso dal report. Motivo: {reason}"),
            format!("{reason} The file is left out of the report."),
        ),
    )
}

fn run(settings: &RunSettings, console: &Console) -> Result<i32> {
    let inputs = settings.input.inputs.display();
    console.progress(&match settings.lang {
        Lang::It => format!("Lettura di {inputs}…"),
        Lang::En => format!("Reading {inputs}…"),
    });
    let mut loaded = load(&settings.input, settings.strict)?;
    console.progress(&match settings.lang {
        Lang::It => format!("Scrittura del report {}…", settings.period),
        Lang::En => format!("Writing the {} report…", settings.period),
    });
    let meta = ReportMeta {
        issuer: loaded.config.issuer.clone().unwrap_or_default(),
        subject: loaded.config.title.clone().unwrap_or_default(),
        config: loaded.config_summary.clone(),
    };
    let plan = MonitoringPlan {
        targets: std::mem::take(&mut loaded.targets),
        trend_months: settings.trend_months,
    };
    let mut report = timed("aggregate", || {
        aggregate(
            &mut loaded.data,
            &loaded.config,
            settings.period,
            meta,
            &plan,
        )
    })?;
    let pdf = loaded.config.pdf;
    // The report holds all that is written from here on; the rows read (a
    // national run's members are hundreds of megabytes) are freed on a thread
    // of their own while the outputs are rendered.
    let freeing = drop_in_background(loaded);
    report
        .issues
        .extend(crate::audit::restate::check(&report, &settings.out));
    // Every issue is known: the checks the command line asks for are judged
    // now, so that summary.json says how the run ends.
    report.status = RunStatus::of(&report, &settings.checks());
    // The period's lock is taken before rendering, and each output is written
    // into the staging folder as soon as it is rendered, beside the others.
    let writer = ReportWriter::begin(&settings.report_dir)?;
    let options = RenderOptions {
        lang: settings.lang,
        created: settings.created,
        pdf,
    };
    let written = render_all(&report, &options, settings, console, &writer)?;
    let written = timed("write", || writer.publish(written, &report))?;
    console.end_progress();
    console.issues(&report.issues, &issues_listed_in(settings));
    console.info(&closing_line(&report, &settings.report_dir, written.len()));
    let code = report.status.exit_code();
    if let Err(panic) = freeing.join() {
        std::panic::resume_unwind(panic);
    }
    // The report goes the same way: the process need not wait for a million
    // rows to be freed before it ends.
    drop_in_background(report);
    Ok(code)
}

/// Renders every output asked for, each on its own thread, and writes its files
/// with `writer` as soon as they are rendered; returns them in a fixed order.
fn render_all(
    report: &Report,
    options: &RenderOptions,
    settings: &RunSettings,
    console: &Console,
    writer: &ReportWriter,
) -> Result<Vec<Written>> {
    // Every output on a thread of its own, summary.json last: the small ones
    // (the CSV files, summary.json) are then rendered and written while the
    // large ones are laid out, rather than after them.
    let outputs: Vec<Output> = settings
        .formats
        .iter()
        .copied()
        .map(Output::Format)
        .chain(settings.per_cluster.then_some(Output::PerCluster))
        .chain([Output::Summary])
        .collect();
    let rendered = each_on_its_own_thread(&outputs, |output| {
        let name = output.name();
        if *output == Output::PerCluster {
            return timed(&format!("render and write {name}"), || {
                per_cluster(report, options, writer)
            });
        }
        let rendered = timed(&format!("render {name}"), || {
            render_output(*output, report, options)
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
        let (files, warnings): (Vec<Written>, Vec<Text>) = result?;
        for warning in &warnings {
            console.warning(warning);
        }
        written.extend(files);
    }
    Ok(written)
}

/// What a run writes besides `manifest.json` and `SHA256SUMS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Output {
    /// The files of a format asked for with `--format`.
    Format(Format),
    /// A PDF for each cluster (`--per-cluster`).
    PerCluster,
    Summary,
}

impl Output {
    /// The output's name in the timings.
    fn name(self) -> &'static str {
        match self {
            Output::Format(format) => format.name(),
            Output::PerCluster => "the clusters' PDFs",
            Output::Summary => "summary.json",
        }
    }
}

/// What one output format produced: its files and the warnings to print.
struct Rendered {
    files: Vec<(String, Vec<u8>)>,
    warnings: Vec<Text>,
}

/// Renders one output format, or `summary.json`; the clusters' PDFs are
/// rendered and written by [`per_cluster`].
fn render_output(
    output: Output,
    report: &Report,
    options: &RenderOptions,
) -> std::result::Result<Rendered, render::RenderError> {
    let stem = render::stem(report.period);
    let mut warnings = Vec::new();
    let files = match output {
        Output::Summary => vec![("summary.json".into(), render::json::render(report)?)],
        // Written file by file as each is rendered, by `per_cluster`.
        Output::PerCluster => Vec::new(),
        Output::Format(Format::Xlsx) => vec![(
            format!("{stem}.xlsx"),
            render::xlsx::render(report, options)?,
        )],
        Output::Format(Format::Pdf) => {
            let pdf = render::pdf::render_with_glyphs(report, options)?;
            let file = format!("{stem}.pdf");
            warnings.extend(
                pdf.missing_glyphs
                    .iter()
                    .map(|ch| missing_glyph(&file, *ch)),
            );
            vec![(file, pdf.bytes)]
        }
        Output::Format(Format::Csv) => render::csv::render(report)?,
        Output::Format(Format::Parquet) => render::parquet::render(report)?,
    };
    Ok(Rendered { files, warnings })
}

/// Renders the PDF of each cluster and writes it as soon as it is rendered,
/// as many at a time as the machine has cores, so that the PDFs of a thousand
/// clusters are never all in memory; returns them in the report's cluster
/// order, with a warning for each character the fonts lack, named once.
fn per_cluster(
    report: &Report,
    options: &RenderOptions,
    writer: &ReportWriter,
) -> Result<(Vec<Written>, Vec<Text>)> {
    let files = render::pdf::per_cluster::files(report);
    let done = parallel_map(&files, |(cluster, name)| -> Result<(Written, Vec<char>)> {
        let pdf = render::pdf::per_cluster::render(report, options, cluster)
            .map_err(|e| Error::Internal(e.to_string()))?;
        Ok((writer.write(name, &pdf.bytes)?, pdf.missing_glyphs))
    });
    let mut written = Vec::with_capacity(done.len());
    let mut warned: Vec<char> = Vec::new();
    let mut warnings = Vec::new();
    for result in done {
        let (file, missing) = result?;
        for ch in missing {
            if !warned.contains(&ch) {
                warned.push(ch);
                warnings.push(missing_glyph(&file.name, ch));
            }
        }
        written.push(file);
    }
    Ok((written, warnings))
}

/// The warning for a character of `file` that the embedded fonts cannot draw.
fn missing_glyph(file: &str, ch: char) -> Text {
    let code = u32::from(ch);
    Text::new(
        format!(
            "{file}: il font incorporato non ha il carattere «{ch}» (U+{code:04X}); nel PDF è disegnato come segno sostitutivo (\u{fffd})."
        ),
        format!(
            "{file}: the embedded font has no glyph for '{ch}' (U+{code:04X}); it is drawn as a replacement mark (\u{fffd}) in the PDF."
        ),
    )
}

/// Where a run lists every issue, for the console's summary of many: the
/// files of the formats asked for that hold them, and `--log-format json`.
fn issues_listed_in(settings: &RunSettings) -> Text {
    let dir = settings.report_dir.display();
    let mut places = Vec::new();
    // Each place in Italian with its preposition: "in …", "nel foglio …".
    if settings.formats.contains(&Format::Csv) {
        let file = format!("{dir}/{}", render::csv::ISSUES);
        places.push((format!("in {file}"), file));
    }
    if settings.formats.contains(&Format::Parquet) {
        let file = format!("{dir}/issues.parquet");
        places.push((format!("in {file}"), file));
    }
    if settings.formats.contains(&Format::Xlsx) {
        let sheet = Labels {
            lang: settings.lang,
        }
        .issues();
        let workbook = format!("{dir}/{}.xlsx", render::stem(settings.period));
        places.push((
            format!("nel foglio «{sheet}» di {workbook}"),
            format!("the sheet '{sheet}' of {workbook}"),
        ));
    }
    let (it, en): (Vec<String>, Vec<String>) = places.into_iter().unzip();
    match (listed(&it, "e"), listed(&en, "and")) {
        (None, _) | (_, None) => Text::new(
            "Ogni anomalia è stampata, un oggetto JSON per riga, con --log-format json; --format csv le scrive tutte in issues.csv.",
            "Every issue is printed, one JSON object a line, with --log-format json; --format csv writes them all to issues.csv.",
        ),
        (Some(it), Some(en)) => Text::new(
            format!("Tutte le anomalie sono {it}; --log-format json le stampa una per una."),
            format!("Every issue is in {en}; --log-format json prints each one."),
        ),
    }
}

/// `a`, `a and b`, `a, b and c`; `None` for no item.
fn listed(items: &[String], and: &str) -> Option<String> {
    match items.split_last()? {
        (last, []) => Some(last.clone()),
        (last, rest) => Some(format!("{} {and} {last}", rest.join(", "))),
    }
}

/// The closing line of a run, in both languages: what the report counts, the
/// issues, and where its files are.
fn closing_line(report: &Report, dir: &Path, files: usize) -> Text {
    let counts = report.issue_counts();
    let line = |lang: Lang| {
        let noun = |n: usize, it: Noun<'_>, en: Noun<'_>| match lang {
            Lang::It => counted(lang, n as u64, it),
            Lang::En => counted(lang, n as u64, en),
        };
        // The targets' count only when there are targets, so that the line of
        // a run without monitoring reads as it always has.
        let targets = match report.monitoring.targets.len() {
            0 => String::new(),
            all => {
                let behind = number(lang, report.monitoring.deviations().count() as u64);
                let all = noun(
                    all,
                    (
                        "obiettivo in ritardo o mancato",
                        "obiettivi in ritardo o mancati",
                    ),
                    ("target behind or missed", "targets behind or missed"),
                );
                match lang {
                    Lang::It => format!(", {behind} di {all}"),
                    Lang::En => format!(", {behind} of {all}"),
                }
            }
        };
        let figures = [
            noun(
                report.members.total() as usize,
                ("socio", "soci"),
                ("member", "members"),
            ),
            noun(
                report.projects.portfolio.count as usize,
                ("progetto", "progetti"),
                ("project", "projects"),
            ),
            noun(
                report.audit.breaches().count(),
                ("superamento del tetto", "superamenti del tetto"),
                ("cap breach", "cap breaches"),
            ),
        ]
        .join(", ");
        let issues = crate::console::errors_and_warnings(lang, counts);
        let files = crate::console::files(lang, files);
        let dir = dir.display();
        format!(
            "consolida {}: {figures}{targets}, {issues}; {files} in {dir}",
            report.period
        )
    };
    Text::new(line(Lang::It), line(Lang::En))
}

fn validate(settings: &InputSettings, console: &Console) -> Result<i32> {
    // An input that cannot be read is what validate is there to find: it stops
    // it as it stops a strict run.
    let mut loaded = load(settings, true)?;
    let data = &mut loaded.data;
    let share_gaps = crate::audit::share_gap_issues(&data.partners, &data.projects);
    if !share_gaps.is_empty() {
        data.issues.extend(share_gaps);
        crate::issues::sort_for_reading(&mut data.issues);
    }
    let counts = crate::issues::IssueCounts::of(&loaded.data.issues);
    console.issues(
        &loaded.data.issues,
        &Text::new(
            "validate non scrive file: --log-format json stampa ogni anomalia, un oggetto JSON per riga, e un'esecuzione le scrive tutte in issues.csv.",
            "validate writes no file: --log-format json prints every issue, one JSON object a line, and a run writes them all to issues.csv.",
        ),
    );
    let mut files: Vec<&str> = loaded.data.inputs.iter().map(|i| i.path.as_str()).collect();
    files.dedup();
    let rows: u64 = loaded.data.inputs.iter().map(|i| i.rows).sum();
    let rejected: u64 = loaded.data.inputs.iter().map(|i| i.rejected).sum();
    let line = |lang: Lang| {
        let files = crate::console::files(lang, files.len());
        let issues = crate::console::errors_and_warnings(lang, counts);
        match lang {
            Lang::It => format!(
                "consolida validate: {files}, {}, {}, {issues}",
                counted(lang, rows, ("riga letta", "righe lette")),
                counted(lang, rejected, ("scartata", "scartate"))
            ),
            Lang::En => format!(
                "consolida validate: {files}, {} read, {} rejected, {issues}",
                counted(lang, rows, ("row", "rows")),
                number(lang, rejected)
            ),
        }
    };
    console.info(&Text::new(line(Lang::It), line(Lang::En)));
    Ok(i32::from(counts.errors > 0))
}
