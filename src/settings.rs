//! The command line resolved into what a run needs: the second of the CLI's two
//! steps. [`crate::cli`] holds the flags as typed; here the period, the paths and
//! the formats are parsed and checked once, the console is built once, and the
//! stages receive values they can use without checking them again. A command
//! line clap refused is read here too: for the log format its usage error is
//! written in, and that error as sentences for a log collector.

use crate::cli::{Cli, Command, Format, InputArgs, InspectArgs, LogFormat, RunArgs, TemplateArgs};
use crate::console::Console;
use crate::error::{Error, Result};
use crate::labels::Lang;
use crate::period::Period;
use crate::status::Check;
use chrono::{NaiveDateTime, NaiveTime};
use clap::ValueEnum;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// What the command line asks for, checked.
pub(crate) enum Plan {
    Run(RunSettings),
    Validate(InputSettings),
    Template(TemplateSettings),
    Inspect(InspectSettings),
}

/// What `consolida inspect` looks at and how it prints it.
pub(crate) struct InspectSettings {
    pub(crate) files: Vec<PathBuf>,
    pub(crate) config: Option<PathBuf>,
    pub(crate) output: InspectOutput,
}

/// The form of `consolida inspect`'s output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum InspectOutput {
    Text,
    Json,
    Cells,
}

/// Where the inputs are, checked to exist.
pub(crate) struct InputSettings {
    pub(crate) inputs: PathBuf,
    /// The configuration file: `--config`, or `<inputs>/consolida.toml` when present.
    pub(crate) config: Option<PathBuf>,
}

/// The blank workbooks of `consolida template`, checked.
pub(crate) struct TemplateSettings {
    /// The folder the workbooks go to.
    pub(crate) out: PathBuf,
    /// The configuration whose clusters and calls fill the drop-down lists:
    /// `--config`, or `<inputs>/consolida.toml` when present.
    pub(crate) config: Option<PathBuf>,
    /// Whether workbooks already in `out` are replaced.
    pub(crate) force: bool,
}

/// A run of the report, checked.
pub(crate) struct RunSettings {
    pub(crate) input: InputSettings,
    pub(crate) period: Period,
    /// `<out>/<period>`: the folder the report is published to.
    pub(crate) report_dir: PathBuf,
    /// The folder holding every period's report (`--out`).
    pub(crate) out: PathBuf,
    /// The formats asked for, each once, in the order they are rendered.
    pub(crate) formats: Vec<Format>,
    pub(crate) lang: Lang,
    /// The creation time written into the documents.
    pub(crate) created: NaiveDateTime,
    pub(crate) strict: bool,
    pub(crate) fail_on_breach: bool,
    pub(crate) fail_on_deviation: bool,
    /// One more PDF per cluster.
    pub(crate) per_cluster: bool,
    /// The month-ends the trend shows, 1 to [`MAX_TREND_MONTHS`].
    pub(crate) trend_months: usize,
}

/// The longest trend `--trend-months` may ask for: ten years.
pub(crate) const MAX_TREND_MONTHS: usize = 120;

impl RunSettings {
    /// The checks the report is held to: a failed one makes the exit code 1.
    pub(crate) fn checks(&self) -> Vec<Check> {
        [
            (self.strict, Check::Strict),
            (self.fail_on_breach, Check::FailOnBreach),
            (self.fail_on_deviation, Check::FailOnDeviation),
        ]
        .into_iter()
        .filter_map(|(asked, check)| asked.then_some(check))
        .collect()
    }
}

/// The console the command line asks for (the template command always speaks
/// plain text), and the checked plan or the usage error that stops it.
pub(crate) fn resolve(cli: Cli) -> (Console, Result<Plan>) {
    match cli.command {
        None => run(cli.run),
        Some(Command::Run(args)) => run(args),
        Some(Command::Validate(args)) => {
            let console = console(&args.input, args.lang);
            (console, input(args.input).map(Plan::Validate))
        }
        Some(Command::Template(args)) => (
            Console {
                format: LogFormat::Text,
                quiet: false,
                lang: Lang::default(),
            },
            template(args).map(Plan::Template),
        ),
        // inspect prints in English, its errors too.
        Some(Command::Inspect(args)) => (
            Console {
                format: LogFormat::Text,
                quiet: false,
                lang: Lang::En,
            },
            inspect(args).map(Plan::Inspect),
        ),
    }
}

