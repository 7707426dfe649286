//! The integration tests, one binary: each module runs the built `consolida` on
//! inputs of its own and reads what it wrote back, independently of the library.
//! Run one module with `cargo test --test integration <module>::`.
//!
//! The tests that need an outside program (poppler's tools, qpdf, LibreOffice,
//! openpyxl) are ignored where it is missing; `build.rs` looks for them.
//!
//! The shared helpers stay in `tests/common/`, beside this folder: the library's
//! own unit tests include the xlsb writer from there.

#[path = "../common/mod.rs"]
mod common;

/// The project's generator of inputs, compiled in for the tests that write its
/// benchmark workloads (`generate_inputs::workload::run`); its own unit tests
/// run here too.
#[path = "../../examples/generate_inputs/main.rs"]
#[allow(dead_code)]
mod generate_inputs;

mod bombs;
mod bounded;
mod cli;
mod cron;
mod exports;
mod extremes;
mod inputs;
mod inspect;
mod layouts;
mod messages;
mod monitoring;
mod pdf;
mod per_cluster;
mod real_files;
mod sources;
mod targets;
mod template;
mod workbook;
mod workbook_audit_sheets;
mod workbook_golden;
mod workbook_large;
mod workbook_monitoring;
mod workbook_readers;
mod xls_guard;
mod xlsb_ods;
