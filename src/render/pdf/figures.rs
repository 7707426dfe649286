//! Sections 1 and 2: members by category and cluster (table with totals and a
//! stacked bar chart) and by province; projects by cluster and by call (tables
//! with totals and bar charts of value and financing). Without active members or
//! approved projects, a sentence says so where the charts would be.

use super::chart::{nice_ticks, BarChart, BarMode, BarRow, CATEGORY_INKS, PAIR_INKS};
use super::format::Fmt;
use super::layout::{Document, Level};
use super::style::TextStyle;
use super::table::{Column, RowStyle, Table};
use crate::category::Category;
use crate::money::Cents;
use crate::report::{CategoryCounts, ClusterMembers, ProjectGroup, ProjectTotals, Report};

/// At most this many gridline steps on a chart's value axis.
const TICKS: usize = 6;

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
    doc.heading(&format!("1. {}", l.members()), Level::Section);
    let mut table = category_table(f, l.cluster());
    for cluster in &m.by_cluster {
        table.row(category_cells(f, &cluster.cluster, &cluster.counts));
    }
    table.styled_row(RowStyle::Total, category_cells(f, l.total(), &m.totals));
    table_with_heading(doc, l.members_by_category(), &table);
    if m.total() > 0 {
        doc.heading(l.members_chart(), Level::Subsection);
        doc.bar_chart(&members_chart(f, &m.by_cluster));
    } else {
        doc.space(2.0);
        doc.paragraph(l.no_members(), TextStyle::body());
    }
    let mut table = category_table(f, l.province());
    for province in &m.by_province {
        let name = province.province.as_deref().unwrap_or(l.no_province());
        table.row(category_cells(f, name, &province.counts));
    }
    table.styled_row(RowStyle::Total, category_cells(f, l.total(), &m.totals));
    table_with_heading(doc, l.members_by_province(), &table);
}

/// A first text column, one column per category, and the row total.
fn category_table(f: &Fmt, first: &str) -> Table {
    let mut columns = vec![Column::left(first, 40.0)];
    columns.extend(
        Category::ALL
            .iter()
            .map(|c| Column::right(c.short_label(f.lang), 14.0)),
    );
    columns.push(Column::right(f.l.total(), 12.0));
    Table::new(columns)
}

fn category_cells(f: &Fmt, name: &str, counts: &CategoryCounts) -> Vec<String> {
    let mut cells = vec![name.to_string()];
    cells.extend(Category::ALL.iter().map(|c| f.count(counts.get(*c))));
    cells.push(f.count(counts.total()));
    cells
}

/// One stacked bar per cluster, a segment per category, the total at its end.
fn members_chart(f: &Fmt, clusters: &[ClusterMembers]) -> BarChart {
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
    doc.heading(&format!("2. {}", l.projects()), Level::Section);
    if p.portfolio.count == 0 {
        doc.paragraph(l.no_projects(), TextStyle::body());
        return;
    }
    table_with_heading(
        doc,
        l.projects_by_cluster(),
        &groups_table(f, l.cluster(), &p.by_cluster, &p.portfolio),
    );
    doc.heading(l.value_financing_by_cluster(), Level::Subsection);
    doc.bar_chart(&money_chart(f, &p.by_cluster));
    table_with_heading(
        doc,
        l.projects_by_call(),
        &groups_table(f, l.call(), &p.by_call, &p.portfolio),
    );
    doc.heading(l.value_financing_by_call(), Level::Subsection);
    doc.bar_chart(&money_chart(f, &p.by_call));
}

fn groups_table(f: &Fmt, key: &str, groups: &[ProjectGroup], total: &ProjectTotals) -> Table {
    let mut table = totals_table(f, key);
    for group in groups {
        table.row(totals_cells(f, &group.key, &group.totals));
    }
    table.styled_row(RowStyle::Total, totals_cells(f, f.l.total(), total));
    table
}

/// Value and financing of each group side by side, in millions of euro.
fn money_chart(f: &Fmt, groups: &[ProjectGroup]) -> BarChart {
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
