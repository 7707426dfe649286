//! The benchmark workloads: `--members N` writes N member rows and N / 5 projects,
//! as xlsx or (with `--csv`) as semicolon-separated CSV, with a `consolida.toml`
//! beside them. Clusters (N / 1,000, at least 10) and calls (N / 4,000, at least 5)
//! scale with the size; the shipped inputs' kinds of mess come in small
//! proportions: unknown categories and misspelt clusters (1 in 1,000 rows each),
//! members listed twice in their cluster (1 in 200), dates stored as text (1 in
//! 50), amounts stored as text (1 in 50 projects) and financing above the project
//! value (1 in 200 projects). The same size gives the same data in both formats.

use super::{
    allowed_financing, name_for, properties, vat, Day, Rng, CALLS, CATEGORIES, CLUSTERS, PROVINCES,
    SUBJECTS, THEMES,
};
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};
use std::error::Error;
use std::path::Path;

/// What the command line asked for.
pub struct Options {
    pub members: usize,
    pub csv: bool,
}

/// A cell as the file stores it: a date or an amount written as a date or number
/// cell, or as text the way a person types it.
enum Cell {
    Text(String),
    Date(Day),
    Money(i64),
    Empty,
}

struct MemberRow {
    id: String,
    name: String,
    category: String,
    cluster: String,
    province: String,
    joined: Cell,
    left: Cell,
}

struct ProjectRow {
    cup: String,
    title: String,
    cluster: String,
    call: String,
    lead: String,
    value: Cell,
    financing: Cell,
    approved: Cell,
    start: Cell,
    end: Cell,
    aid: &'static str,
}

/// The data set of one size.
struct Workload {
    clusters: Vec<String>,
    calls: Vec<(String, usize)>,
    members: Vec<MemberRow>,
    projects: Vec<ProjectRow>,
}

/// Writes the workload into `dir`.
pub fn run(dir: &Path, options: &Options) -> Result<(), Box<dyn Error>> {
    std::fs::create_dir_all(dir)?;
    let workload = generate(options.members);
    std::fs::write(dir.join("consolida.toml"), config(&workload))?;
    if options.csv {
        write_members_csv(&workload.members, &dir.join("soci.csv"))?;
        write_projects_csv(&workload.projects, &dir.join("progetti.csv"))?;
    } else {
        write_members_xlsx(&workload.members, &dir.join("soci.xlsx"))?;
        write_projects_xlsx(&workload.projects, &dir.join("progetti.xlsx"))?;
    }
    eprintln!(
        "{} members, {} projects, {} clusters, {} calls written to {}",
        workload.members.len(),
        workload.projects.len(),
        workload.clusters.len(),
        workload.calls.len(),
        dir.display()
    );
    Ok(())
}

fn generate(size: usize) -> Workload {
    let mut rng = Rng(20_261_130 ^ size as u64);
    let clusters: Vec<String> = (0..(size / 1000).max(10))
        .map(|i| match i {
            0..=9 => CLUSTERS[i].0.to_string(),
            _ => format!("{} {}", CLUSTERS[i % 10].0, i / 10 + 1),
        })
        .collect();
    let calls: Vec<(String, usize)> = (0..(size / 4000).max(5))
        .map(|i| match i {
            0..=4 => (CALLS[i].0.to_string(), i),
            _ => (format!("{} – lotto {}", CALLS[i % 5].0, i / 5 + 1), i % 5),
        })
        .collect();
    let (members, leads) = members(&mut rng, &clusters, size);
    let projects = projects(&mut rng, &clusters, &calls, &members, &leads, size / 5);
    Workload {
        clusters,
        calls,
        members,
        projects,
    }
}

fn per_mille(rng: &mut Rng, rate: u64) -> bool {
    rng.below(1000) < rate
}