fn console(args: &InputArgs, lang: Lang) -> Console {
    Console {
        format: args.log_format,
        quiet: args.quiet,
        lang,
    }
}

fn run(args: RunArgs) -> (Console, Result<Plan>) {
    let console = console(&args.input, args.lang);
    (console, run_settings(args).map(Plan::Run))
}

fn run_settings(args: RunArgs) -> Result<RunSettings> {
    let period = match &args.period {
        Some(text) => text.parse::<Period>().map_err(Error::Usage)?,
        None => Period::current(),
    };
    if !(1..=MAX_TREND_MONTHS).contains(&args.trend_months) {
        let months = args.trend_months;
        return Err(Error::usage(
            format!("--trend-months {months} non è un numero di mesi da 1 a {MAX_TREND_MONTHS}."),
            format!(
                "--trend-months {months} is not a number of months from 1 to {MAX_TREND_MONTHS}."
            ),
        ));
    }
    let input = input(args.input)?;
    let formats = [Format::Xlsx, Format::Pdf, Format::Csv, Format::Parquet]
        .into_iter()
        .filter(|f| args.format.contains(f))
        .collect();
    Ok(RunSettings {
        input,
        period,
        report_dir: args.out.join(period.to_string()),
        out: args.out,
        formats,
        lang: args.lang,
        created: creation_time(period)?,
        strict: args.strict,
        fail_on_breach: args.fail_on_breach,
        fail_on_deviation: args.fail_on_deviation,
        per_cluster: args.per_cluster,
        trend_months: args.trend_months,
    })
}

fn input(args: InputArgs) -> Result<InputSettings> {
    if !args.inputs.is_dir() {
        return Err(missing_inputs(&args.inputs));
    }
    let config = config_file(args.config, &args.inputs)?;
    Ok(InputSettings {
        inputs: args.inputs,
        config,
    })
}

fn missing_inputs(inputs: &Path) -> Error {
    let inputs = inputs.display();
    Error::usage(
        format!("La cartella dei dati «{inputs}» non esiste; indicarla con --inputs."),
        format!("The inputs folder '{inputs}' does not exist; give the folder with --inputs."),
    )
}

/// The error for a `--config` file that does not exist.
fn missing_config(path: &Path) -> Error {
    let path = path.display();
    Error::usage(
        format!("Il file di configurazione «{path}» non esiste."),
        format!("The configuration file '{path}' does not exist."),
    )
}

/// The configuration file: `--config`, which must exist, or else
/// `<inputs>/consolida.toml` when present.
fn config_file(config: Option<PathBuf>, inputs: &Path) -> Result<Option<PathBuf>> {
    let default = inputs.join("consolida.toml");
    match config {
        Some(path) if !path.is_file() => Err(missing_config(&path)),
        Some(path) => Ok(Some(path)),
        None => Ok(default.is_file().then_some(default)),
    }
}

/// The template's settings. Its configuration is found as a run's is; an
/// inputs folder that does not exist is a mistake when given with --inputs, and
/// means no configuration when it is the default `inputs` (a secretariat
/// starting afresh has none yet).
fn inspect(args: InspectArgs) -> Result<InspectSettings> {
    if let Some(missing) = args.files.iter().find(|f| !f.is_file()) {
        let missing = missing.display();
        return Err(Error::usage(
            format!("Il file «{missing}» non esiste."),
            format!("The file '{missing}' does not exist."),
        ));
    }
    let config = match args.config {
        Some(path) if !path.is_file() => return Err(missing_config(&path)),
        config => config,
    };
    let output = match (args.json, args.cells) {
        (_, true) => InspectOutput::Cells,
        (true, false) => InspectOutput::Json,
        (false, false) => InspectOutput::Text,
    };
    Ok(InspectSettings {
        files: args.files,
        config,
        output,
    })
}

fn template(args: TemplateArgs) -> Result<TemplateSettings> {
    let inputs = match args.inputs {
        Some(inputs) if !inputs.is_dir() => return Err(missing_inputs(&inputs)),
        Some(inputs) => inputs,
        None => PathBuf::from("inputs"),
    };
    Ok(TemplateSettings {
        out: args.out,
        config: config_file(args.config, &inputs)?,
        force: args.force,
    })
}

