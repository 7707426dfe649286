//! One data row seen through its table's layout: the value of each canonical field
//! and the cell it came from.

use super::layout::{Layout, ResolvedRule};
use crate::fold::fold;
use crate::ingest::{GridRow, RawTable};
use crate::location::Location;
use crate::schema::Field;
use calamine::Data;
use std::borrow::Cow;
use std::collections::HashMap;

/// A data row of a table.
pub(crate) struct Row<'a> {
    table: &'a RawTable,
    layout: &'a Layout,
    fills: &'a HashMap<(u32, u32), Data>,
    cells: Option<&'a GridRow>,
    /// Absolute, 0-based.
    pub(crate) row: u32,
    rule: Option<&'a ResolvedRule>,
}

impl<'a> Row<'a> {
    /// The absolute row `row` of `table`; `fills` are the values merged block
    /// labels give to cells of the table.
    pub(crate) fn new(
        table: &'a RawTable,
        layout: &'a Layout,
        fills: &'a HashMap<(u32, u32), Data>,
        row: u32,
    ) -> Row<'a> {
        let mut view = Row {
            table,
            layout,
            fills,
            cells: table.grid.row(row),
            row,
            rule: None,
        };
        view.rule = layout.rules.iter().find(|rule| view.rule_matches(rule));
        view
    }

    /// The cell at absolute column `col`, or the block label filling it.
    pub(crate) fn cell(&self, col: u32) -> Option<&'a Data> {
        self.cells
            .and_then(|r| r.get(col))
            .or_else(|| self.fills.get(&(self.row, col)))
    }

    /// The cell of the field's own column (or the block label filling it),
    /// leaving rules and defaults aside; `None` when it has no column or the
    /// cell is empty.
    pub(crate) fn own_cell(&self, field: Field) -> Option<&'a Data> {
        self.layout
            .columns
            .get(&field)
            .and_then(|col| self.cell(*col))
    }

    fn rule_matches(&self, rule: &ResolvedRule) -> bool {
        rule.when.iter().all(|(col, wanted)| {
            let value = self.cell(*col).and_then(super::values::text);
            value.is_some_and(|v| fold(&v) == *wanted)
        })
    }

    /// The field's value: its column's cell, else what a matching rule sets, else the
    /// configured default, else empty.
    pub(crate) fn get(&self, field: Field) -> Cow<'a, Data> {
        if let Some(col) = self.layout.columns.get(&field) {
            if let Some(cell) = self.cell(*col) {
                return Cow::Borrowed(cell);
            }
        }
        let constant = self
            .rule
            .and_then(|r| r.set.get(&field))
            .or_else(|| self.layout.defaults.get(&field));
        match constant {
            Some(value) => Cow::Owned(Data::String(value.clone())),
            None => Cow::Owned(Data::Empty),
        }
    }

    /// The cell a field comes from, or the row's when it has no column.
    pub(crate) fn location(&self, field: Field) -> Location {
        match self.layout.columns.get(&field) {
            Some(col) => self.table.location(self.row, *col),
            None => self.row_location(),
        }
    }

    /// Where a reader finds the row: its first cell, or its line in a CSV file
    /// ([`RawTable::row_location`]).
    pub(crate) fn row_location(&self) -> Location {
        self.table.row_cell(self.row, self.cells)
    }

    /// When `field` has no column and rules could set it but none matched: the
    /// cells the rules look at, as `(location, header, value)`, for a message
    /// that says why no rule matched.
    pub(crate) fn unmatched_rule_inputs(
        &self,
        field: Field,
    ) -> Option<Vec<(Location, String, String)>> {
        if self.layout.columns.contains_key(&field) || self.rule.is_some() {
            return None;
        }
        let mut cols: Vec<u32> = self
            .layout
            .rules
            .iter()
            .filter(|r| r.set.contains_key(&field))
            .flat_map(|r| r.when.iter().map(|(col, _)| *col))
            .collect();
        cols.sort_unstable();
        cols.dedup();
        if cols.is_empty() {
            return None;
        }
        let inputs = cols
            .into_iter()
            .map(|col| {
                let header = self
                    .layout
                    .headers
                    .get(&col)
                    .cloned()
                    .unwrap_or_else(|| crate::location::column_name(col));
                let value = self
                    .cell(col)
                    .and_then(super::values::text)
                    .unwrap_or_default();
                (self.table.location(self.row, col), header, value)
            })
            .collect();
        Some(inputs)
    }

    /// Whether the table gives `field` a value through a column, rule or default.
    pub(crate) fn has_source(&self, field: Field) -> bool {
        self.layout.provides(field)
    }

    /// Whether the workbook counts plain-number dates from 1904.
    pub(crate) fn date_1904(&self) -> bool {
        self.table.date_1904
    }
}
