//! `consolida` turns the member lists and project budgets kept by innovation-cluster
//! secretariats into the monthly consolidation report.
//!
//! The library is a pipeline, one module per stage:
//! [`ingest`] reads spreadsheets and CSV files into raw tables with cell coordinates,
//! [`normalise`] maps them onto canonical members and projects and collects every
//! problem as an [`issues::Issue`], [`aggregate`] builds the one [`report::Report`]
//! model with polars and the financing audit of [`audit`], and [`render`] writes
//! each output format from that model.
//! [`app`] is the glue the binary calls.

mod aggregate;
mod app;
mod audit;
mod category;
mod category_words;
mod cli;
mod config;
mod console;
mod ellipsis;
mod error;
mod fold;
mod ingest;
mod inspect;
mod issue_groups;
mod issues;
mod labels;
mod location;
mod memory;
mod money;
mod monitoring;
mod normalise;
mod period;
mod render;
mod report;
mod schema;
mod settings;
mod status;
mod suggestion;
mod template;
mod text;
mod threads;
mod timings;

// What the binary, the fuzz targets and the integration tests use; everything
// else is the crate's own, so the compiler reports what nothing uses.
pub use app::main;
pub use config::Config;
pub use error::{Error, Result};
pub use ingest::{read_tables, sha256_hex, InputFile, RawTable};
// The two xlsx readers compared, for the corpus run and the fuzz target.
#[doc(hidden)]
pub use ingest::differential;
pub use location::Location;
pub use memory::keep_freed;
pub use normalise::{normalise, Dataset};
