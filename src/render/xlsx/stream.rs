//! Constant-memory mode for large sheets: when a sheet's table has more than
//! [`STREAM_FROM_ROWS`] data rows, its worksheet is added with
//! `Workbook::add_worksheet_with_constant_memory()`, which keeps one row in memory
//! and writes each row to a temporary file as soon as a later row is written, its
//! strings inline rather than in the shared-string table.
//!
//! What that mode allows, from rust_xlsxwriter 0.102's source:
//! - a write to a row above the current one is dropped with a line on stderr, not
//!   an error; [`Stream::reach`] turns it into one, so nothing is lost silently;
//! - a row's height (`set_row_height`) must be set while the row is the current one
//!   (or ahead of it): it is written with the row;
//! - `autofit()` sees only the current row; column widths themselves are written
//!   when the workbook is saved, so they may be set at any time;
//! - `add_table()` writes the header cells on its first row, so it must come before
//!   the data rows; it keeps the totals row's cells aside until that row is reached;
//! - conditional formats, ignored errors, panes, print titles and page setup are
//!   kept apart from the cells and written at the end, so they may come at any time;
//! - the row still in memory at save is written twice when it has a height (see
//!   `Sheet::leave_last_row` for the way round);
//! - charts take their cached values from the rows in memory, so a chart over a
//!   streamed sheet (a members sheet of more than 10,000 clusters) carries none and
//!   the reader draws it from the cells (LibreOffice does).
//!
//! The threshold: below it a sheet is written in memory as before, so small
//! reports keep the shared-string table Excel itself writes (smaller files, and the
//! golden parts unchanged); the real reports this tool is for have hundreds or a few
//! thousand projects. In memory every cell is held until the workbook is saved,
//! so the memory a sheet takes grows without bound with its rows (the figures are
//! in BENCHMARKS.md, "Figures that were in code comments"). Streamed,
//! the cells cost a second pass over the rows to measure the widths; what still
//! grows is rust_xlsxwriter's own bookkeeping: one map entry per table cell for its
//! overlap check and one per tall row for the height. The audit, the one sheet
//! that reaches hundreds of thousands of rows, escapes all three: its worksheet
//! is saved without its data rows (the table over the header and one row), and
//! its rows are written by [`rows`](super::rows) in one pass that measures them,
//! compressed as they are made, and put into the saved part
//! ([`splice`](super::splice)).

use super::autofit::Autofit;
use rust_xlsxwriter::{RowNum, XlsxError};

/// A sheet whose table has more data rows than this is written in constant memory.
pub(crate) const STREAM_FROM_ROWS: RowNum = 10_000;

/// Where a constant-memory sheet is in its writing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pass {
    /// No cells yet but those above the table, written as they come: the
    /// header, limits and totals are being declared.
    Declaring,
    /// The body's first run: cells are measured, not written.
    Measuring,
    /// The body's second run and what follows it (a spliced sheet's only run):
    /// cells are written, in row order.
    Writing,
}

/// The state of a sheet written row by row: in constant-memory mode, or spliced.
#[derive(Debug)]
pub(crate) struct Stream {
    pub(crate) pass: Pass,
    /// What autofit would make of the cells measured.
    pub(crate) autofit: Autofit,
    /// The row being written; the rows above it are on disk.
    current: RowNum,
    /// The header row of the sheet's table: the rows above it (a heading) are
    /// written as they are declared, before the header.
    pub(crate) header_row: Option<RowNum>,
}

impl Stream {
    pub(crate) fn new(autofit: Autofit) -> Stream {
        Stream {
            pass: Pass::Declaring,
            autofit,
            current: 0,
            header_row: None,
        }
    }

    /// The row being written.
    pub(crate) fn current(&self) -> RowNum {
        self.current
    }

