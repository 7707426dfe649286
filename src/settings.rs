//! The command line resolved into what a run needs: the second of the CLI's two
//! steps. [`crate::cli`] holds the flags as typed; here the period, the paths and
//! the formats are parsed and checked once, the console is built once, and the
//! stages receive values they can use without checking them again.

use crate::cli::{Cli, Command, Format, InputArgs, LogFormat, RunArgs, TemplateArgs};
use crate::console::Console;
use crate::error::{Error, Result};
use crate::labels::Lang;
use crate::period::Period;
use chrono::{NaiveDateTime, NaiveTime};
use std::path::PathBuf;

/// What the command line asks for, checked.
pub(crate) enum Plan {
    Run(RunSettings),
    Validate(InputSettings),
    Template(TemplateArgs),
}

/// Where the inputs are, checked to exist.
pub(crate) struct InputSettings {
    pub(crate) inputs: PathBuf,
    /// The configuration file: `--config`, or `<inputs>/consolida.toml` when present.
    pub(crate) config: Option<PathBuf>,
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
}

/// The console the command line asks for (the template command always speaks
/// plain text), and the checked plan or the usage error that stops it.
pub(crate) fn resolve(cli: Cli) -> (Console, Result<Plan>) {
    match cli.command {
        None => run(cli.run),
        Some(Command::Run(args)) => run(args),
        Some(Command::Validate(args)) => {
            let console = console(&args.input);
            (console, input(args.input).map(Plan::Validate))
        }
        Some(Command::Template(args)) => (
            Console {
                format: LogFormat::Text,
                quiet: false,
            },
            Ok(Plan::Template(args)),
        ),
    }
}

fn console(args: &InputArgs) -> Console {
    Console {
        format: args.log_format,
        quiet: args.quiet,
    }
}

fn run(args: RunArgs) -> (Console, Result<Plan>) {
    let console = console(&args.input);
    (console, run_settings(args).map(Plan::Run))
}

fn run_settings(args: RunArgs) -> Result<RunSettings> {
    let period = match &args.period {
        Some(text) => text.parse::<Period>().map_err(Error::Usage)?,
        None => Period::current(),
    };
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
    })
}

fn input(args: InputArgs) -> Result<InputSettings> {
    if !args.inputs.is_dir() {
        return Err(Error::Usage(format!(
            "The inputs folder '{}' does not exist; give the folder with --inputs.",
            args.inputs.display()
        )));
    }
    let default = args.inputs.join("consolida.toml");
    let config = match args.config {
        Some(path) if !path.is_file() => {
            return Err(Error::Usage(format!(
                "The configuration file '{}' does not exist.",
                path.display()
            )));
        }
        Some(path) => Some(path),
        None => default.is_file().then_some(default),
    };
    Ok(InputSettings {
        inputs: args.inputs,
        config,
    })
}

/// The creation time written into the documents: `SOURCE_DATE_EPOCH` when set,
/// otherwise midnight of the period's last day, so reruns are byte-identical.
fn creation_time(period: Period) -> Result<NaiveDateTime> {
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
