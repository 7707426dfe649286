//! The command line as typed: clap data only. [`crate::app`] turns it into a run.

use crate::labels::Lang;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Monthly consolidation report for innovation clusters: members by category and
/// cluster, projects and financing, the financing-cap audit.
#[derive(Debug, Parser)]
#[command(name = "consolida", version, args_conflicts_with_subcommands = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    #[command(flatten)]
    pub(crate) run: RunArgs,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Read the inputs and write the report of a period (the default command).
    Run(RunArgs),
    /// Check the inputs and print every issue, without writing reports.
    Validate(ValidateArgs),
    /// Write blank member, project and targets workbooks with the canonical headers.
    Template(TemplateArgs),
    /// Show what consolida reads in spreadsheets: each sheet's header, the field
    /// of each column, how its rows are sorted out, and the first records.
    Inspect(InspectArgs),
}

#[derive(Debug, Clone, Args)]
pub(crate) struct InputArgs {
    /// Folder with the member and project spreadsheets.
    #[arg(long, value_name = "DIR", default_value = "inputs")]
    pub(crate) inputs: PathBuf,
    /// Configuration file [default: <inputs>/consolida.toml when present].
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// How messages are written on stderr.
    #[arg(long, value_enum, value_name = "FORMAT", default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub(crate) quiet: bool,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct RunArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Folder the reports go to; each period gets its own subfolder.
    #[arg(long, value_name = "DIR", default_value = "reports")]
    pub(crate) out: PathBuf,
    /// The month to report on, as of its last day [default: the current month].
    #[arg(long, value_name = "YYYY-MM")]
    pub(crate) period: Option<String>,
    /// Outputs to write besides summary.json and manifest.json.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "LIST",
        default_value = "xlsx,pdf,csv"
    )]
    pub(crate) format: Vec<Format>,
    /// Language of the workbook, the PDF and the messages.
    #[arg(long, value_enum, default_value_t = Lang::It)]
    pub(crate) lang: Lang,
    /// Exit with code 1 when the inputs have any error.
    #[arg(long)]
    pub(crate) strict: bool,
    /// Exit with code 1 when any project breaches its financing cap.
    #[arg(long)]
    pub(crate) fail_on_breach: bool,
    /// Exit with code 1 when any target is behind or missed.
    #[arg(long)]
    pub(crate) fail_on_deviation: bool,
    /// Also write one PDF per cluster: its card, its projects and its issues.
    #[arg(long)]
    pub(crate) per_cluster: bool,
    /// How many month-ends up to the period the trend shows.
    #[arg(long, value_name = "N", default_value_t = crate::monitoring::TREND_MONTHS)]
    pub(crate) trend_months: usize,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct ValidateArgs {
    #[command(flatten)]
    pub(crate) input: InputArgs,
    /// Language of the messages.
    #[arg(long, value_enum, default_value_t = Lang::It)]
    pub(crate) lang: Lang,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct TemplateArgs {
    /// Folder to write the blank workbooks to.
    #[arg(long, value_name = "DIR")]
    pub(crate) out: PathBuf,
    /// Folder whose consolida.toml fills the drop-down lists when --config is
    /// not given [default: inputs].
    #[arg(long, value_name = "DIR")]
    pub(crate) inputs: Option<PathBuf>,
    /// Configuration whose clusters and calls fill the drop-down lists
    /// [default: <inputs>/consolida.toml when present].
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Replace workbooks that already exist in the folder.
    #[arg(long)]
    pub(crate) force: bool,
}

#[derive(Debug, Clone, Args)]
pub(crate) struct InspectArgs {
    /// The spreadsheets or CSV files to inspect.
    #[arg(value_name = "FILE", required = true)]
    pub(crate) files: Vec<PathBuf>,
    /// Configuration whose [[source]] entries, clusters and categories apply.
    #[arg(long, value_name = "FILE")]
    pub(crate) config: Option<PathBuf>,
    /// Print one JSON document instead of text.
    #[arg(long, conflicts_with = "cells")]
    pub(crate) json: bool,
    /// Print every cell as read, one JSON object a line.
    #[arg(long)]
    pub(crate) cells: bool,
}

/// An output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Xlsx,
    Pdf,
    Csv,
    Parquet,
}

impl Format {
    /// The name given on the command line (`--format xlsx,pdf`).
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Pdf => "pdf",
            Format::Csv => "csv",
            Format::Parquet => "parquet",
        }
    }
}

/// How messages are written on stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum LogFormat {
    Text,
    Json,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bare_command_is_a_run_with_the_documented_defaults() {
        let cli = Cli::try_parse_from(["consolida"]).unwrap();
        assert!(cli.command.is_none());
        assert_eq!(cli.run.input.inputs, PathBuf::from("inputs"));
        assert_eq!(cli.run.out, PathBuf::from("reports"));
        assert_eq!(cli.run.format, vec![Format::Xlsx, Format::Pdf, Format::Csv]);
        assert_eq!(cli.run.lang, Lang::It);
    }

    #[test]
    fn subcommands_and_flags_parse() {
        let cli = Cli::try_parse_from([
            "consolida",
            "run",
            "--period",
            "2026-11",
            "--format",
            "csv",
            "--lang",
            "en",
        ])
        .unwrap();
        match cli.command {
            Some(Command::Run(run)) => {
                assert_eq!(run.period.as_deref(), Some("2026-11"));
                assert_eq!(run.format, vec![Format::Csv]);
                assert_eq!(run.lang, Lang::En);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            Cli::try_parse_from(["consolida", "validate", "--inputs", "x"])
                .unwrap()
                .command,
            Some(Command::Validate(_))
        ));
        match Cli::try_parse_from(["consolida", "template", "--out", "blank", "--force"])
            .unwrap()
            .command
        {
            Some(Command::Template(template)) => {
                assert!(template.force);
                assert_eq!(template.inputs, None);
            }
            other => panic!("{other:?}"),
        }
    }
}
