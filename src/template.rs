//! `consolida template`: blank member, project and targets workbooks that read
//! back without issues — canonical headers with notes in Italian and English on
//! them, drop-down lists for category, cluster, province, call, aid type and
//! indicator, amounts, numbers, dates and months checked as they are typed
//! (Excel data validation, with a message on entering the cell and another on a
//! wrong value), number and date formats already set, and every sheet printed
//! one page wide. It never overwrites a workbook that is already there, unless
//! `--force`.

use crate::category::Category;
use crate::config::Config;
use crate::console::Console;
use crate::error::{Error, Result};
use crate::labels::Lang;
use crate::monitoring::indicator::Indicator;
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
    /// A month: a date cell shown as `mm/yyyy`, of which only the month counts.
    Month,
    Amount,
    /// A target's value: a count, an amount or a fraction, 0 or more.
    Number,
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
    /// The clusters a target may be for: the configuration's, `total` and `*`.
    TargetCluster,
    Indicator,
}

/// The lists of the member and project workbooks, in their `Elenchi` columns.
const DATA_LISTS: [List; 5] = [
    List::Category,
    List::Cluster,
    List::Province,
    List::Call,
    List::AidType,
];

/// The lists of the targets workbook, in their `Elenchi` columns.
const TARGET_LISTS: [List; 2] = [List::TargetCluster, List::Indicator];

impl List {
    fn header(self) -> &'static str {
        match self {
            List::Category => "Categoria",
            List::Cluster | List::TargetCluster => "Cluster",
            List::Province => "Provincia",
            List::Call => "Bando",
            List::AidType => "Tipo aiuto",
            List::Indicator => "Indicatore",
        }
    }

    /// The values offered: the categories' Italian labels, the provinces, the
    /// clusters, calls and aid types of the configuration, and for a target
    /// the clusters with `total` (the portfolio) and `*` (every cluster) and
    /// the indicators' keys.
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
            List::TargetCluster => config
                .clusters
                .iter()
                .cloned()
                .chain(["total".to_string(), "*".to_string()])
                .collect(),
            List::Indicator => Indicator::all()
                .into_iter()
                .filter(|indicator| indicator.is_target())
                .map(|indicator| indicator.key().to_string())
                .collect(),
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

/// The targets sheet's columns, the canonical header the monitoring reads:
/// one row per point of a cluster's target for one indicator.
const TARGET_COLUMNS: [Column; 4] = [
    Column {
        header: "Cluster",
        note: "Un cluster dell'elenco, total per l'intero portafoglio, * per ogni cluster senza un obiettivo proprio.\nA cluster from the list, total for the whole portfolio, * for every cluster without a target of its own.",
        kind: ColumnKind::List(List::TargetCluster),
    },
    Column {
        header: "Indicatore",
        note: "Un indicatore dell'elenco: members, members.<categoria>, share.<categoria> (quota dei soci), joined, projects, project_value, financing, financing_ratio, breaches.\nAn indicator from the list; share.<category> is the fraction of the members.",
        kind: ColumnKind::List(List::Indicator),
    },
    Column {
        header: "Mese",
        note: "mm/aaaa. Una riga per punto: il mese più vecchio di un cluster × indicatore è la base, il più recente l'obiettivo, gli altri tappe intermedie.\nmm/yyyy. One row per point: the earliest month of a cluster × indicator is its baseline, the latest its target, the others milestones.",
        kind: ColumnKind::Month,
    },
    Column {
        header: "Valore",
        note: "Vuoto alla base per calcolarlo dai dati. Conteggi interi, importi in euro, quote e rapporti in frazione (0,35) o percentuale (35%).\nBlank at the baseline to compute it from the data. Counts whole, amounts in euros, shares and ratios as 0.35 or 35%.",
        kind: ColumnKind::Number,
    },
];

/// A blank workbook: its file name, its sheet, the sheet's columns and the
/// drop-down lists of its `Elenchi` sheet, a column each in this order.
struct Template {
    file: &'static str,
    sheet: &'static str,
    columns: &'static [Column],
    lists: &'static [List],
}

