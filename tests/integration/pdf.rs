//! The PDF report read back by independent tools: poppler's `pdftotext` (layout
//! text and word boxes), `pdffonts` and `pdfinfo`, and `qpdf --check`. Every table
//! value is compared with `summary.json` and `financing_audit.csv` of the same run,
//! formatted here the Italian way without the library's help.
//!
//! A test is ignored where a tool it runs is missing (see `build.rs`).

use crate::common::{outside_program, root, Workdir};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// Runs poppler's `tool args…` and returns its stdout, failing with its stderr.
fn output(tool: &str, args: &[&str]) -> String {
    let out = outside_program(Command::new(tool).args(args), "poppler-utils");
    assert!(
        out.status.success(),
        "{tool} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

pub(crate) fn layout_text(pdf: &Path) -> String {
    output("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"])
}

fn page_count(pdf: &Path) -> usize {
    let info = output("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo gives the page count")
}

/// The report of the shipped inputs for November 2026, in `lang`.
fn shipped_report(name: &str, lang: &str) -> Workdir {
    let wd = Workdir::new(name);
    wd.run_shipped(&["--lang", lang, "--format", "pdf,csv", "--quiet"])
        .expect_code(0);
    wd
}

// Italian number formats, written independently of the library.

fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// A JSON count as `1.386`.
fn count(v: &Value) -> String {
    grouped(v.as_u64().unwrap_or_else(|| panic!("a count, not {v}")))
}

/// A JSON amount in euro as `158.500,00`.
fn amount(v: &Value) -> String {
    let cents = (v.as_f64().unwrap_or_else(|| panic!("an amount, not {v}")) * 100.0).round() as i64;
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{},{:02}", grouped(abs / 100), abs % 100)
}

/// A ratio given to four decimals as `72,52 %`.
fn ratio(v: &Value) -> String {
    let bp = (v.as_f64().unwrap() * 10_000.0).round() as i64;
    format!("{},{:02} %", bp / 100, bp % 100)
}

/// A cap as the config gives it: `70 %`, `72,5 %`.
fn cap(v: &Value) -> String {
    let ppm = (v.as_f64().unwrap() * 1_000_000.0).round() as i64;
    let (whole, frac) = (ppm / 10_000, ppm % 10_000);
    if frac == 0 {
        format!("{whole} %")
    } else {
        let frac = format!("{frac:04}");
        format!("{whole},{} %", frac.trim_end_matches('0'))
    }
}

/// The cells of a line of `pdftotext -layout`: runs of text between wider gaps.
pub(crate) fn cells(line: &str) -> Vec<&str> {
    line.split("  ")
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// Whether some line starts with (the first line of) `label` and continues with
/// exactly `values`, cell by cell.
fn has_row(text: &str, label: &str, values: &[String]) -> bool {
    text.lines().any(|line| {
        let cells = cells(line);
        cells.len() == values.len() + 1
            && label.starts_with(cells[0])
            && cells[1..].iter().zip(values).all(|(c, v)| c == v)
    })
}

/// Whether some line's first cell begins `label` and the next ones begin with
/// `values`, in this order (a cell that wraps shows its first words).
fn has_row_starting(text: &str, label: &str, values: &[String]) -> bool {
    text.lines().any(|line| {
        let cells = cells(line);
        cells.len() > values.len()
            && label.starts_with(cells[0])
            && cells[1..]
                .iter()
                .zip(values)
                .all(|(c, v)| c.starts_with(v.as_str()))
    })
}

/// Whether some line has `values` among its cells, in this order.
fn has_cells_in_order(text: &str, values: &[String]) -> bool {
    text.lines().any(|line| {
        let mut cells = cells(line).into_iter();
        values.iter().all(|v| cells.any(|c| c == v))
    })
}

const CATEGORIES: [&str; 7] = [
    "consortium",
    "large_enterprise",
    "sme",
    "university_research",
    "trade_association",
    "public_body",
    "other",
];

fn category_values(group: &Value) -> Vec<String> {
    let mut values: Vec<String> = CATEGORIES
        .iter()
        .map(|c| count(&group["by_category"][c]))
        .collect();
    values.push(count(&group["total"]));
    values
}

fn totals_values(group: &Value) -> Vec<String> {
    vec![
        count(&group["count"]),
        amount(&group["project_value"]),
        amount(&group["financing"]),
        ratio(&group["financing_ratio"]),
    ]
}

#[test]
#[cfg_attr(not(has_pdftotext), ignore = "needs pdftotext (poppler-utils)")]
fn every_table_value_matches_summary_json() {
    let wd = shipped_report("pdf-summary", "it");
    let summary = wd.json("out/2026-11/summary.json");
    let text = layout_text(&wd.path("out/2026-11/consolida-2026-11.pdf"));
    let missing = |what: &str| format!("{what} not found in the PDF text:\n{text}");

    // Cover: the key figures.
    let projects = &summary["projects"];
    for figure in [
        count(&summary["members"]["total"]),
        count(&projects["count"]),
        format!("{} €", amount(&projects["project_value"])),
        format!("{} €", amount(&projects["financing"])),
        ratio(&projects["financing_ratio"]),
        count(&summary["audit"]["counts"]["breach"]),
        count(&summary["audit"]["counts"]["near_cap"]),
    ] {
        assert!(text.contains(&figure), "{}", missing(&figure));
    }
    for (label, key) in [
        ("Nel mese", "in_period"),
        ("Da inizio anno", "year_to_date"),
    ] {
        assert!(
            has_row(&text, label, &totals_values(&projects[key])),
            "{}",
            missing(label)
        );
    }

    // Members by cluster and by province, with the totals row.
    let members = &summary["members"];
    for key in ["by_cluster", "by_province"] {
        for (name, group) in members[key].as_object().unwrap() {
            let values = category_values(group);
            assert!(
                has_row(&text, name, &values),
                "{}",
                missing(&format!("{name} {values:?}"))
            );
        }
    }
    assert!(
        has_row(&text, "Totale", &category_values(members)),
        "{}",
        missing("Totale")
    );

    // Projects by cluster and by call, with the portfolio total.
    for key in ["by_cluster", "by_call"] {
        for (name, group) in projects[key].as_object().unwrap() {
            let values = totals_values(group);
            assert!(
                has_row(&text, name, &values),
                "{}",
                missing(&format!("{name} {values:?}"))
            );
        }
    }
    assert!(
        has_row(&text, "Totale", &totals_values(projects)),
        "{}",
        missing("Totale")
    );

    // Every breach and near-breach with value, financing, ratio, cap, rule, what
    // the rule allows and the EUR excess or headroom.
    for (key, last) in [("breaches", "excess"), ("near_breaches", "headroom")] {
        let list = summary["audit"][key].as_array().unwrap();
        assert!(!list.is_empty());
        for p in list {
            let value = p["project_value"].as_f64().unwrap();
            let by_ratio = (value * p["cap"].as_f64().unwrap() * 100.0).round() / 100.0;
            let allowed = p["max_grant"]
                .as_f64()
                .map_or(by_ratio, |g| g.min(by_ratio));
            let mut values = vec![
                amount(&p["project_value"]),
                amount(&p["financing"]),
                ratio(&p["ratio"]),
                cap(&p["cap"]),
                p["rule"].to_string(),
                amount(&Value::from(allowed)),
                amount(&p[last]),
            ];
            if let Some(reason) = p["reason"].as_str() {
                // The first word of the limit exceeded, in a column of its own.
                let first_word = match reason {
                    "grant" => "Contributo",
                    _ => "Rapporto",
                };
                values.push(first_word.to_string());
            }
            let id = p["project_id"].as_str().unwrap();
            assert!(
                has_row_starting(&text, id, &values),
                "{}",
                missing(&format!("{id} {values:?}"))
            );
        }
    }

    // Issues, grouped by kind and file: the shipped inputs' five are of five
    // kinds, each a group of one, with its file, count and cell.
    let counts = &summary["issues"];
    let line = format!(
        "Errori: {} · Avvisi: {}",
        counts["errors"], counts["warnings"]
    );
    assert!(text.contains(&line), "{}", missing(&line));
    let issues = std::fs::read_to_string(wd.path("out/2026-11/issues.csv")).unwrap();
    let mut issues = csv::Reader::from_reader(issues.as_bytes());
    for issue in issues.records().map(Result::unwrap) {
        let (file, sheet, cell, row) = (&issue[1], &issue[2], &issue[3], &issue[4]);
        let place = if cell.contains(':') {
            format!("{sheet}, Riga {row}")
        } else {
            format!("{sheet}!{cell}")
        };
        let file_start = file.split('/').next().unwrap().to_string();
        let found = text.lines().any(|line| {
            let cells = cells(line);
            cells
                .iter()
                .any(|c| file.starts_with(c) && c.starts_with(&file_start))
                && cells
                    .windows(2)
                    .any(|w| w[0] == "1" && w[1].starts_with(&place))
        });
        assert!(found, "{}", missing(&format!("{file} 1 {place}")));
    }
    let listed = "L'elenco completo delle anomalie, ciascuna con file, foglio, cella e valore, è nel foglio “Anomalie” di consolida-2026-11.xlsx e in issues.csv.";
    assert!(flat(&text).contains(listed), "{}", missing(listed));
    for input in summary["inputs"].as_array().unwrap() {
        let sha = input["sha256"].as_str().unwrap();
        let path = input["path"].as_str().unwrap();
        let kind = match input["kind"].as_str() {
            Some("members") => "Soci",
            Some("projects") => "Progetti",
            Some("partners") => "Partner",
            Some("targets") => "Obiettivi",
            other => panic!("an input of kind {other:?}"),
        };
        let values = vec![
            kind.to_string(),
            count(&input["rows"]),
            count(&input["rejected"]),
            sha[..32].to_string(),
        ];
        assert!(
            has_row(&text, path, &values),
            "{}",
            missing(&format!("{path} {values:?}"))
        );
        assert!(text.contains(&sha[32..]), "{}", missing(sha));
    }
    let config = &summary["config"];
    assert!(text.contains(&config["sha256"].as_str().unwrap()[..32]));
    assert!(text.contains(&format!(
        "consolida {}",
        summary["version"].as_str().unwrap()
    )));

    // Appendix A: of the 300 projects, the 200 the default limit allows: the
    // breaches, the near breaches and the largest of the rest by value (of two
    // alike, the first in the audit's order), each once, with its figures; the
    // others not at all.
    let total = projects["count"].as_u64().unwrap();
    assert_eq!(total, 300);
    let heading = "Appendice A. Elenco dei progetti (200 di 300)";
    let appendix = text
        .split(heading)
        .nth(1)
        .unwrap_or_else(|| panic!("{}", missing(heading)));
    let audit = std::fs::read_to_string(wd.path("out/2026-11/financing_audit.csv")).unwrap();
    let mut audit = csv::ReaderBuilder::new().from_reader(audit.as_bytes());
    let headers = audit.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = audit.records().map(Result::unwrap).collect();
    let flagged = |r: &csv::StringRecord| matches!(&r[column("status")], "breach" | "near_cap");
    let mut rest: Vec<(usize, f64)> = records
        .iter()
        .enumerate()
        .filter(|(_, r)| !flagged(r))
        .map(|(i, r)| (i, r[column("project_value")].parse::<f64>().unwrap()))
        .collect();
    rest.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap().then(a.0.cmp(&b.0)));
    let room = 200 - records.iter().filter(|r| flagged(r)).count();
    let largest: Vec<usize> = rest.iter().take(room).map(|(i, _)| *i).collect();
    let mut listed = 0;
    for (i, record) in records.iter().enumerate() {
        let number = |name: &str| Value::from(record[column(name)].parse::<f64>().unwrap());
        let id = &record[column("project_id")];
        if !flagged(record) && !largest.contains(&i) {
            assert_eq!(
                appendix.matches(id).count(),
                0,
                "{id} is not in the appendix"
            );
            continue;
        }
        let margin = if record[column("excess")].is_empty() {
            "headroom"
        } else {
            "excess"
        };
        let mut values = vec![
            id.to_string(),
            amount(&number("project_value")),
            amount(&number("financing")),
            ratio(&number("financing_ratio")),
        ];
        if !record[column("max_ratio")].is_empty() {
            values.push(cap(&number("max_ratio")));
        }
        if !record[column(margin)].is_empty() {
            values.push(amount(&number(margin)));
        }
        assert!(
            has_cells_in_order(appendix, &values),
            "{values:?} not in the appendix"
        );
        assert_eq!(appendix.matches(id).count(), 1, "{id} once in the appendix");
        listed += 1;
    }
    assert_eq!(listed, 200);
    let breaches = summary["audit"]["breaches"].as_array().unwrap().len();
    let near = summary["audit"]["near_breaches"].as_array().unwrap().len();
    let sentence = format!(
        "L'appendice elenca per intero un portafoglio fino a 200 progetti; questo ne conta 300. \
         Sono elencati i superamenti del tetto ({breaches}), i progetti vicini al tetto ({near}) \
         e i maggiori per valore tra gli altri ({}): 200 in tutto. L'elenco completo è nel foglio \
         “Controllo finanziamenti” di consolida-2026-11.xlsx e in financing_audit.csv; il limite \
         si cambia con appendix_projects nella sezione [pdf] di consolida.toml.",
        200 - breaches - near
    );
    assert!(flat(appendix).contains(&sentence), "{}", missing(&sentence));
}

/// `text` with every run of whitespace one space: sentences wrapped over lines
/// read whole.
fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
#[cfg_attr(
    not(all(has_pdftotext, has_pdfinfo)),
    ignore = "needs pdftotext and pdfinfo (poppler-utils)"
)]
fn pages_are_numbered_and_carry_the_running_header() {
    let wd = shipped_report("pdf-pages", "it");
    let pdf = wd.path("out/2026-11/consolida-2026-11.pdf");
    let pages = page_count(&pdf);
    assert!(pages > 5, "{pages} pages");
    let text = layout_text(&pdf);
    // pdftotext ends every page with a form feed.
    let texts: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert_eq!(texts.len(), pages);
    for (i, page) in texts.iter().enumerate() {
        let footer = format!("Pagina {} di {pages}", i + 1);
        assert!(page.contains(&footer), "page {}: no {footer:?}", i + 1);
        assert!(page.contains("Dati al 30/11/2026"), "page {}", i + 1);
        let header = page.contains("Report di consolidamento · Cluster Tecnologici Lombardi")
            && page.contains("Periodo: novembre 2026");
        assert_eq!(
            header,
            i > 0,
            "page {}: running header only after the cover",
            i + 1
        );
    }
    let cover = texts[0];
    for needle in [
        "Regione Lombardia – DG Università, Ricerca e Innovazione",
        "Report di consolidamento",
        "Cluster Tecnologici Lombardi",
        "Periodo: novembre 2026 (2026-11)",
        "Dati al 30/11/2026",
    ] {
        assert!(cover.contains(needle), "{needle:?} on the cover:\n{cover}");
    }
}

