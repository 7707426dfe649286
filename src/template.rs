//! `consolida template`: blank member and project workbooks that read back without
//! issues — canonical headers with notes in Italian and English on them, drop-down lists for
//! category, cluster and province, and number and date formats already set.

use crate::category::Category;
use crate::cli::TemplateArgs;
use crate::config::Config;
use crate::console::Console;
use crate::error::{Error, Result};
use crate::labels::Lang;
use crate::render::write::write_atomically;
use rust_xlsxwriter::{DataValidation, Format, Formula, Note, Workbook, Worksheet, XlsxError};

/// Rows prepared with formats and drop-downs.
const PREPARED_ROWS: u32 = 5_000;

const PROVINCES: [&str; 12] = [
    "BG", "BS", "CO", "CR", "LC", "LO", "MB", "MI", "MN", "PV", "SO", "VA",
];

/// A column of a template: header, note, and what its cells hold.
struct Column {
    header: &'static str,
    note: &'static str,
    kind: ColumnKind,
}

#[derive(Clone, Copy)]
enum ColumnKind {
    Text,
    Date,
    Amount,
    List(&'static str),
}

const MEMBER_COLUMNS: [Column; 7] = [
    Column {
        header: "Codice fiscale / P.IVA",
        note: "Codice fiscale o partita IVA / tax code or VAT number",
        kind: ColumnKind::Text,
    },
    Column {
        header: "Denominazione",
        note: "Ragione sociale / legal name",
        kind: ColumnKind::Text,
    },
    Column {
        header: "Categoria",
        note: "Scegliere dall'elenco / pick from the list",
        kind: ColumnKind::List("A"),
    },
    Column {
        header: "Cluster",
        note: "Scegliere dall'elenco / pick from the list",
        kind: ColumnKind::List("B"),
    },
    Column {
        header: "Provincia",
        note: "Sigla / two-letter code",
        kind: ColumnKind::List("C"),
    },
    Column {
        header: "Data adesione",
        note: "gg/mm/aaaa / joining date",
        kind: ColumnKind::Date,
    },
    Column {
        header: "Data recesso",
        note: "Vuota se ancora socio / empty while a member",
        kind: ColumnKind::Date,
    },
];

const PROJECT_COLUMNS: [Column; 11] = [
    Column {
        header: "CUP",
        note: "Codice unico di progetto / project code",
        kind: ColumnKind::Text,
    },
    Column {
        header: "Titolo",
        note: "Titolo del progetto / title",
        kind: ColumnKind::Text,
    },
    Column {
        header: "Cluster",
        note: "Scegliere dall'elenco / pick from the list",
        kind: ColumnKind::List("B"),
    },
    Column {
        header: "Bando",
        note: "Bando o asse / call",
        kind: ColumnKind::List("D"),
    },
    Column {
        header: "Capofila",
        note: "Codice fiscale del capofila / lead member's id",
        kind: ColumnKind::Text,
    },
    Column {
        header: "Valore progetto",
        note: "Euro, es. 158.500,00 / project value in EUR",
        kind: ColumnKind::Amount,
    },
    Column {
        header: "Finanziamento",
        note: "Euro, es. 114.944,00 / financing in EUR",
        kind: ColumnKind::Amount,
    },
    Column {
        header: "Data approvazione",
        note: "gg/mm/aaaa / approval date",
        kind: ColumnKind::Date,
    },
    Column {
        header: "Data avvio",
        note: "gg/mm/aaaa / start date",
        kind: ColumnKind::Date,
    },
    Column {
        header: "Data fine",
        note: "gg/mm/aaaa / end date",
        kind: ColumnKind::Date,
    },
    Column {
        header: "Tipo aiuto",
        note: "Es. de minimis, GBER art. 25 / aid type",
        kind: ColumnKind::Text,
    },
];

/// Writes `soci.xlsx` and `progetti.xlsx` into `args.out`, and says the path of
/// each on `console`.
///
/// # Errors
/// [`Error::Config`] for an unreadable configuration, [`Error::Output`] when the
/// files cannot be written.
pub(crate) fn write(args: &TemplateArgs, console: &Console) -> Result<i32> {
    let config = match &args.config {
        Some(path) => Config::load(path, &path.display().to_string())?,
        None => Config::default(),
    };
    std::fs::create_dir_all(&args.out)
        .map_err(|e| Error::output(args.out.display().to_string(), e))?;
    for (name, sheet, columns) in [
        ("soci.xlsx", "Soci", &MEMBER_COLUMNS[..]),
        ("progetti.xlsx", "Progetti", &PROJECT_COLUMNS[..]),
    ] {
        let path = args.out.join(name);
        let bytes = workbook(sheet, columns, &config)
            .map_err(|e| Error::output(path.display().to_string(), e))?;
        write_atomically(&path, &bytes)?;
        console.info(&path.display().to_string());
    }
    Ok(0)
}

fn workbook(sheet_name: &str, columns: &[Column], config: &Config) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color("#D9E1F2")
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let sheet = workbook.add_worksheet().set_name(sheet_name)?;
    for (col, column) in columns.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, column.header, &header)?;
        sheet.insert_note(0, col, &Note::new(column.note).set_author("consolida"))?;
        sheet.set_column_width(col, 24)?;
        let kind = match column.kind {
            ColumnKind::List("D") if config.calls.is_empty() => ColumnKind::Text,
            kind => kind,
        };
        prepare_column(sheet, col, kind)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    lists_sheet(workbook.add_worksheet(), config)?;
    workbook.save_to_buffer()
}