/// The workbooks `consolida template` writes, in the order they are written.
const TEMPLATES: [Template; 3] = [
    Template {
        file: "soci.xlsx",
        sheet: "Soci",
        columns: &MEMBER_COLUMNS,
        lists: &DATA_LISTS,
    },
    Template {
        file: "progetti.xlsx",
        sheet: "Progetti",
        columns: &PROJECT_COLUMNS,
        lists: &DATA_LISTS,
    },
    Template {
        file: "obiettivi.xlsx",
        sheet: "Obiettivi",
        columns: &TARGET_COLUMNS,
        lists: &TARGET_LISTS,
    },
];

/// Writes `soci.xlsx`, `progetti.xlsx` and `obiettivi.xlsx` into
/// `settings.out`, and says the path of each on `console`.
///
/// # Errors
/// [`Error::Usage`] when any of the workbooks is already there and `--force`
/// is not given (none is then written); [`Error::Config`] for an unreadable
/// configuration; [`Error::Output`] when the files cannot be written.
pub(crate) fn write(settings: &TemplateSettings, console: &Console) -> Result<i32> {
    let paths: Vec<PathBuf> = TEMPLATES
        .iter()
        .map(|template| settings.out.join(template.file))
        .collect();
    if !settings.force {
        if let Some(existing) = paths.iter().find(|path| is_there(path)) {
            let existing = existing.display();
            return Err(Error::usage(
                format!("Il file «{existing}» esiste già; consolida template non lo sovrascrive: indicare un'altra cartella con --out, o aggiungere --force per sostituirlo."),
                format!("The file '{existing}' already exists; consolida template does not overwrite it: give another --out folder, or add --force to replace it."),
            ));
        }
    }
    let config = match &settings.config {
        Some(path) => Config::load(path, &path.display().to_string())?,
        None => Config::default(),
    };
    // Every workbook is made before any is written, so that one that cannot
    // be made leaves the folder as it was.
    let workbooks = TEMPLATES
        .iter()
        .zip(&paths)
        .map(|(template, path)| {
            workbook(template, &config).map_err(|e| Error::output(path.display().to_string(), e))
        })
        .collect::<Result<Vec<Vec<u8>>>>()?;
    std::fs::create_dir_all(&settings.out)
        .map_err(|e| Error::output(settings.out.display().to_string(), e))?;
    for (bytes, path) in workbooks.iter().zip(&paths) {
        write_atomically(path, bytes)?;
        let path = path.display().to_string();
        console.info(&crate::text::Text::new(path.clone(), path));
    }
    Ok(0)
}

/// Whether anything is at `path`: a file, a folder, or a link, even a broken one.
fn is_there(path: &Path) -> bool {
    path.symlink_metadata().is_ok()
}

fn workbook(template: &Template, config: &Config) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new()
        .set_bold()
        .set_background_color("#D9E1F2")
        .set_border_bottom(rust_xlsxwriter::FormatBorder::Thin);
    let sheet = workbook.add_worksheet().set_name(template.sheet)?;
    for (col, column) in template.columns.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, column.header, &header)?;
        sheet.insert_note(0, col, &note(column.note))?;
        sheet.set_column_width(col, 24)?;
        let kind = match column.kind {
            ColumnKind::List(list) if list.values(config).is_empty() => ColumnKind::Text,
            kind => kind,
        };
        prepare_column(sheet, col, kind, template.lists, config)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.set_repeat_rows(0, 0)?;
    print_one_page_wide(sheet);
    lists_sheet(workbook.add_worksheet(), template.lists, config)?;
    workbook.save_to_buffer()
}