/// The members above the de minimis ceiling and their excesses summed, in
/// cents, read from `de_minimis.csv`.
fn de_minimis_from_csv(wd: &Workdir) -> (usize, i64) {
    let path = wd.path("out/2026-11/de_minimis.csv");
    let mut reader = csv::Reader::from_path(&path).unwrap();
    let excess = reader.headers().unwrap().iter().position(|h| h == "excess");
    let excess = excess.expect("an excess column");
    let cents: Vec<i64> = reader
        .records()
        .map(|r| {
            let euros: f64 = r.unwrap()[excess].parse().unwrap();
            (euros * 100.0).round() as i64
        })
        .collect();
    (cents.len(), cents.iter().sum())
}

#[test]
#[cfg_attr(not(has_pdftotext), ignore = "needs pdftotext (poppler-utils)")]
fn the_cover_gives_the_de_minimis_excesses_in_a_figure_and_in_words() {
    for lang in ["it", "en"] {
        let wd = shipped_report(&format!("pdf-de-minimis-{lang}"), lang);
        let (members, cents) = de_minimis_from_csv(&wd);
        assert!(members > 0, "the shipped inputs have a de minimis case");
        let pdf = wd.path("out/2026-11/consolida-2026-11.pdf");
        let text = output("pdftotext", &["-l", "1", pdf.to_str().unwrap(), "-"]);
        let cover = flat(&text);
        let euros = amount(&serde_json::json!(cents as f64 / 100.0));
        let (figure, caption, sentence) = match (lang, members) {
            ("it", 1) => (
                format!("{euros} €"),
                "Oltre il limite de minimis (1 socio)".to_string(),
                format!("1 socio supera il limite de minimis, per {euros} € oltre il limite"),
            ),
            ("it", n) => (
                format!("{euros} €"),
                format!("Oltre il limite de minimis ({n} soci)"),
                format!("{n} soci superano il limite de minimis, per {euros} € oltre il limite"),
            ),
            (_, n) => {
                let english = euros.replace('.', "#").replace(',', ".").replace('#', ",");
                let members = if n == 1 {
                    "1 member".to_string()
                } else {
                    format!("{n} members")
                };
                let (verb, tail) = if n == 1 {
                    ("exceeds", "")
                } else {
                    ("exceed", " in all")
                };
                (
                    format!("€{english}"),
                    format!("Above the de minimis ceiling ({members})"),
                    format!("{members} {verb} the de minimis ceiling, by €{english}{tail}"),
                )
            }
        };
        for needle in [&figure, &caption, &sentence] {
            assert!(
                cover.contains(needle.as_str()),
                "{needle:?} on the cover:\n{cover}"
            );
        }
    }
}