/// The member rows, and for each cluster the rows that can lead a project
/// (current members with a known category and cluster).
fn members(rng: &mut Rng, clusters: &[String], size: usize) -> (Vec<MemberRow>, Vec<Vec<usize>>) {
    let mut rows: Vec<MemberRow> = Vec::with_capacity(size);
    let mut leads = vec![Vec::new(); clusters.len()];
    for serial in 0..size {
        if serial > 0 && per_mille(rng, 5) {
            let twin = &rows[rng.below(serial as u64) as usize];
            let twin = MemberRow {
                id: twin.id.clone(),
                name: twin.name.clone(),
                category: twin.category.clone(),
                cluster: twin.cluster.clone(),
                province: twin.province.clone(),
                joined: Cell::Empty,
                left: Cell::Empty,
            };
            let joined = Day::random(rng, 2014, 2026, 10);
            rows.push(MemberRow {
                joined: date_cell(rng, joined),
                ..twin
            });
            continue;
        }
        let cluster = rng.below(clusters.len() as u64) as usize;
        let mut category = rng.weighted(&CATEGORIES).to_string();
        let joined = Day::random(rng, 2014, 2026, 10);
        let left = rng.chance(8).then(|| super::leaving_day(rng, joined));
        let mut cluster_name = clusters[cluster].clone();
        if per_mille(rng, 1) {
            category = "Fondazione di partecipazione".into();
        } else if per_mille(rng, 1) {
            cluster_name = misspell(&cluster_name);
        } else if left.is_none() {
            leads[cluster].push(rows.len());
        }
        rows.push(MemberRow {
            id: vat(rng),
            name: name_for(rng, &category, serial),
            category,
            cluster: cluster_name,
            province: rng.weighted(&PROVINCES).to_string(),
            joined: date_cell(rng, joined),
            left: left.map_or(Cell::Empty, |day| date_cell(rng, day)),
        });
    }
    (rows, leads)
}

/// The name with its third character left out: "Aerospazio" becomes "Aeospazio".
fn misspell(name: &str) -> String {
    name.chars()
        .enumerate()
        .filter(|(i, _)| *i != 2)
        .map(|(_, c)| c)
        .collect()
}

fn date_cell(rng: &mut Rng, day: Day) -> Cell {
    if rng.chance(2) {
        Cell::Text(format!("{:02}/{:02}/{}", day.2, day.1, day.0))
    } else {
        Cell::Date(day)
    }
}

fn money_cell(rng: &mut Rng, cents: i64) -> Cell {
    if rng.chance(2) {
        Cell::Text(format!("{} €", italian_amount(cents)))
    } else {
        Cell::Money(cents)
    }
}

/// `15850000` cents as `158.500,00`.
fn italian_amount(cents: i64) -> String {
    let euros = (cents / 100).to_string();
    let mut grouped = String::new();
    for (i, digit) in euros.chars().enumerate() {
        if i > 0 && (euros.len() - i).is_multiple_of(3) {
            grouped.push('.');
        }
        grouped.push(digit);
    }
    format!("{grouped},{:02}", cents % 100)
}

fn projects(
    rng: &mut Rng,
    clusters: &[String],
    calls: &[(String, usize)],
    members: &[MemberRow],
    leads: &[Vec<usize>],
    count: usize,
) -> Vec<ProjectRow> {
    let mut out = Vec::with_capacity(count);
    for serial in 1..=count {
        let (call, base) = &calls[rng.below(calls.len() as u64) as usize];
        let (base_call, _, cap) = CALLS[*base];
        let cluster = rng.below(clusters.len() as u64) as usize;
        let lead = match leads[cluster].as_slice() {
            [] => &members[0],
            candidates => &members[*rng.pick(candidates)],
        };
        let value_cents = (50_000 + rng.below(2_950_000) as i64) * 100 / 500 * 500;
        let factor = 70 + rng.below(30) as i64;
        let allowed = allowed_financing(base_call, cap, &lead.category, value_cents);
        let mut financing_cents =
            (allowed as f64 * factor as f64 / 100.0 / 100.0).round() as i64 * 100;
        if per_mille(rng, 5) {
            financing_cents = value_cents + 1_250_000;
        }
        let approved = Day::random(rng, 2023, 2026, 11);
        let start = Day(approved.0, approved.1, 28.min(approved.2 + 1));
        let end = Day(start.0 + 2, start.1, start.2);
        let cluster_name = if per_mille(rng, 1) {
            misspell(&clusters[cluster])
        } else {
            clusters[cluster].clone()
        };
        out.push(ProjectRow {
            cup: format!(
                "E{}{}B{:02}{:09}",
                4 + serial % 5,
                serial % 10,
                approved.0 % 100,
                10_000 + serial * 37
            ),
            title: format!("{} {}", rng.pick(&THEMES), rng.pick(&SUBJECTS)),
            cluster: cluster_name,
            call: call.clone(),
            lead: lead.id.clone(),
            value: money_cell(rng, value_cents),
            financing: money_cell(rng, financing_cents),
            approved: date_cell(rng, approved),
            start: date_cell(rng, start),
            end: date_cell(rng, end),
            aid: if base_call.starts_with("Bando Ergon") {
                "de minimis"
            } else {
                "GBER art. 25"
            },
        });
    }
    out
}