    /// Moves to `row` before a cell is written there. `Ok(Some(previous))` when
    /// that leaves the previous row behind (its height is due now), `Ok(None)` when
    /// the row is the current one; an error for a row already on disk or while no
    /// cell may be written yet (while declaring, but above the table's header).
    pub(crate) fn reach(&mut self, row: RowNum, sheet: &str) -> Result<Option<RowNum>, XlsxError> {
        let heading = self.header_row.is_some_and(|header| row < header);
        if self.pass == Pass::Declaring && !heading {
            return Err(XlsxError::ParameterError(format!(
                "sheet '{sheet}' is written in constant memory: its cells are written \
                 in the body of Sheet::write, not before it."
            )));
        }
        if row < self.current {
            return Err(XlsxError::ParameterError(format!(
                "sheet '{sheet}' is written in constant memory: row {} cannot be written \
                 after row {}.",
                row + 1,
                self.current + 1
            )));
        }
        if row == self.current {
            return Ok(None);
        }
        let previous = self.current;
        self.current = row;
        Ok(Some(previous))
    }
}

#[cfg(test)]
mod tests {
    use super::super::test_support::{options, part};
    use super::super::{render_streaming_from, render_with, Ctx};
    use super::*;
    use crate::issues::Severity;
    use crate::labels::Lang;
    use crate::money::{Cents, Ratio};
    use crate::report::monitoring::sample_monitoring;
    use crate::report::{sample_report, ProjectGroup, Report};
    use chrono::NaiveDate;

    #[test]
    fn rows_are_reached_in_order_only_once_writing() {
        let mut stream = Stream::new(Autofit::new(Lang::It, 480));
        let refused = stream.reach(0, "Audit").unwrap_err().to_string();
        assert!(refused.contains("in the body of Sheet::write"), "{refused}");
        // Above a table's header, cells go as they are declared.
        let mut heading = Stream::new(Autofit::new(Lang::It, 480));
        heading.header_row = Some(3);
        assert_eq!(heading.reach(0, "Monitoraggio").unwrap(), None);
        assert_eq!(heading.reach(1, "Monitoraggio").unwrap(), Some(0));
        assert!(heading.reach(3, "Monitoraggio").is_err());
        stream.pass = Pass::Writing;
        assert_eq!(stream.reach(0, "Audit").unwrap(), None);
        assert_eq!(stream.reach(3, "Audit").unwrap(), Some(0));
        assert_eq!(stream.reach(3, "Audit").unwrap(), None);
        let late = stream.reach(2, "Audit").unwrap_err().to_string();
        assert!(
            late.contains("row 3 cannot be written after row 4"),
            "{late}"
        );
    }

    /// A partner of each of the first `rows / 2` projects (some unnamed), a
    /// share gap for each of the first ten, and `rows / 4` members above the
    /// de minimis ceiling.
    fn grow_partners_and_de_minimis(report: &mut Report, rows: usize) {
        use crate::report::{PartnerAudit, ShareGap, SharesOf};
        let partners = report.audit.projects.iter().take(rows / 2).enumerate();
        report.audit.partners = partners
            .map(|(i, p)| PartnerAudit {
                project_id: p.project_id.clone(),
                member_id: format!("{i:011}"),
                member_name: (i % 3 != 0).then(|| format!("Partner {}", "P".repeat(i % 50))),
                category: p.lead_category,
                cost_share: p.value,
                financing_share: p.financing,
                ratio: p.ratio,
                verdict: p.verdict.clone(),
                source: p.source.clone(),
            })
            .collect();
        let gaps = report.audit.projects.iter().take(10).enumerate();
        report.audit.share_gaps = gaps
            .map(|(i, p)| ShareGap {
                project_id: p.project_id.clone(),
                shares: if i % 2 == 0 {
                    SharesOf::Cost
                } else {
                    SharesOf::Financing
                },
                partners: i + 2,
                sum: Cents(p.value.0 - i as i64 * 101),
                expected: p.value,
                source: p.source.clone(),
            })
            .collect();
        let member = report.audit.de_minimis[0].clone();
        report.audit.de_minimis = (0..rows / 4)
            .map(|i| {
                let mut m = member.clone();
                m.member_id = format!("{i:011}");
                m.name = "Socio ".repeat(i % 30);
                m.category = (i % 5 != 0).then_some(crate::category::Category::Sme);
                m.excess = Cents(i as i64 * 12_345);
                m
            })
            .collect();
    }

