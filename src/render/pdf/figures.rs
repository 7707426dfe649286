//! Sections 3 and 4: members by category and cluster (table with totals and a
//! stacked bar chart) and by province; projects by cluster and by call (tables
//! with totals and bar charts of value and financing). Without active members or
//! approved projects, a sentence says so where the charts would be.
//!
//! A portfolio may have a thousand clusters or calls: a table lists at most
//! [`LISTED_ROWS`] of them, the largest, sums the others in one row and says
//! where every row is; a chart draws at most [`CHARTED_BARS`] bars, the
//! largest. The totals always count everything.

use super::chart::{nice_ticks, BarChart, BarMode, BarRow, CATEGORY_INKS, PAIR_INKS};
use super::format::Fmt;
use super::layout::{Document, Level};
use super::style::TextStyle;
use super::table::{Column, RowStyle, Table};
use crate::category::Category;
use crate::money::Cents;
use crate::render::csv;
use crate::report::{CategoryCounts, ClusterMembers, ProjectGroup, ProjectTotals, Report};

/// At most this many gridline steps on a chart's value axis.
const TICKS: usize = 6;
/// At most this many rows in a table of clusters, provinces or calls: the
/// largest, then one row for the others.
pub(crate) const LISTED_ROWS: usize = 30;
/// At most this many bars in a chart of clusters or calls.
pub(crate) const CHARTED_BARS: usize = 20;

/// The items of a table or chart, in their order while there are at most
/// `limit`, otherwise the `limit` largest by `size`, largest first, and the
/// others.
fn largest<T>(items: &[T], limit: usize, size: impl Fn(&T) -> u64) -> (Vec<&T>, Vec<&T>) {
    if items.len() <= limit {
        return (items.iter().collect(), Vec::new());
    }
    let mut sorted: Vec<&T> = items.iter().collect();
    // Stable: equal sizes keep their order.
    sorted.sort_by_key(|item| std::cmp::Reverse(size(item)));
    let others = sorted.split_off(limit);
    (sorted, others)
}

/// The workbook of the report, named in the sentences that say where every row is.
fn workbook(report: &Report) -> String {
    format!("{}.xlsx", crate::render::stem(report.period))
}

/// A sub-section heading and its table.
pub(crate) fn table_with_heading(doc: &mut Document, heading: &str, table: &Table) {
    doc.heading(heading, Level::Subsection);
    doc.table(table);
}

/// Columns for count, value, financing and ratio after a first text column.
pub(crate) fn totals_table(f: &Fmt, first: &str) -> Table {
    let l = &f.l;
    Table::new(vec![
        Column::left(first, 40.0),
        Column::right(l.count(), 12.0),
        Column::decimal(f.eur_header(l.project_value()), 22.0, f.mark()),
        Column::decimal(f.eur_header(l.financing()), 22.0, f.mark()),
        Column::decimal(l.ratio(), 14.0, f.mark()),
    ])
}

pub(crate) fn totals_cells(f: &Fmt, name: &str, totals: &ProjectTotals) -> Vec<String> {
    vec![
        name.to_string(),
        f.count(totals.count),
        f.amount(totals.value),
        f.amount(totals.financing),
        f.ratio(totals.ratio()),
    ]
}

pub(crate) fn members(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    let m = &report.members;
    doc.heading(&format!("3. {}", l.members()), Level::Section);
    let rows: Vec<(&str, &CategoryCounts)> = m
        .by_cluster
        .iter()
        .map(|c| (c.cluster.as_str(), &c.counts))
        .collect();
    let sheet = l.members_by_category();
    category_section(doc, f, (sheet, l.cluster()), &rows, &m.totals);
    cut_sentence(
        doc,
        f,
        rows.len(),
        (sheet, &workbook(report), csv::MEMBERS_BY_CLUSTER),
    );
    if m.total() > 0 {
        doc.heading(l.members_chart(), Level::Subsection);
        let (charted, others) = largest(&m.by_cluster, CHARTED_BARS, |c| c.counts.total());
        doc.bar_chart(&members_chart(f, &charted));
        if !others.is_empty() {
            let all = charted.len() + others.len();
            doc.paragraph(&l.chart_cut(charted.len(), all), TextStyle::body());
        }
    } else {
        doc.space(2.0);
        doc.paragraph(l.no_members(), TextStyle::body());
    }
    let rows: Vec<(&str, &CategoryCounts)> = m
        .by_province
        .iter()
        .map(|p| (p.province.as_deref().unwrap_or(l.no_province()), &p.counts))
        .collect();
    let sheet = l.members_by_province();
    category_section(doc, f, (sheet, l.province()), &rows, &m.totals);
    cut_sentence(
        doc,
        f,
        rows.len(),
        (sheet, &workbook(report), csv::MEMBERS_BY_PROVINCE),
    );
}

