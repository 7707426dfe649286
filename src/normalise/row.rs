//! One data row seen through its table's layout: the value of each canonical field
//! and the cell it came from.

use super::fields::Field;
use super::layout::{Layout, ResolvedRule};
use crate::category::fold;
use crate::ingest::RawTable;
use crate::location::Location;
use calamine::Data;
use std::borrow::Cow;

/// A data row of a table.
pub struct Row<'a> {
    table: &'a RawTable,
    layout: &'a Layout,
    /// Relative to the table's range.
    pub index: usize,
    rule: Option<&'a ResolvedRule>,
}

impl<'a> Row<'a> {
    pub fn new(table: &'a RawTable, layout: &'a Layout, index: usize) -> Row<'a> {
        let mut row = Row {
            table,
            layout,
            index,
            rule: None,
        };
        row.rule = layout.rules.iter().find(|rule| row.rule_matches(rule));
        row
    }

    fn rule_matches(&self, rule: &ResolvedRule) -> bool {
        rule.when.iter().all(|(col, wanted)| {
            let value = self
                .table
                .range
                .get((self.index, *col))
                .and_then(super::values::text);
            value.is_some_and(|v| fold(&v) == fold(wanted))
        })
    }

    /// Whether every cell of the row is empty.
    pub fn is_blank(&self) -> bool {
        (0..self.table.range.width()).all(|col| {
            self.table
                .range
                .get((self.index, col))
                .is_none_or(|c| super::values::text(c).is_none())
        })
    }

    /// The field's value: its column's cell, else what a matching rule sets, else the
    /// configured default, else empty.
    pub fn get(&self, field: Field) -> Cow<'a, Data> {
        if let Some(col) = self.layout.columns.get(&field) {
            if let Some(cell) = self.table.range.get((self.index, *col)) {
                if super::values::text(cell).is_some() || matches!(cell, Data::Error(_)) {
                    return Cow::Borrowed(cell);
                }
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

    /// The cell a field comes from, or the whole row when it has no column.
    pub fn location(&self, field: Field) -> Location {
        match self.layout.columns.get(&field) {
            Some(col) => self.table.location(self.index, *col),
            None => self.table.row_location(self.index),
        }
    }

    /// The whole row.
    pub fn row_location(&self) -> Location {
        self.table.row_location(self.index)
    }

    /// The field's value as trimmed text, `None` when empty.
    pub fn text(&self, field: Field) -> Option<String> {
        super::values::text(&self.get(field))
    }
}