fn prepare_column(sheet: &mut Worksheet, col: u16, kind: ColumnKind) -> Result<(), XlsxError> {
    let (first, last) = (1, PREPARED_ROWS);
    match kind {
        ColumnKind::Text => {
            sheet.set_column_format(col, &Format::new().set_num_format("@"))?;
        }
        ColumnKind::Date => {
            sheet.set_column_format(col, &Format::new().set_num_format("dd/mm/yyyy"))?;
            let rule = DataValidation::new()
                .allow_any_value()
                .set_input_message("gg/mm/aaaa")?;
            sheet.add_data_validation(first, col, last, col, &rule)?;
        }
        ColumnKind::Amount => {
            sheet.set_column_format(col, &Format::new().set_num_format("#,##0.00"))?;
        }
        ColumnKind::List(list_column) => {
            let formula = Formula::new(format!("=Elenchi!${list_column}$2:${list_column}$200"));
            let rule = DataValidation::new().allow_list_formula(formula);
            sheet.add_data_validation(first, col, last, col, &rule)?;
        }
    }
    Ok(())
}

/// The hidden sheet the drop-down lists read from.
fn lists_sheet(sheet: &mut Worksheet, config: &Config) -> Result<(), XlsxError> {
    sheet.set_name("Elenchi")?;
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, "Categoria", &bold)?;
    sheet.write_string_with_format(0, 1, "Cluster", &bold)?;
    sheet.write_string_with_format(0, 2, "Provincia", &bold)?;
    sheet.write_string_with_format(0, 3, "Bando", &bold)?;
    for (row, call) in config.calls.iter().enumerate() {
        sheet.write_string(row as u32 + 1, 3, call)?;
    }
    for (row, category) in Category::ALL.iter().enumerate() {
        sheet.write_string(row as u32 + 1, 0, category.label(Lang::It))?;
    }
    for (row, cluster) in config.clusters.iter().enumerate() {
        sheet.write_string(row as u32 + 1, 1, cluster)?;
    }
    for (row, province) in PROVINCES.iter().enumerate() {
        sheet.write_string(row as u32 + 1, 2, *province)?;
    }
    sheet.set_column_width(0, 32)?;
    sheet.set_column_width(1, 40)?;
    sheet.set_hidden(true);
    Ok(())
}