/// A sub-section `heading` with its table of `rows` by category (the largest
/// [`LISTED_ROWS`], then the others summed), and the total.
fn category_section(
    doc: &mut Document,
    f: &Fmt,
    (heading, first): (&str, &str),
    rows: &[(&str, &CategoryCounts)],
    totals: &CategoryCounts,
) {
    let mut table = category_table(f, first);
    let (listed, others) = largest(rows, LISTED_ROWS, |(_, counts)| counts.total());
    for (name, counts) in listed {
        table.row(category_cells(f, name, counts));
    }
    if !others.is_empty() {
        let mut sum = CategoryCounts::default();
        for (_, counts) in &others {
            sum.add_all(counts);
        }
        table.row(category_cells(f, &f.l.others_row(others.len()), &sum));
    }
    table.styled_row(RowStyle::Total, category_cells(f, f.l.total(), totals));
    table_with_heading(doc, heading, &table);
}

/// Under a table of `rows` rows cut to [`LISTED_ROWS`]: where every row is.
fn cut_sentence(
    doc: &mut Document,
    f: &Fmt,
    rows: usize,
    (sheet, workbook, csv): (&str, &str, &str),
) {
    if rows > LISTED_ROWS {
        doc.paragraph(
            &f.l.groups_cut(LISTED_ROWS, rows, sheet, workbook, csv),
            TextStyle::body(),
        );
    }
}

/// A first text column, one column per category, and the row total.
pub(super) fn category_table(f: &Fmt, first: &str) -> Table {
    let mut columns = vec![Column::left(first, 40.0)];
    columns.extend(
        Category::ALL
            .iter()
            .map(|c| Column::right(c.short_label(f.lang), 14.0)),
    );
    columns.push(Column::right(f.l.total(), 12.0));
    Table::new(columns)
}

pub(super) fn category_cells(f: &Fmt, name: &str, counts: &CategoryCounts) -> Vec<String> {
    let mut cells = vec![name.to_string()];
    cells.extend(Category::ALL.iter().map(|c| f.count(counts.get(*c))));
    cells.push(f.count(counts.total()));
    cells
}

/// One stacked bar per cluster, a segment per category, the total at its end.
fn members_chart(f: &Fmt, clusters: &[&ClusterMembers]) -> BarChart {
    let series = Category::ALL
        .iter()
        .zip(CATEGORY_INKS)
        .map(|(c, ink)| (c.short_label(f.lang).to_string(), ink))
        .collect();
    let mut chart = BarChart::new(BarMode::Stacked, series);
    for cluster in clusters {
        let counts = Category::ALL.map(|c| cluster.counts.get(c));
        chart.row(BarRow {
            label: cluster.cluster.clone(),
            values: counts.iter().map(|n| *n as f64).collect(),
            value_labels: counts
                .iter()
                .map(|n| if *n == 0 { String::new() } else { f.count(*n) })
                .collect(),
            total_label: f.count(cluster.counts.total()),
        });
    }
    let ticks = nice_ticks(chart.max_value(), TICKS);
    chart.axis(
        ticks.into_iter().map(|t| (t, f.tick(t))).collect(),
        f.l.members_axis(),
    )
}

pub(crate) fn projects(doc: &mut Document, report: &Report, f: &Fmt) {
    let l = &f.l;
    let p = &report.projects;
    doc.heading(&format!("4. {}", l.projects()), Level::Section);
    if p.portfolio.count == 0 {
        doc.paragraph(l.no_projects(), TextStyle::body());
        return;
    }
    let workbook = workbook(report);
    for (groups, first, sheet, chart, csv) in [
        (
            &p.by_cluster,
            l.cluster(),
            l.projects_by_cluster(),
            l.value_financing_by_cluster(),
            csv::PROJECTS_BY_CLUSTER,
        ),
        (
            &p.by_call,
            l.call(),
            l.projects_by_call(),
            l.value_financing_by_call(),
            csv::PROJECTS_BY_CALL,
        ),
    ] {
        table_with_heading(doc, sheet, &groups_table(f, first, groups, &p.portfolio));
        cut_sentence(doc, f, groups.len(), (sheet, &workbook, csv));
        doc.heading(chart, Level::Subsection);
        let (charted, others) = largest(groups, CHARTED_BARS, |g| g.totals.value.0.max(0) as u64);
        doc.bar_chart(&money_chart(f, &charted));
        if !others.is_empty() {
            let all = charted.len() + others.len();
            doc.paragraph(&l.chart_cut(charted.len(), all), TextStyle::body());
        }
    }
}