    /// The sample report grown on every table, with cells that size columns and
    /// rows in different ways: long, multi-line and empty text, missing dates and
    /// caps, negative and large amounts.
    fn grown_report(rows: usize) -> Report {
        let mut report = sample_report();
        let seeds = report.audit.projects.clone();
        report.audit.projects = (0..rows)
            .map(|i| {
                let mut p = seeds[i % seeds.len()].clone();
                p.project_id = format!("P{i:05}");
                p.title = match i % 5 {
                    0 => "Piano ".repeat(i % 40),
                    1 => format!("Riga uno\nRiga due {i}"),
                    2 => "W".repeat(250),
                    _ => format!("Progetto {i}"),
                };
                p.value = Cents(1_000 + (i as i64).pow(3) * 7_919);
                p.financing = Cents(if i % 11 == 0 {
                    -(i as i64) * 100
                } else {
                    p.value.0 / 2
                });
                p.ratio = Ratio::new(p.financing, p.value);
                p.approved_on = (i % 4 != 0)
                    .then(|| {
                        NaiveDate::from_ymd_opt(2000 + (i % 27) as i32, 1 + (i % 12) as u32, 28)
                    })
                    .flatten();
                p
            })
            .collect();
        let issues = report.issues.clone();
        report.issues = (0..rows / 2)
            .map(|i| {
                let mut issue = issues[i % issues.len()].clone();
                let notes = "Nota. ".repeat(i % 30);
                issue.message = crate::text::Text::new(
                    format!("{} {notes}", issue.message.it()),
                    format!("{} {notes}", issue.message.en()),
                );
                issue.location.row = Some(i as u32 * 97);
                if i % 3 == 0 {
                    issue.severity = Severity::Warning;
                    issue.suggestion = None;
                }
                issue
            })
            .collect();
        grow_partners_and_de_minimis(&mut report, rows);
        let cluster = report.members.by_cluster[0].clone();
        report.members.by_cluster = (0..rows / 10)
            .map(|i| {
                let mut c = cluster.clone();
                c.cluster = format!("Cluster {}", "X".repeat(i % 60));
                c
            })
            .collect();
        report.projects.by_call = (0..rows / 10)
            .map(|i| ProjectGroup {
                key: format!("Bando {i} {}", "lungo ".repeat(i % 20)),
                totals: report.projects.portfolio,
            })
            .collect();
        let input = report.inputs[0].clone();
        report.inputs = (0..rows / 20)
            .map(|i| {
                let mut input = input.clone();
                input.path = format!("inputs/{}{i}.xlsx", "sub/".repeat(i % 25));
                input.rows = (i as u64) * 12_345;
                input
            })
            .collect();
        let mut monitoring = sample_monitoring();
        let (targets, trend) = (monitoring.targets.clone(), &mut monitoring.trend);
        monitoring.targets = (0..rows / 10)
            .map(|i| {
                let mut target = targets[i % targets.len()].clone();
                target.origin = format!("inputs/{}obiettivi.xlsx:A{i}", "sub/".repeat(i % 25));
                target
            })
            .collect();
        let clusters = trend.clusters.clone();
        trend.clusters = (0..rows / 20)
            .map(|i| {
                let mut c = clusters[i % clusters.len()].clone();
                c.cluster = format!("Cluster {}", "Y".repeat(i % 60));
                c
            })
            .collect();
        let moves = trend.moves.clone();
        trend.moves = (0..rows)
            .map(|i| {
                let mut m = moves[i % moves.len()].clone();
                m.member_id = format!("M{i:05}");
                m.name = "Socio ".repeat(i % 15);
                m
            })
            .collect();
        report.monitoring = monitoring;
        report
    }