/// A header's note. A note of a line or two keeps Excel's size; a longer one,
/// written as an Italian then an English paragraph, is made wide and tall
/// enough to be read whole.
fn note(text: &str) -> Note {
    /// The characters of a line of a note at its default width.
    const SHORT: usize = 60;
    /// A long note's width in pixels, and the characters a line of it holds.
    const WIDE: (u32, usize) = (360, 60);
    let note = Note::new(text).set_author("consolida");
    if text.chars().count() <= SHORT {
        return note;
    }
    // The author's line, then each paragraph's lines, 15 pixels each.
    let lines: usize = 1 + text
        .split('\n')
        .map(|paragraph| paragraph.chars().count().div_ceil(WIDE.1))
        .sum::<usize>();
    note.set_width(WIDE.0).set_height(lines as u32 * 15 + 10)
}

/// A4 landscape, as many pages down as the rows take but one page wide.
fn print_one_page_wide(sheet: &mut Worksheet) {
    /// Excel's paper size code for A4.
    const A4: u8 = 9;
    sheet.set_paper_size(A4);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
}

fn prepare_column(
    sheet: &mut Worksheet,
    col: u16,
    kind: ColumnKind,
    lists: &[List],
    config: &Config,
) -> Result<(), XlsxError> {
    let (first, last) = (1, PREPARED_ROWS);
    match kind {
        ColumnKind::Text => {
            sheet.set_column_format(col, &Format::new().set_num_format("@"))?;
        }
        ColumnKind::Date => {
            sheet.set_column_format(col, &Format::new().set_num_format("dd/mm/yyyy"))?;
            sheet.add_data_validation(first, col, last, col, &date_rule()?)?;
        }
        ColumnKind::Month => {
            sheet.set_column_format(col, &Format::new().set_num_format("mm/yyyy"))?;
            sheet.add_data_validation(first, col, last, col, &month_rule()?)?;
        }
        ColumnKind::Amount => {
            sheet.set_column_format(col, &Format::new().set_num_format("#,##0.00"))?;
            sheet.add_data_validation(first, col, last, col, &amount_rule()?)?;
        }
        ColumnKind::Number => {
            sheet.set_column_format(col, &Format::new().set_num_format("General"))?;
            sheet.add_data_validation(first, col, last, col, &number_rule()?)?;
        }
        ColumnKind::List(list) => {
            let rule = list_rule(list, lists, config)?;
            sheet.add_data_validation(first, col, last, col, &rule)?;
        }
    }
    Ok(())
}

/// The dates a workbook holds, from 1900 to 9999.
fn any_date() -> Result<DataValidationRule<ExcelDateTime>, XlsxError> {
    Ok(DataValidationRule::Between(
        ExcelDateTime::from_ymd(1900, 1, 1)?,
        ExcelDateTime::from_ymd(9999, 12, 31)?,
    ))
}

/// A date from 1900 to 9999, the dates a workbook holds.
fn date_rule() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_date(any_date()?)
        .set_input_title("Data / date")?
        .set_input_message("gg/mm/aaaa, es. 15/03/2026 / a date, dd/mm/yyyy")?
        .set_error_title("Data non valida / invalid date")?
        .set_error_message(
            "Scrivere una data gg/mm/aaaa, es. 15/03/2026. / Write a date as dd/mm/yyyy.",
        )
}

/// A month, typed as a date: only its month and year are read.
fn month_rule() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_date(any_date()?)
        .set_input_title("Mese / month")?
        .set_input_message("mm/aaaa, es. 06/2026 / a month, mm/yyyy")?
        .set_error_title("Mese non valido / invalid month")?
        .set_error_message("Scrivere un mese mm/aaaa, es. 06/2026. / Write a month as mm/yyyy.")
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

/// A target's value: a count, an amount in euros or a fraction (typed as a
/// percentage or not), 0 or more; blank for a baseline to be computed.
fn number_rule() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_decimal_number(DataValidationRule::GreaterThanOrEqualTo(0.0))
        .set_input_title("Valore / value")?
        .set_input_message(
            "Numero ≥ 0, vuoto alla base per calcolarlo / a number ≥ 0, blank at the baseline to compute it",
        )?
        .set_error_title("Valore non valido / bad value")?
        .set_error_message(
            "Scrivere un numero, zero o più: 140, 0,35 o 35%, 1.500.000,00. / Write a number, zero or more.",
        )
}