/// The latest `SOURCE_DATE_EPOCH` the documents can hold: 31/12/9999 23:59:59,
/// the last second of the last year a workbook's dates and a PDF's four-digit
/// years reach.
const LAST_CREATION_SECOND: i64 = 253_402_300_799;

/// The creation time written into the documents: `SOURCE_DATE_EPOCH` when set,
/// otherwise midnight of the period's last day, so reruns are byte-identical.
/// `SOURCE_DATE_EPOCH` counts the seconds since 1970 and must fall between
/// 1970 and the end of 9999, where every output can hold it.
fn creation_time(period: Period) -> Result<NaiveDateTime> {
    let Ok(text) = std::env::var("SOURCE_DATE_EPOCH") else {
        return Ok(period.last_day().and_time(NaiveTime::MIN));
    };
    let Ok(secs) = text.trim().parse::<i64>() else {
        return Err(Error::usage(
            format!("SOURCE_DATE_EPOCH='{text}' non è un numero di secondi dal 1970."),
            format!("SOURCE_DATE_EPOCH='{text}' is not a number of seconds since 1970."),
        ));
    };
    chrono::DateTime::from_timestamp(secs, 0)
        .filter(|_| (0..=LAST_CREATION_SECOND).contains(&secs))
        .map(|dt| dt.naive_utc())
        .ok_or_else(|| {
            Error::usage(
                format!(
                    "SOURCE_DATE_EPOCH='{text}' è fuori dai tempi che i report possono contenere: indicare i secondi dal 1970, da 0 a {LAST_CREATION_SECOND} (la fine del 9999)."
                ),
                format!(
                    "SOURCE_DATE_EPOCH='{text}' is outside the times the reports can hold: give the seconds since 1970, from 0 to {LAST_CREATION_SECOND} (the end of 9999)."
                ),
            )
        })
}

/// The `--log-format` of a command line clap refused, read from the arguments
/// themselves (the last one given wins); text when there is none or it is not
/// a format. A usage error is then written the way the logs expect it.
pub(crate) fn log_format_in(args: &[OsString]) -> LogFormat {
    let mut format = LogFormat::Text;
    let mut args = args.iter().skip(1);
    while let Some(arg) = args.next() {
        let value = if arg == "--log-format" {
            args.next().and_then(|v| v.to_str())
        } else {
            arg.to_str().and_then(|a| a.strip_prefix("--log-format="))
        };
        if let Some(asked) = value.and_then(|v| LogFormat::from_str(v, false).ok()) {
            format = asked;
        }
    }
    format
}

/// Clap's usage error as sentences on one line, for a log collector: what is
/// wrong, each tip, and where to read more; the usage synopsis is left out.
/// `error: unexpected argument '--frobnicate' found` and its tip become
/// `Unexpected argument '--frobnicate' found. A similar argument exists: '--format'. …`.
pub(crate) fn usage_sentences(error: &clap::Error) -> String {
    let rendered = error.render().to_string();
    let mut sentences: Vec<String> = Vec::new();
    let mut in_usage = false;
    let mut paragraph_start = true;
    for line in rendered.lines().map(str::trim) {
        if line.is_empty() {
            (in_usage, paragraph_start) = (false, true);
            continue;
        }
        in_usage = in_usage || (paragraph_start && line.starts_with("Usage:"));
        let starts_sentence = paragraph_start || line.starts_with("tip:");
        paragraph_start = false;
        if in_usage {
            continue;
        }
        let line = line.strip_prefix("error:").unwrap_or(line);
        let line = line.strip_prefix("tip:").unwrap_or(line).trim();
        match sentences.last_mut() {
            Some(sentence) if !starts_sentence => {
                sentence.push(' ');
                sentence.push_str(line);
            }
            _ => sentences.push(line.to_string()),
        }
    }
    let sentences: Vec<String> = sentences.iter().map(|s| as_sentence(s)).collect();
    sentences.join(" ")
}