    /// `<tag …>…</tag>` (or `<tag …/>`) elements inside the first `<section …>`.
    fn elements(xml: &str, section: &str, tag: &str) -> Vec<String> {
        let Some(start) = xml.find(&format!("<{section}")) else {
            return Vec::new();
        };
        let end = xml[start..]
            .find(&format!("</{section}>"))
            .map_or(xml.len(), |e| start + e);
        let mut rest = &xml[start..end];
        rest = &rest[rest.find('>').unwrap() + 1..];
        let (open, close) = (format!("<{tag}"), format!("</{tag}>"));
        let mut found = Vec::new();
        while let Some(i) = rest.find(&open) {
            let tail = &rest[i..];
            if !matches!(tail[open.len()..].chars().next(), Some(' ' | '>' | '/')) {
                rest = &tail[open.len()..];
                continue;
            }
            let gt = tail.find('>').unwrap();
            let len = if tail[..gt].ends_with('/') {
                gt + 1
            } else {
                tail.find(&close).unwrap() + close.len()
            };
            found.push(tail[..len].to_string());
            rest = &tail[len..];
        }
        found
    }

    /// Replaces the value of every attribute `name="V"` of `xml` by `value(V)`.
    fn resolve(xml: &str, name: &str, value: impl Fn(&str) -> String) -> String {
        let key = format!(" {name}=\"");
        let mut out = String::new();
        let mut rest = xml;
        while let Some(i) = rest.find(&key) {
            out.push_str(&rest[..i + key.len()]);
            let tail = &rest[i + key.len()..];
            let quote = tail.find('"').unwrap();
            out.push_str(&value(&tail[..quote]).replace('"', "'"));
            rest = &tail[quote..];
        }
        out.push_str(rest);
        out
    }

    /// Each cell style of the workbook spelt out: font, fill, border and number
    /// format in place of their indices.
    fn cell_styles(styles: &str) -> Vec<String> {
        let fonts = elements(styles, "fonts", "font");
        let fills = elements(styles, "fills", "fill");
        let borders = elements(styles, "borders", "border");
        let formats = elements(styles, "numFmts", "numFmt");
        let nth = |list: &[String], i: &str| list[i.parse::<usize>().unwrap()].clone();
        elements(styles, "cellXfs", "xf")
            .iter()
            .map(|xf| {
                let xf = resolve(xf, "fontId", |i| nth(&fonts, i));
                let xf = resolve(&xf, "fillId", |i| nth(&fills, i));
                let xf = resolve(&xf, "borderId", |i| nth(&borders, i));
                resolve(&xf, "numFmtId", |id| {
                    let key = format!("numFmtId=\"{id}\"");
                    match formats.iter().find(|f| f.contains(&key)) {
                        Some(format) => format.replace(&key, ""),
                        None => id.to_string(),
                    }
                })
            })
            .collect()
    }

    /// A worksheet with what differs only by construction taken out: shared
    /// strings written inline, style indices replaced by the styles they name, and
    /// no `spans` on the rows (a hint rust_xlsxwriter writes only in memory).
    fn canonical(bytes: &[u8], index: usize) -> String {
        let sheet = part(bytes, &format!("xl/worksheets/sheet{index}.xml"));
        let strings: Vec<String> = elements(&part(bytes, "xl/sharedStrings.xml"), "sst", "si")
            .iter()
            .map(|si| si["<si>".len()..si.len() - "</si>".len()].to_string())
            .collect();
        let styles = cell_styles(&part(bytes, "xl/styles.xml"));
        let mut inline = String::new();
        let mut rest = sheet.as_str();
        let shared = "t=\"s\"><v>";
        while let Some(i) = rest.find(shared) {
            inline.push_str(&rest[..i]);
            let tail = &rest[i + shared.len()..];
            let end = tail.find("</v>").unwrap();
            let string = &strings[tail[..end].parse::<usize>().unwrap()];
            inline.push_str(&format!("t=\"inlineStr\"><is>{string}</is>"));
            rest = &tail[end + "</v>".len()..];
        }
        inline.push_str(rest);
        let unspanned = resolve(&inline, "spans", |_| String::new()).replace(" spans=\"\"", "");
        let unspanned = without_closing_blank(&unspanned);
        resolve(&unspanned, "s", |i| {
            styles[i.parse::<usize>().unwrap()].clone()
        })
    }