/// The outline's entries in reading order: depth (0 for a section), title, and
/// the page (from 1) each opens, read with lopdf.
fn outline(pdf: &Path) -> Vec<(usize, String, usize)> {
    let doc = lopdf::Document::load(pdf).unwrap();
    let pages: std::collections::HashMap<lopdf::ObjectId, usize> = doc
        .get_pages()
        .into_iter()
        .map(|(number, id)| (id, number as usize))
        .collect();
    let root = doc.catalog().unwrap().get(b"Outlines").unwrap();
    let root = doc.get_dictionary(root.as_reference().unwrap()).unwrap();
    let mut entries = Vec::new();
    let mut stack = vec![(0, root.get(b"First").ok().cloned())];
    while let Some((depth, next)) = stack.pop() {
        let Some(next) = next else { continue };
        let entry = doc.get_dictionary(next.as_reference().unwrap()).unwrap();
        let title = match entry.get(b"Title").unwrap().as_str().unwrap() {
            [0xFE, 0xFF, utf16 @ ..] => String::from_utf16(
                &utf16
                    .chunks(2)
                    .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
                    .collect::<Vec<_>>(),
            )
            .unwrap(),
            ascii => String::from_utf8(ascii.to_vec()).unwrap(),
        };
        let dest = entry.get(b"Dest").unwrap().as_array().unwrap();
        let page = pages[&dest[0].as_reference().unwrap()];
        entries.push((depth, title, page));
        stack.push((depth, entry.get(b"Next").ok().cloned()));
        stack.push((depth + 1, entry.get(b"First").ok().cloned()));
    }
    entries
}