/// A value of `list`, read from its column among `lists` on the `Elenchi`
/// sheet. The aid type may be another than those listed, after a warning: the
/// list holds the usual ones, not every one there is; so may a target's
/// cluster when the configuration lists no clusters, and any name is one.
fn list_rule(list: List, lists: &[List], config: &Config) -> Result<DataValidation, XlsxError> {
    let letter = letter(list, lists);
    let formula = Formula::new(format!("=Elenchi!${letter}$2:${letter}$200"));
    let rule = DataValidation::new()
        .allow_list_formula(formula)
        .set_input_title(format!("{} / list", list.header()))?
        .set_input_message("Scegliere dall'elenco / pick from the list")?;
    match list {
        List::AidType => rule
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("Tipo non in elenco / not listed")?
            .set_error_message(
                "Il tipo di aiuto non è nell'elenco: confermare solo se è giusto. / This aid type is not in the list: keep it only if it is right.",
            ),
        List::TargetCluster if config.clusters.is_empty() => rule
            .set_error_style(DataValidationErrorStyle::Warning)
            .set_error_title("Non in elenco / not listed")?
            .set_error_message(
                "consolida.toml non elenca i cluster: confermare se il nome è quello dei soci. / consolida.toml lists no clusters: keep the name if it is the members' one.",
            ),
        _ => rule
            .set_error_title("Non in elenco / not in the list")?
            .set_error_message("Scegliere un valore dall'elenco. / Pick a value from the list."),
    }
}

/// The column letter of `list` on the `Elenchi` sheet, whose columns are `lists`.
fn letter(list: List, lists: &[List]) -> char {
    let col = lists
        .iter()
        .position(|l| *l == list)
        .expect("a workbook's columns use its own lists");
    char::from(b'A' + col as u8)
}

/// The hidden sheet the drop-down lists read from, a list per column.
fn lists_sheet(sheet: &mut Worksheet, lists: &[List], config: &Config) -> Result<(), XlsxError> {
    sheet.set_name("Elenchi")?;
    let bold = Format::new().set_bold();
    for (col, list) in lists.iter().enumerate() {
        let col = col as u16;
        sheet.write_string_with_format(0, col, list.header(), &bold)?;
        for (row, value) in list.values(config).iter().enumerate() {
            sheet.write_string(row as u32 + 1, col, value)?;
        }
        let width = match list {
            List::Cluster | List::TargetCluster => 40,
            _ => 32,
        };
        sheet.set_column_width(col, width)?;
    }
    print_one_page_wide(sheet);
    sheet.set_hidden(true);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Excel's limits on a data validation's texts (a title of 32 characters,
    /// a message of 255) and the lists' columns are checked as the workbooks
    /// are made: each is made with the clusters and calls configured and
    /// without.
    #[test]
    fn every_workbook_is_made_with_and_without_a_configuration() {
        let configured = Config {
            clusters: vec!["Mobilità".into(), "Scienze della vita".into()],
            calls: vec!["Asse 1".into()],
            ..Config::default()
        };
        for config in [Config::default(), configured] {
            for template in &TEMPLATES {
                let bytes = workbook(template, &config)
                    .unwrap_or_else(|e| panic!("{}: {e}", template.file));
                assert!(bytes.starts_with(b"PK"), "{}", template.file);
            }
        }
    }

    #[test]
    fn a_target_is_offered_every_cluster_the_portfolio_and_every_indicator() {
        let config = Config {
            clusters: vec!["Mobilità".into()],
            ..Config::default()
        };
        assert_eq!(
            List::TargetCluster.values(&config),
            ["Mobilità", "total", "*"]
        );
        let indicators = List::Indicator.values(&config);
        assert_eq!(indicators.len(), 1 + 2 * Category::ALL.len() + 6);
        for key in &indicators {
            assert!(Indicator::parse(key).is_ok(), "{key}");
        }
        assert!(
            !indicators.contains(&"left".to_string()),
            "left is only followed"
        );
    }
}
