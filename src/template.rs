//! `consolida template`: blank member and project workbooks that read back without
//! issues — canonical headers with notes in Italian and English on them, drop-down
//! lists for category, cluster, province, call and aid type, amounts and dates
//! checked as they are typed (Excel data validation, with a message on entering
//! the cell and another on a wrong value), number and date formats already set,
//! and every sheet printed one page wide. It never overwrites a workbook that is
//! already there, unless `--force`.

use crate::category::Category;
use crate::config::Config;
use crate::console::Console;
use crate::error::{Error, Result};
use crate::labels::Lang;
use crate::render::write::write_atomically;
use crate::settings::TemplateSettings;
use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ExcelDateTime, Format, Formula,
    Note, Workbook, Worksheet, XlsxError,
};
use std::path::{Path, PathBuf};

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
    List(List),
}

/// A drop-down list, read from a column of the hidden `Elenchi` sheet.
#[derive(Clone, Copy, PartialEq, Eq)]
enum List {
    Category,
    Cluster,
    Province,
    Call,
    AidType,
}

impl List {
    const ALL: [List; 5] = [
        List::Category,
        List::Cluster,
        List::Province,
        List::Call,
        List::AidType,
    ];

    /// The list's column on the `Elenchi` sheet.
    fn column(self) -> u16 {
        match self {
            List::Category => 0,
            List::Cluster => 1,
            List::Province => 2,
            List::Call => 3,
            List::AidType => 4,
        }
    }

    fn letter(self) -> char {
        char::from(b'A' + self.column() as u8)
    }

    fn header(self) -> &'static str {
        match self {
            List::Category => "Categoria",
            List::Cluster => "Cluster",
            List::Province => "Provincia",
            List::Call => "Bando",
            List::AidType => "Tipo aiuto",
        }
    }

    /// The values offered: the categories' Italian labels, the provinces, and
    /// the clusters, calls and aid types of the configuration.
    fn values(self, config: &Config) -> Vec<String> {
        match self {
            List::Category => Category::ALL
                .iter()
                .map(|c| c.label(Lang::It).to_string())
                .collect(),
            List::Cluster => config.clusters.clone(),
            List::Province => PROVINCES.iter().map(|p| p.to_string()).collect(),
            List::Call => config.calls.clone(),
            List::AidType => aid_types(config),
        }
    }
}

/// The aid types offered: the usual ones, then those the configuration's caps
/// and de minimis name literally (a glob such as `de minimis*` is not a value).
fn aid_types(config: &Config) -> Vec<String> {
    let named = config
        .caps
        .iter()
        .map(|cap| cap.aid_type.as_str())
        .chain([config.de_minimis.aid_type.as_str()])
        .filter(|name| !name.is_empty() && !name.contains(['*', '?', '[']));
    let mut types: Vec<String> = Vec::new();
    for name in AID_TYPES.into_iter().chain(named) {
        if !types.iter().any(|t| t.eq_ignore_ascii_case(name)) {
            types.push(name.to_string());
        }
    }
    types
}

/// The aid types of cluster projects: de minimis, and the articles of the EU
/// General Block Exemption Regulation for research and development projects
/// (25), innovation clusters (27), innovation aid to SMEs (28) and process and
/// organisational innovation (29).
const AID_TYPES: [&str; 5] = [
    "de minimis",
    "GBER art. 25",
    "GBER art. 27",
    "GBER art. 28",
    "GBER art. 29",
];

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
        kind: ColumnKind::List(List::Category),
    },
    Column {
        header: "Cluster",
        note: "Scegliere dall'elenco / pick from the list",
        kind: ColumnKind::List(List::Cluster),
    },
    Column {
        header: "Provincia",
        note: "Sigla / two-letter code",
        kind: ColumnKind::List(List::Province),
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
        kind: ColumnKind::List(List::Cluster),
    },
    Column {
        header: "Bando",
        note: "Bando o asse / call",
        kind: ColumnKind::List(List::Call),
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
        kind: ColumnKind::List(List::AidType),
    },
];

/// The workbooks, by file name, with their sheet and columns.
const WORKBOOKS: [(&str, &str, &[Column]); 2] = [
    ("soci.xlsx", "Soci", &MEMBER_COLUMNS),
    ("progetti.xlsx", "Progetti", &PROJECT_COLUMNS),
];

/// Writes `soci.xlsx` and `progetti.xlsx` into `settings.out`, and says the
/// path of each on `console`.
///
/// # Errors
/// [`Error::Usage`] when either workbook is already there and `--force` is not
/// given (neither is then written); [`Error::Config`] for an unreadable
/// configuration; [`Error::Output`] when the files cannot be written.
pub(crate) fn write(settings: &TemplateSettings, console: &Console) -> Result<i32> {
    let paths: Vec<PathBuf> = WORKBOOKS
        .iter()
        .map(|(name, _, _)| settings.out.join(name))
        .collect();
    if !settings.force {
        if let Some(existing) = paths.iter().find(|path| is_there(path)) {
            return Err(Error::Usage(format!(
                "The file '{}' already exists; consolida template does not overwrite it: give another --out folder, or add --force to replace it.",
                existing.display()
            )));
        }
    }
    let config = match &settings.config {
        Some(path) => Config::load(path, &path.display().to_string())?,
        None => Config::default(),
    };
    std::fs::create_dir_all(&settings.out)
        .map_err(|e| Error::output(settings.out.display().to_string(), e))?;
    for ((_, sheet, columns), path) in WORKBOOKS.iter().zip(&paths) {
        let bytes = workbook(sheet, columns, &config)
            .map_err(|e| Error::output(path.display().to_string(), e))?;
        write_atomically(path, &bytes)?;
        console.info(&path.display().to_string());
    }
    Ok(0)
}