#[test]
#[cfg_attr(not(has_pdftotext), ignore = "needs pdftotext (poppler-utils)")]
fn the_outline_lists_every_section_and_sub_section_where_it_is() {
    let wd = shipped_report("pdf-outline", "it");
    let pdf = wd.path("out/2026-11/consolida-2026-11.pdf");
    let entries = outline(&pdf);
    let sections: Vec<&str> = entries
        .iter()
        .filter(|(depth, ..)| *depth == 0)
        .map(|(_, title, _)| title.as_str())
        .collect();
    for section in [
        "1. Monitoraggio",
        "2. Schede dei cluster",
        "3. Soci",
        "4. Progetti",
        "6. Anomalie",
        "7. Fonti",
    ] {
        assert!(sections.contains(&section), "{section:?} in {sections:?}");
    }
    assert!(
        entries.iter().filter(|(depth, ..)| *depth == 1).count() >= 4,
        "sub-sections under the sections: {entries:?}"
    );
    let mut last_page = 0;
    for (_, title, page) in &entries {
        assert!(
            *page >= last_page,
            "{title:?} opens page {page}, before {last_page}"
        );
        last_page = *page;
        let n = page.to_string();
        let text = output(
            "pdftotext",
            &["-f", &n, "-l", &n, pdf.to_str().unwrap(), "-"],
        );
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(
            words(&text).contains(&words(title)),
            "{title:?} is not on page {page}:\n{text}"
        );
    }
}