/// The groups (the largest [`LISTED_ROWS`] by value, then the others summed)
/// and the portfolio's total.
fn groups_table(f: &Fmt, key: &str, groups: &[ProjectGroup], total: &ProjectTotals) -> Table {
    let mut table = totals_table(f, key);
    let (listed, others) = largest(groups, LISTED_ROWS, |g| g.totals.value.0.max(0) as u64);
    for group in listed {
        table.row(totals_cells(f, &group.key, &group.totals));
    }
    if !others.is_empty() {
        let mut sum = ProjectTotals::default();
        for group in &others {
            sum.count += group.totals.count;
            sum.value = sum.value + group.totals.value;
            sum.financing = sum.financing + group.totals.financing;
        }
        table.row(totals_cells(f, &f.l.others_row(others.len()), &sum));
    }
    table.styled_row(RowStyle::Total, totals_cells(f, f.l.total(), total));
    table
}

/// Value and financing of each group side by side, in millions of euro.
fn money_chart(f: &Fmt, groups: &[&ProjectGroup]) -> BarChart {
    let l = &f.l;
    let series = vec![
        (l.project_value().to_string(), PAIR_INKS[0]),
        (l.financing().to_string(), PAIR_INKS[1]),
    ];
    let mut chart = BarChart::new(BarMode::Grouped, series);
    let millions = |c: Cents| c.0 as f64 / 100_000_000.0;
    for group in groups {
        let t = &group.totals;
        chart.row(BarRow {
            label: group.key.clone(),
            values: vec![millions(t.value), millions(t.financing)],
            value_labels: vec![f.millions(t.value), f.millions(t.financing)],
            total_label: String::new(),
        });
    }
    let ticks = nice_ticks(chart.max_value(), TICKS);
    chart.axis(
        ticks.into_iter().map(|t| (t, f.tick(t))).collect(),
        l.eur_millions(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::labels::Lang;
    use crate::report::sample_report;

    #[test]
    fn the_largest_are_kept_largest_first_and_a_short_list_keeps_its_order() {
        let sizes = [5u64, 9, 1, 7, 9];
        let (listed, others) = largest(&sizes, 3, |n| *n);
        assert_eq!((listed, others), (vec![&9, &9, &7], vec![&5, &1]));
        let (listed, others) = largest(&sizes, 5, |n| *n);
        assert_eq!((listed, others), (sizes.iter().collect(), vec![]));
    }

    #[test]
    fn a_thousand_clusters_show_the_largest_and_sum_the_others() {
        let mut report = sample_report();
        report.members.by_cluster = (0..1000u64)
            .map(|i| {
                let mut counts = CategoryCounts::default();
                counts.add(Category::Sme, i + 1);
                ClusterMembers {
                    cluster: format!("Cluster {i:04}"),
                    counts,
                }
            })
            .collect();
        let f = Fmt::new(Lang::It);
        let mut doc = Document::new(crate::render::pdf::test_support::decoration()).unwrap();
        members(&mut doc, &report, &f);
        let pages = crate::render::pdf::test_support::pages(doc.finish());
        let text: Vec<String> = pages
            .iter()
            .flat_map(crate::render::pdf::test_support::texts)
            .collect();
        let text = text.join(" ");
        assert!(pages.len() <= 4, "{} pages", pages.len());
        assert!(
            text.contains("Cluster 0999") && text.contains("Cluster 0970"),
            "{text}"
        );
        assert!(!text.contains("Cluster 0969"), "the 31st largest is summed");
        assert!(text.contains("Altri 970"), "{text}");
        // The others: 1 + 2 + … + 970 members.
        assert!(text.contains(&f.count(970 * 971 / 2)), "{text}");
        for sentence in [
            "La tabella mostra le 30 righe maggiori delle 1.000 e somma le altre in una riga;",
            "in members_by_cluster.csv.",
            "Il grafico mostra le 20 barre maggiori delle 1.000.",
        ] {
            assert!(
                text.split_whitespace()
                    .collect::<Vec<_>>()
                    .join(" ")
                    .contains(sentence),
                "{sentence:?} in {text}"
            );
        }
    }
}