/// Whether anything is at `path`: a file, a folder, or a link, even a broken one.
fn is_there(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
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
            ColumnKind::List(list) if list.values(config).is_empty() => ColumnKind::Text,
            kind => kind,
        };
        prepare_column(sheet, col, kind)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_repeat_rows(0, 0)?;
    print_one_page_wide(sheet);
    lists_sheet(workbook.add_worksheet(), config)?;
    workbook.save_to_buffer()
}

/// A4 landscape, as many pages down as the rows take but one page wide.
fn print_one_page_wide(sheet: &mut Worksheet) {
    /// Excel's paper size code for A4.
    const A4: u8 = 9;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
}

fn prepare_column(sheet: &mut Worksheet, col: u16, kind: ColumnKind) -> Result<(), XlsxError> {
    let (first, last) = (1, PREPARED_ROWS);
    match kind {
        ColumnKind::Text => {
            sheet.set_column_format(col, &Format::new().set_num_format("@"))?;
        }
        ColumnKind::Date => {
            sheet.set_column_format(col, &Format::new().set_num_format("dd/mm/yyyy"))?;
            sheet.add_data_validation(first, col, last, col, &date_rule()?)?;
        }
        ColumnKind::Amount => {
            sheet.set_column_format(col, &Format::new().set_num_format("#,##0.00"))?;
            sheet.add_data_validation(first, col, last, col, &amount_rule()?)?;
        }
        ColumnKind::List(list) => {
            sheet.add_data_validation(first, col, last, col, &list_rule(list)?)?;
        }
    }
    Ok(())
}

/// A date from 1900 to 9999, the dates a workbook holds.
fn date_rule() -> Result<DataValidation, XlsxError> {
    let (first, last) = (
        ExcelDateTime::from_ymd(1900, 1, 1)?,
        ExcelDateTime::from_ymd(9999, 12, 31)?,
    );
    DataValidation::new()
        .allow_date(DataValidationRule::Between(first, last))
        .set_input_title("Data / date")?
        .set_input_message("gg/mm/aaaa, es. 15/03/2026 / a date, dd/mm/yyyy")?
        .set_error_title("Data non valida / invalid date")?
        .set_error_message(
            "Scrivere una data gg/mm/aaaa, es. 15/03/2026. / Write a date as dd/mm/yyyy.",
        )
}

/// An amount in euros, zero or more.
fn amount_rule() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_input_title("Importo / amount")?
        .set_input_message("Euro, es. 158.500,00 / an amount in euros")?
        .set_error_title("Importo non valido / bad amount")?
        .set_error_message(
            "Scrivere un importo in euro, zero o più, es. 158.500,00. / Write an amount in euros, zero or more.",
        )
}

/// A value of `list`. The aid type may be another than those listed, after a
/// warning: the list holds the usual ones, not every one there is.
fn list_rule(list: List) -> Result<DataValidation, XlsxError> {
    let letter = list.letter();
    let formula = Formula::new(format!("=Elenchi!${letter}$2:${letter}$200"));
    let rule = DataValidation::new()
        .allow_list_formula(formula)
        .set_input_title(format!("{} / list", list.header()))?
        .set_input_message("Scegliere dall'elenco / pick from the list")?;
    if list == List::AidType {
        rule.set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("Tipo non in elenco / not listed")?
            .set_error_message(
                "Il tipo di aiuto non è nell'elenco: confermare solo se è giusto. / This aid type is not in the list: keep it only if it is right.",
            )
    } else {
        rule.set_error_title("Non in elenco / not in the list")?
            .set_error_message("Scegliere un valore dall'elenco. / Pick a value from the list.")
    }
}

/// The hidden sheet the drop-down lists read from, a list per column.
fn lists_sheet(sheet: &mut Worksheet, config: &Config) -> Result<(), XlsxError> {
    sheet.set_name("Elenchi")?;
    let bold = Format::new().set_bold();
    for list in List::ALL {
        let col = list.column();
        sheet.write_string_with_format(0, col, list.header(), &bold)?;
        for (row, value) in list.values(config).iter().enumerate() {
            sheet.write_string(row as u32 + 1, col, value)?;
        }
        sheet.set_column_width(col, 32)?;
    }
    sheet.set_column_width(List::Cluster.column(), 40)?;
    print_one_page_wide(sheet);
    sheet.set_hidden(true);
    Ok(())
}