#[test]
#[cfg_attr(
    not(all(has_pdffonts, has_pdfinfo)),
    ignore = "needs pdffonts and pdfinfo (poppler-utils)"
)]
fn fonts_are_embedded_and_subset_and_the_document_is_described() {
    let wd = shipped_report("pdf-fonts", "it");
    let pdf = wd.path("out/2026-11/consolida-2026-11.pdf");
    let fonts = output("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<Vec<&str>> = fonts
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(rows.len(), 2, "regular and bold only:\n{fonts}");
    for row in &rows {
        let name = row[0];
        let tag = name.split('+').next().unwrap();
        assert!(name.contains("+DejaVuSans"), "{fonts}");
        assert!(
            tag.len() == 6 && tag.chars().all(|c| c.is_ascii_uppercase()),
            "{fonts}"
        );
        // emb, sub, uni
        let n = row.len();
        assert_eq!(&row[n - 5..n - 2], ["yes", "yes", "yes"], "{fonts}");
    }
    let size = std::fs::metadata(&pdf).unwrap().len();
    assert!(
        size < 400_000,
        "subset fonts keep the file small: {size} bytes"
    );

    let info = output("pdfinfo", &[pdf.to_str().unwrap()]);
    for needle in [
        "Title:           Report di consolidamento 2026-11 – Cluster Tecnologici Lombardi",
        "Author:          Regione Lombardia – DG Università, Ricerca e Innovazione",
        "Subject:         Cluster Tecnologici Lombardi",
        "Page size:       595.276 x 841.89 pts (A4)",
    ] {
        assert!(info.contains(needle), "{needle:?} in\n{info}");
    }
    assert!(!info.contains("PDF/X"), "no false claim of PDF/X:\n{info}");
}

#[test]
#[cfg_attr(not(has_qpdf), ignore = "needs qpdf")]
fn qpdf_finds_no_syntax_or_stream_error() {
    let wd = shipped_report("pdf-qpdf", "it");
    let pdf = wd.path("out/2026-11/consolida-2026-11.pdf");
    let check = outside_program(
        Command::new("qpdf").args(["--check", pdf.to_str().unwrap()]),
        "qpdf",
    );
    let says = String::from_utf8_lossy(&check.stdout);
    assert_eq!(check.status.code(), Some(0), "qpdf --check:\n{says}");
    assert!(
        says.contains("No syntax or stream encoding errors"),
        "{says}"
    );
}

#[test]
#[cfg_attr(
    not(all(has_pdftotext, has_pdfinfo)),
    ignore = "needs pdftotext and pdfinfo (poppler-utils)"
)]
fn the_english_report_reads_in_english() {
    let wd = shipped_report("pdf-english", "en");
    let summary = wd.json("out/2026-11/summary.json");
    let pdf = wd.path("out/2026-11/consolida-2026-11.pdf");
    let pages = page_count(&pdf);
    let text = layout_text(&pdf);
    for needle in [
        format!("Page 1 of {pages}"),
        format!("Page {pages} of {pages}"),
        "Consolidation report".into(),
        "Data as of 30 November 2026".into(),
        "€450,817,515.00".into(),
        "44.77%".into(),
        "Appendix A. List of projects (200 of 300)".into(),
        "Cluster membership by category".into(),
        "EUR million".into(),
    ] {
        assert!(text.contains(&needle), "{needle:?} not in:\n{text}");
    }
    let agrifood = &summary["projects"]["by_cluster"]["Agrifood"];
    assert_eq!(agrifood["project_value"], 45_379_655.0);
    assert!(has_row(
        &text,
        "Agrifood",
        &[
            "30".into(),
            "45,379,655.00".into(),
            "19,212,632.00".into(),
            "42.34%".into()
        ]
    ));
}