    /// The sheet without the empty row a streamed sheet ends with when its last
    /// row has a height (an unformatted blank is written there and rust_xlsxwriter
    /// leaves it out: see `Sheet::leave_last_row`), and without the row that adds
    /// to the sheet's dimension.
    fn without_closing_blank(sheet: &str) -> String {
        let end = sheet.find("</sheetData>").unwrap();
        let start = sheet[..end].rfind("<row ").unwrap();
        let last = &sheet[start..end];
        if last.contains("<c ") {
            return sheet.to_string();
        }
        let sheet = format!("{}{}", &sheet[..start], &sheet[end..]);
        let key = "<dimension ref=\"";
        let from = sheet.find(key).unwrap() + key.len();
        let to = from + sheet[from..].find('"').unwrap();
        let digits = sheet[from..to].trim_start_matches(|c: char| c != ':');
        let digits = digits.trim_start_matches(|c: char| !c.is_ascii_digit());
        let last_row: u32 = digits.parse().unwrap();
        let dimension = format!("{}{}", &sheet[from..to - digits.len()], last_row - 1);
        format!("{}{dimension}{}", &sheet[..from], &sheet[to..])
    }

    #[test]
    fn a_sheet_streamed_reads_as_the_same_sheet_in_memory() {
        for lang in [Lang::It, Lang::En] {
            let report = grown_report(400);
            let streamed = render_streaming_from(&report, &options(lang), 0).unwrap();
            let in_memory = render_streaming_from(&report, &options(lang), RowNum::MAX).unwrap();
            for index in 2..=13 {
                let sheet = part(&streamed, &format!("xl/worksheets/sheet{index}.xml"));
                assert!(
                    sheet.contains("t=\"inlineStr\""),
                    "sheet{index} is not streamed"
                );
                assert!(!sheet.contains("t=\"s\""), "sheet{index}");
                let (streamed, in_memory) =
                    (canonical(&streamed, index), canonical(&in_memory, index));
                if streamed != in_memory {
                    let at = streamed
                        .bytes()
                        .zip(in_memory.bytes())
                        .position(|(a, b)| a != b)
                        .unwrap_or(streamed.len().min(in_memory.len()));
                    let from = at.saturating_sub(300);
                    panic!(
                        "sheet{index} differs at byte {at}:\nstreamed:  {}\nin memory: {}",
                        &streamed[from..(at + 300).min(streamed.len())],
                        &in_memory[from..(at + 300).min(in_memory.len())]
                    );
                }
            }
            for index in 1..=12 {
                let name = format!("xl/tables/table{index}.xml");
                assert_eq!(part(&streamed, &name), part(&in_memory, &name), "{name}");
            }
            let summary = part(&streamed, "xl/worksheets/sheet1.xml");
            assert!(
                summary.contains("t=\"s\""),
                "the summary keeps shared strings"
            );
        }
    }