/// The shipped `consolida.toml` with this workload's clusters and calls, every
/// call rule a glob so that it covers the lots of its call, and targets that
/// every cluster has (the shipped ones name the Lombard clusters).
fn config(workload: &Workload) -> String {
    let shipped = include_str!("../../inputs/consolida.toml");
    let shipped = &shipped[..shipped
        .find("\n# Monitoring:")
        .expect("the shipped config ends with its targets")];
    let quoted = |names: &mut dyn Iterator<Item = &String>| {
        names.map(|n| format!("  \"{n}\",\n")).collect::<String>()
    };
    let clusters = quoted(&mut workload.clusters.iter());
    let calls = quoted(&mut workload.calls.iter().map(|(name, _)| name));
    let mut out = replace_list(shipped, "clusters = [", &clusters);
    out = replace_list(&out, "calls = [", &calls);
    out = out.replace(
        "call = \"Asse 1 Consolidamento CTL\"",
        "call = \"Asse 1 Consolidamento CTL*\"",
    );
    out + WORKLOAD_TARGETS
}

/// A target for the portfolio and three for every cluster.
const WORKLOAD_TARGETS: &str = "
[[target]]
cluster = \"total\"
indicator = \"breaches\"
from = \"2025-12\"
target = 0
by = \"2027-12\"

[[target]]
cluster = \"*\"
indicator = \"members\"
from = \"2025-12\"
milestones = { \"2026-06\" = 1000 }
target = 1100
by = \"2027-12\"

[[target]]
cluster = \"*\"
indicator = \"share.sme\"
from = \"2026-01\"
target = 0.60
by = \"2027-12\"

[[target]]
cluster = \"*\"
indicator = \"joined\"
from = \"2025-12\"
target = 100
by = \"2026-12\"
";

/// `text` with the items of the list that opens with `opening` replaced.
fn replace_list(text: &str, opening: &str, items: &str) -> String {
    let start = text
        .find(opening)
        .expect("the list is in the shipped config")
        + opening.len();
    let end = start + text[start..].find(']').expect("the list closes");
    format!("{}\n{}{}", &text[..start], items, &text[end..])
}

const MEMBER_HEADERS: [&str; 7] = [
    "Codice fiscale / P.IVA",
    "Denominazione",
    "Categoria",
    "Cluster",
    "Provincia",
    "Data adesione",
    "Data recesso",
];

const PROJECT_HEADERS: [&str; 11] = [
    "CUP",
    "Titolo",
    "Cluster",
    "Bando",
    "Capofila",
    "Valore progetto",
    "Finanziamento",
    "Data approvazione",
    "Data avvio",
    "Data fine",
    "Tipo aiuto",
];

/// The number and date formats of the sheets.
struct Formats {
    date: Format,
    money: Format,
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    formats: &Formats,
) -> Result<(), XlsxError> {
    match cell {
        Cell::Text(text) => sheet.write_string(row, col, text).map(|_| ()),
        Cell::Date(day) => sheet
            .write_datetime_with_format(row, col, day.excel()?, &formats.date)
            .map(|_| ()),
        Cell::Money(cents) => sheet
            .write_number_with_format(row, col, *cents as f64 / 100.0, &formats.money)
            .map(|_| ()),
        Cell::Empty => Ok(()),
    }
}

fn formats() -> Formats {
    Formats {
        date: Format::new().set_num_format("dd/mm/yyyy"),
        money: Format::new().set_num_format("#,##0.00"),
    }
}

fn write_members_xlsx(members: &[MemberRow], path: &Path) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties("Elenco soci – carico di prova")?);
    let sheet = workbook.add_worksheet().set_name("Soci")?;
    let bold = Format::new().set_bold();
    let formats = formats();
    sheet.write_string_with_format(0, 0, "Elenco soci – aggiornato al 21/11/2026", &bold)?;
    for (col, header) in MEMBER_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(2, col as u16, *header, &bold)?;
    }
    for (i, m) in members.iter().enumerate() {
        let row = 3 + i as u32;
        for (col, text) in [&m.id, &m.name, &m.category, &m.cluster, &m.province]
            .into_iter()
            .enumerate()
        {
            sheet.write_string(row, col as u16, text)?;
        }
        write_cell(sheet, row, 5, &m.joined, &formats)?;
        write_cell(sheet, row, 6, &m.left, &formats)?;
    }
    workbook.save(path)
}