/// A word of `pdftotext -bbox`: its page and box in points from the top-left.
#[derive(Debug, Clone)]
struct Word {
    page: usize,
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    text: String,
}

/// The page size (points) and the words of every page.
fn words(pdf: &Path) -> ((f64, f64), Vec<Word>) {
    let html = output("pdftotext", &["-bbox", pdf.to_str().unwrap(), "-"]);
    let attr = |line: &str, name: &str| -> f64 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + line[start..].find('"').unwrap();
        line[start..end].parse().unwrap()
    };
    let mut size = (0.0, 0.0);
    let mut page = 0;
    let mut words = Vec::new();
    for line in html.lines().map(str::trim) {
        if line.starts_with("<page ") {
            page += 1;
            size = (attr(line, "width"), attr(line, "height"));
        } else if line.starts_with("<word ") {
            let open = line.find('>').unwrap() + 1;
            let close = line.rfind("</word>").unwrap();
            let text = line[open..close]
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'");
            words.push(Word {
                page,
                x0: attr(line, "xMin"),
                y0: attr(line, "yMin"),
                x1: attr(line, "xMax"),
                y1: attr(line, "yMax"),
                text,
            });
        }
    }
    (size, words)
}

/// Titles and addresses from a real EU-funds export (the Bulgarian ISUN 2020 sample
/// in openpolis/eu-state-aids, `tests/bg_projects_sample.xlsx`, MIT): Cyrillic,
/// `№`, and „…“ quotes, plus Polish and Norwegian names.
const REAL_NAMES: [&str; 6] = [
    "бул. Цариградско шосе №125, бл.5, ет.1",
    "кв. „Ветрен“, ул. „Китен“ №26А",
    "ж.к. Чародейка- Г- Север, ул. „Зорница“ № 3А",
    "Increasing the production capacity of „AGI - 1\" LTD",
    "Struma Motorway – Lot 3.1, Lot 3.3 and Zheleznitsa Tunnel",
    "Łódź–Brønnøysund corridoio logistico",
];

const CLUSTERS: [&str; 4] = [
    "Mobilità",
    "Scienze della vita",
    "Tecnologie per gli ambienti di vita",
    "Tecnologie per le smart communities",
];

