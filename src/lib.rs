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

pub mod aggregate;
pub mod app;
pub mod audit;
pub mod category;
pub mod cli;
pub mod config;
pub mod console;
pub mod error;
pub mod fold;
pub mod ingest;
pub mod issues;
pub mod labels;
pub mod location;
pub mod memory;
pub mod money;
pub mod normalise;
pub mod period;
pub mod render;
pub mod report;
pub mod schema;
pub mod settings;
pub mod suggestion;
pub mod template;
pub mod threads;
pub mod timings;