fn write_projects_xlsx(projects: &[ProjectRow], path: &Path) -> Result<(), XlsxError> {
    let mut workbook = Workbook::new();
    workbook.set_properties(&properties("Progetti finanziati – carico di prova")?);
    let sheet = workbook.add_worksheet().set_name("Progetti")?;
    let bold = Format::new().set_bold();
    let formats = formats();
    for (col, header) in PROJECT_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, *header, &bold)?;
    }
    for (i, p) in projects.iter().enumerate() {
        let row = 1 + i as u32;
        for (col, text) in [&p.cup, &p.title, &p.cluster, &p.call, &p.lead]
            .into_iter()
            .enumerate()
        {
            sheet.write_string(row, col as u16, text)?;
        }
        let cells = [&p.value, &p.financing, &p.approved, &p.start, &p.end];
        for (col, cell) in cells.into_iter().enumerate() {
            write_cell(sheet, row, 5 + col as u16, cell, &formats)?;
        }
        sheet.write_string(row, 10, p.aid)?;
    }
    workbook.save(path)
}

/// A cell as CSV text: dates `dd/mm/yyyy` (ISO when the row has a date stored as
/// text, so the file mixes both forms), amounts `1234,50`.
fn csv_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => match text.split('/').collect::<Vec<_>>().as_slice() {
            [d, m, y] => format!("{y}-{m}-{d}"),
            _ => text.clone(),
        },
        Cell::Date(day) => format!("{:02}/{:02}/{}", day.2, day.1, day.0),
        Cell::Money(cents) => format!("{},{:02}", cents / 100, cents % 100),
        Cell::Empty => String::new(),
    }
}

fn csv_writer(path: &Path) -> Result<csv::Writer<std::fs::File>, csv::Error> {
    csv::WriterBuilder::new().delimiter(b';').from_path(path)
}

fn write_members_csv(members: &[MemberRow], path: &Path) -> Result<(), Box<dyn Error>> {
    let mut out = csv_writer(path)?;
    out.write_record(MEMBER_HEADERS)?;
    for m in members {
        out.write_record([
            m.id.as_str(),
            &m.name,
            &m.category,
            &m.cluster,
            &m.province,
            &csv_text(&m.joined),
            &csv_text(&m.left),
        ])?;
    }
    out.flush()?;
    Ok(())
}

fn write_projects_csv(projects: &[ProjectRow], path: &Path) -> Result<(), Box<dyn Error>> {
    let mut out = csv_writer(path)?;
    out.write_record(PROJECT_HEADERS)?;
    for p in projects {
        out.write_record([
            p.cup.as_str(),
            &p.title,
            &p.cluster,
            &p.call,
            &p.lead,
            &csv_text(&p.value),
            &csv_text(&p.financing),
            &csv_text(&p.approved),
            &csv_text(&p.start),
            &csv_text(&p.end),
            p.aid,
        ])?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_grouped_the_italian_way() {
        assert_eq!(italian_amount(15_850_000), "158.500,00");
        assert_eq!(italian_amount(99_905), "999,05");
        assert_eq!(italian_amount(123_456_789), "1.234.567,89");
    }

    #[test]
    fn every_call_rule_of_the_workload_config_is_a_glob() {
        let workload = generate(40_000);
        let text = config(&workload);
        assert!(text.contains("  \"Agrifood 2\",\n"));
        assert!(text.contains("  \"Asse 1 Consolidamento CTL – lotto 2\",\n"));
        assert!(!text.contains("\"Asse 1 Consolidamento CTL\"\n"));
        assert_eq!(workload.members.len(), 40_000);
        assert_eq!(workload.projects.len(), 8_000);
    }
}