/// `text` with a capital first letter and a full stop at the end.
pub(crate) fn as_sentence(text: &str) -> String {
    let mut chars = text.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    let rest = chars.as_str();
    if rest.ends_with(['.', '?', '!']) {
        format!("{first}{rest}")
    } else {
        format!("{first}{rest}.")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn plan(args: &[&str]) -> Result<Plan> {
        let mut line = vec!["consolida"];
        line.extend_from_slice(args);
        resolve(Cli::try_parse_from(line).unwrap()).1
    }

    fn inputs_folder() -> String {
        format!("{}/inputs", env!("CARGO_MANIFEST_DIR"))
    }

    #[test]
    fn formats_are_rendered_once_each_in_a_fixed_order() {
        let inputs = inputs_folder();
        let args = [
            "run",
            "--inputs",
            &inputs,
            "--period",
            "2026-11",
            "--format",
            "parquet,csv,xlsx,csv",
        ];
        let Ok(Plan::Run(run)) = plan(&args) else {
            panic!("a run")
        };
        assert_eq!(
            run.formats,
            vec![Format::Xlsx, Format::Csv, Format::Parquet]
        );
        assert_eq!(run.report_dir, PathBuf::from("reports/2026-11"));
        assert_eq!(
            run.input.config,
            Some(PathBuf::from(format!("{inputs}/consolida.toml")))
        );
    }

    #[test]
    fn the_period_is_checked_before_the_folders() {
        let Err(err) = plan(&["run", "--inputs", "/nonexistent", "--period", "2026-13"]) else {
            panic!("a usage error")
        };
        assert!(err.to_string().contains("YYYY-MM"), "{err}");
        let Err(err) = plan(&["validate", "--inputs", "/nonexistent"]) else {
            panic!("a usage error")
        };
        assert_eq!(
            err.to_string(),
            "The inputs folder '/nonexistent' does not exist; give the folder with --inputs."
        );
    }

    fn os_args(args: &[&str]) -> Vec<OsString> {
        std::iter::once("consolida")
            .chain(args.iter().copied())
            .map(OsString::from)
            .collect()
    }

    #[test]
    fn the_log_format_is_found_in_a_command_line_clap_refused() {
        let format = |args: &[&str]| log_format_in(&os_args(args));
        assert_eq!(
            format(&["--frobnicate", "--log-format", "json"]),
            LogFormat::Json
        );
        assert_eq!(
            format(&["validate", "--log-format=json", "-x"]),
            LogFormat::Json
        );
        assert_eq!(
            format(&["--log-format", "json", "--log-format=text"]),
            LogFormat::Text
        );
        assert_eq!(format(&["--log-format", "xml"]), LogFormat::Text);
        assert_eq!(
            format(&["--period", "json", "--log-format"]),
            LogFormat::Text
        );
        assert_eq!(format(&[]), LogFormat::Text);
    }

    #[test]
    fn a_usage_error_becomes_sentences_on_one_line() {
        let refused = |args: &[&str]| {
            let Err(error) = Cli::try_parse_from(os_args(args)) else {
                panic!("{args:?} is refused")
            };
            usage_sentences(&error)
        };
        assert_eq!(
            refused(&["--frobnicate"]),
            "Unexpected argument '--frobnicate' found. A similar argument exists: '--format'. For more information, try '--help'."
        );
        assert_eq!(
            refused(&["template"]),
            "The following required arguments were not provided: --out <DIR>. For more information, try '--help'."
        );
        assert_eq!(
            refused(&["--log-format", "json", "--lang", "de"]),
            "Invalid value 'de' for '--lang <LANG>' [possible values: it, en]. For more information, try '--help'."
        );
    }

    #[test]
    fn the_template_reads_the_configuration_of_the_inputs_folder_as_a_run_does() {
        let inputs = inputs_folder();
        let Ok(Plan::Template(template)) = plan(&["template", "--out", "x", "--inputs", &inputs])
        else {
            panic!("a template")
        };
        assert_eq!(
            template.config,
            Some(PathBuf::from(format!("{inputs}/consolida.toml")))
        );
        assert!(!template.force);
        let Err(err) = plan(&["template", "--out", "x", "--inputs", "/nonexistent"]) else {
            panic!("a usage error")
        };
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn a_missing_configuration_file_is_a_usage_error() {
        let inputs = inputs_folder();
        let Err(err) = plan(&["validate", "--inputs", &inputs, "--config", "/no.toml"]) else {
            panic!("a usage error")
        };
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            "The configuration file '/no.toml' does not exist."
        );
    }
}