    #[test]
    fn spliced_rows_are_the_rows_rust_xlsxwriter_writes() {
        for lang in [Lang::It, Lang::En] {
            let mut report = grown_report(400);
            // Text that needs escaping, and a last row of one line.
            report.audit.projects[7].title = "R&D <5> _x0041_ \u{7} tab\t".to_string();
            report.audit.projects[8].title = " spazi ".to_string();
            report.audit.projects.last_mut().unwrap().title = "Breve".to_string();
            // The same in the movements (the trend's rows come from the model).
            let moves = &mut report.monitoring.trend.moves;
            moves[3].name = "Ricerca & Sviluppo <S.r.l.> _x0041_\u{7}".to_string();
            moves[4].cluster = " Cluster ".to_string();
            moves.last_mut().unwrap().name = "Breve".to_string();
            let render = |splice_rows| {
                let mut ctx = Ctx::new(&report, lang, 0);
                ctx.splice_rows = splice_rows;
                render_with(ctx, &options(lang)).unwrap()
            };
            let (spliced, written) = (render(true), render(false));
            let names = |bytes: &[u8]| {
                let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
                let mut names: Vec<String> =
                    zip.file_names().map(|n| n.unwrap().to_string()).collect();
                names.sort();
                names
            };
            assert_eq!(names(&spliced), names(&written));
            for name in names(&written) {
                let (a, b) = (part(&spliced, &name), part(&written, &name));
                let (a, b) = (uncounted_categories(&a), uncounted_categories(&b));
                assert!(
                    a == b,
                    "{name} differs:\n{}\n{}",
                    &a[..a.len().min(3000)],
                    &b[..b.len().min(3000)]
                );
            }
            let audit = part(&spliced, "xl/worksheets/sheet6.xml");
            assert!(
                audit.contains("R&amp;D &lt;5&gt; _x005F_x0041_ _x0007_ tab"),
                "{audit}"
            );
            assert!(audit.contains(r#"<row r="401"><c r="A401""#), "{audit}");
            // The trend and the movements are the last two sheets.
            let sheets = names(&spliced)
                .iter()
                .filter(|n| n.starts_with("xl/worksheets/sheet"))
                .count();
            let movements = part(&spliced, &format!("xl/worksheets/sheet{sheets}.xml"));
            assert!(
                movements.contains("Ricerca &amp; Sviluppo &lt;S.r.l.&gt; _x005F_x0041__x0007_"),
                "{movements}"
            );
            assert!(
                movements.contains(r#"<row r="401"><c r="A401""#),
                "{movements}"
            );
            let trend = part(&spliced, &format!("xl/worksheets/sheet{}.xml", sheets - 1));
            assert!(trend.contains(r#"<dimension ref="A1:F463"/>"#), "{trend}");
        }
    }

    #[test]
    fn large_monitoring_sheets_have_their_rows_spliced_in_one_pass() {
        use super::super::rows::Xfs;
        use super::super::{movements, trend};
        let report = grown_report(400);
        let ctx = Ctx::new(&report, Lang::It, 0);
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let xfs = Xfs::register(&mut workbook, ctx.styles.cells());
        let trend = trend::write(&mut workbook, &ctx, Some(&xfs)).unwrap();
        let movements = movements::write(&mut workbook, &ctx, Some(&xfs)).unwrap();
        assert!(trend.is_some() && movements.is_some());
        // Without the formats registered, or small, they are written by
        // rust_xlsxwriter.
        let mut workbook = rust_xlsxwriter::Workbook::new();
        assert!(trend::write(&mut workbook, &ctx, None).unwrap().is_none());
        let small = Ctx::new(&report, Lang::It, 10_000);
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let xfs = Xfs::register(&mut workbook, small.styles.cells());
        let movements = movements::write(&mut workbook, &small, Some(&xfs)).unwrap();
        assert!(movements.is_none());
    }

    /// A chart part with the number of points of its categories' cache left
    /// out: rust_xlsxwriter caches the cells of the rows it still holds when
    /// the workbook is saved, which are the trend's month headers (one empty
    /// point for each) on a sheet whose rows are spliced in, and none (one
    /// empty point) on a streamed sheet, whose header row has gone to disk.
    /// Readers fill the caches from the cells.
    fn uncounted_categories(part: &str) -> String {
        let Some(start) = part.find("<c:cat>") else {
            return part.to_string();
        };
        let mut out = part[..start].to_string();
        let mut rest = &part[start..];
        while let Some(at) = rest.find("<c:cat>") {
            let end = at + rest[at..].find("</c:cat>").unwrap();
            let cat = &rest[at..end];
            let count = cat.find("<c:ptCount val=\"").unwrap() + "<c:ptCount val=\"".len();
            let digits = cat[count..].find('"').unwrap();
            out.push_str(&rest[..at]);
            out.push_str(&cat[..count]);
            out.push_str(&cat[count + digits..]);
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }
}