/// An inputs folder with a few members and `projects` projects, every sixth titled
/// with a real name of [`REAL_NAMES`], the rest with long Italian titles, and a
/// `consolida.toml` that has Appendix A list them all.
fn many_projects(wd: &Workdir, projects: usize) -> String {
    let dir = wd.path("inputs");
    std::fs::create_dir_all(&dir).unwrap();
    let clusters = CLUSTERS.map(|c| format!("\"{c}\"")).join(", ");
    std::fs::write(
        dir.join("consolida.toml"),
        format!(
            "issuer = \"Ufficio di prova\"\ntitle = \"Mille progetti\"\nclusters = [{clusters}]\n\n\
             [[cap]]\ncall = \"*\"\nmax_ratio = 0.70\n\n[pdf]\nappendix_projects = {projects}\n"
        ),
    )
    .unwrap();
    let mut members =
        String::from("Codice fiscale;Denominazione;Categoria;Cluster;Provincia;Data adesione\n");
    for (i, cluster) in CLUSTERS.iter().enumerate() {
        members.push_str(&format!(
            "M{i};Impresa {i} S.r.l.;PMI;{cluster};MI;01/01/2020\n"
        ));
    }
    std::fs::write(dir.join("soci.csv"), members).unwrap();
    let mut rows = String::from(
        "CUP;Titolo;Cluster;Bando;Capofila;Valore progetto;Finanziamento;Data approvazione\n",
    );
    for i in 0..projects {
        let title = if i % 6 == 0 {
            REAL_NAMES[(i / 6) % REAL_NAMES.len()].replace('"', "\"\"")
        } else {
            format!("Piattaforma digitale per la manifattura additiva e la logistica sostenibile, lotto {i}")
        };
        let value = 100_000 + 7_919 * i as u64;
        let financing = value * (50 + (i as u64 % 30)) / 100;
        rows.push_str(&format!(
            "P{i:04};\"{title}\";{};Bando {} di prova per l'innovazione;M0;{},00;{},00;{:02}/0{}/2026\n",
            CLUSTERS[i % CLUSTERS.len()],
            i % 5,
            grouped(value),
            grouped(financing),
            1 + i % 28,
            1 + i % 9,
        ));
    }
    std::fs::write(dir.join("progetti.csv"), rows).unwrap();
    dir.to_str().unwrap().to_string()
}

#[test]
#[cfg_attr(
    not(all(has_pdftotext, has_pdfinfo)),
    ignore = "needs pdftotext and pdfinfo (poppler-utils)"
)]
fn a_thousand_projects_paginate_with_repeated_headers_and_no_overflow() {
    let wd = Workdir::new("pdf-thousand");
    let inputs = many_projects(&wd, 1000);
    let run = wd.run(&[
        "--inputs", &inputs, "--out", "out", "--period", "2026-11", "--format", "pdf",
    ]);
    // Every character has its glyph: no warning.
    run.expect_code(0).expect_stderr(
        "consolida 2026-11: 4 soci, 1.000 progetti, 297 superamenti del tetto, 0 errori, 0 avvisi; 4 file in out/2026-11\n",
    );
    let pdf = wd.path("out/2026-11/consolida-2026-11.pdf");
    let pages = page_count(&pdf);
    let ((width, height), words) = words(&pdf);
    assert!((width - 595.276).abs() < 0.01 && (height - 841.89).abs() < 0.01);

    // Everything inside the margins (18 mm), the body above the footer (22 mm).
    let margin = 18.0 * 72.0 / 25.4 - 0.5;
    let body_bottom = height - 22.0 * 72.0 / 25.4;
    for w in &words {
        assert!(
            w.x0 >= margin && w.x1 <= width - margin,
            "{w:?} outside the text column"
        );
        assert!(w.y0 >= 0.0 && w.y1 <= height, "{w:?} off the page");
    }

    // No two words on one line overlap: no cell runs into the next.
    let mut sorted = words.clone();
    sorted.sort_by(|a, b| (a.page, a.y0).partial_cmp(&(b.page, b.y0)).unwrap());
    for (i, a) in sorted.iter().enumerate() {
        for b in sorted[i + 1..]
            .iter()
            .take_while(|b| b.page == a.page && b.y0 < a.y1)
        {
            let shared = a.y1.min(b.y1) - a.y0.max(b.y0);
            let across = a.x1.min(b.x1) - a.x0.max(b.x0);
            assert!(
                shared < 0.5 * (a.y1 - a.y0) || across < 0.2,
                "{a:?} overlaps {b:?}"
            );
        }
    }

    // Appendix A: the header row on every page, above that page's rows; every
    // project once, in order; rows above the footer.
    let start = words
        .iter()
        .find(|w| w.text == "Appendice")
        .expect("the appendix")
        .page;
    let mut seen = Vec::new();
    for page in start..=pages {
        let on_page: Vec<&Word> = words.iter().filter(|w| w.page == page).collect();
        let header = on_page
            .iter()
            .find(|w| w.text == "Esito")
            .unwrap_or_else(|| panic!("page {page} of the appendix has no header row"));
        assert_eq!(on_page.iter().filter(|w| w.text == "Esito").count(), 1);
        let ids: Vec<&&Word> = on_page
            .iter()
            .filter(|w| {
                w.text.len() == 5
                    && w.text.starts_with('P')
                    && w.text[1..].chars().all(|c| c.is_ascii_digit())
            })
            .collect();
        assert!(
            !ids.is_empty(),
            "page {page}: a header row never stands alone"
        );
        for id in &ids {
            assert!(id.y0 > header.y1, "page {page}: {id:?} above the header");
            assert!(id.y1 < body_bottom, "page {page}: {id:?} in the footer");
        }
        seen.extend(ids.iter().map(|w| w.text.clone()));
        let footer = format!("{page} di {pages}");
        let text: String = on_page.iter().map(|w| format!("{} ", w.text)).collect();
        assert!(text.contains(&format!("Pagina {footer}")), "page {page}");
    }
    let mut expected: Vec<String> = (0..1000).map(|i| format!("P{i:04}")).collect();
    let mut sorted_seen = seen.clone();
    sorted_seen.sort();
    expected.sort();
    assert_eq!(sorted_seen, expected, "every project once in the appendix");

    // The real names come through whole, in Cyrillic and all.
    let text = output("pdftotext", &[pdf.to_str().unwrap(), "-"]);
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for name in REAL_NAMES {
        for word in name.split_whitespace() {
            assert!(
                flat.contains(word),
                "{word:?} of {name:?} not in the PDF text"
            );
        }
    }
}

#[test]
fn a_character_the_fonts_lack_is_reported() {
    let wd = Workdir::new("pdf-missing-glyph");
    let inputs = wd.copy_inputs(&root().join("tests/fixtures/small"), "inputs");
    let projects = inputs.join("progetti.csv");
    let mut csv = std::fs::read_to_string(&projects).unwrap();
    csv.push_str("P9;Cooperazione 漢字 Kanji;Mobilità;Bando Ergon azione 2;02;10.000,00;5.000,00;02/11/2026\n");
    std::fs::write(&projects, csv).unwrap();
    let args = ["--out", "out", "--period", "2026-11", "--format", "pdf"];
    // One warning per character, then the issues of the inputs and the closing line.
    wd.run(&args).expect_code(0).expect_stderr(concat!(
        "consolida: avviso: consolida-2026-11.pdf: il font incorporato non ha il carattere «字» (U+5B57); nel PDF è disegnato come segno sostitutivo (�).\n",
        "consolida: avviso: consolida-2026-11.pdf: il font incorporato non ha il carattere «漢» (U+6F22); nel PDF è disegnato come segno sostitutivo (�).\n",
        "inputs/progetti.csv: 1 errore, 0 avvisi\n",
        "  inputs/progetti.csv:4:G: errore: Il finanziamento (1.200,00 €) supera il valore del progetto (1.000,00 €); il progetto resta nei dati e nel controllo.\n",
        "inputs/soci.csv: 1 errore, 1 avviso\n",
        "  inputs/soci.csv:10:C: errore: Categoria sconosciuta «Fondazione»: le categorie ammesse sono Consorzi di imprese, Grandi imprese, PMI, Università e centri di ricerca, Associazioni di categoria, Enti di diritto pubblico, Altro; la riga è esclusa.\n",
        "  inputs/soci.csv:9:A: avviso: Il socio 01 compare di nuovo nel cluster «Mobilità» (la prima volta in inputs/soci.csv:2:A); è contato una volta sola.\n",
        "consolida 2026-11: 6 soci, 4 progetti, 1 superamento del tetto, 2 errori, 1 avviso; 4 file in out/2026-11\n",
    ));
    wd.run(&[&args[..], &["--lang", "en"]].concat())
        .expect_code(0)
        .expect_stderr(concat!(
        "consolida: warning: consolida-2026-11.pdf: the embedded font has no glyph for '字' (U+5B57); it is drawn as a replacement mark (�) in the PDF.\n",
        "consolida: warning: consolida-2026-11.pdf: the embedded font has no glyph for '漢' (U+6F22); it is drawn as a replacement mark (�) in the PDF.\n",
        "inputs/progetti.csv: 1 error, 0 warnings\n",
        "  inputs/progetti.csv:4:G: error: The financing (1.200,00 €) exceeds the project value (1.000,00 €); the project stays in the figures and the audit.\n",
        "inputs/soci.csv: 1 error, 1 warning\n",
        "  inputs/soci.csv:10:C: error: Unknown category 'Fondazione': expected one of Consorzi di imprese, Grandi imprese, PMI, Università e centri di ricerca, Associazioni di categoria, Enti di diritto pubblico, Altro; the row is left out.\n",
        "  inputs/soci.csv:9:A: warning: Member 01 appears again in cluster 'Mobilità' (first at inputs/soci.csv:2:A); it is counted once.\n",
        "consolida 2026-11: 6 members, 4 projects, 1 cap breach, 2 errors, 1 warning; 4 files in out/2026-11\n",
    ));
    wd.run(&[&args[..], &["--quiet"]].concat())
        .expect_code(0)
        .expect_stderr("");
}
