//! A sheet's cells, stored sparsely: only rows and cells that hold something.
//!
//! Memory follows the cells a file really contains, never the size a sheet
//! declares or the distance between its first and last cell: a workbook whose
//! `<dimension>` says `A1:XFD1048576`, or that has one stray value in its last
//! cell, costs what its few cells cost. Coordinates are absolute and 0-based
//! (`A1` is `(0, 0)`), so a cell's location is its position.

use calamine::{Cell, Data};

/// One non-empty row: its absolute number and its non-empty cells by column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct GridRow {
    /// 0-based absolute row number.
    pub(crate) row: u32,
    /// Non-empty cells, ascending by 0-based absolute column.
    cells: Vec<(u32, Data)>,
}

impl GridRow {
    /// The cell at absolute column `col`, if it holds something.
    pub(crate) fn get(&self, col: u32) -> Option<&Data> {
        self.cells
            .binary_search_by_key(&col, |(c, _)| *c)
            .ok()
            .map(|i| &self.cells[i].1)
    }

    /// The non-empty cells, ascending by column.
    pub(crate) fn cells(&self) -> &[(u32, Data)] {
        &self.cells
    }
}

/// The non-empty cells of a sheet, by row.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Grid {
    rows: Vec<GridRow>,
}

impl Grid {
    /// Builds a grid from cells in any order. Empty cells and cells holding only
    /// spaces are dropped; when a position occurs twice, the later cell wins.
    pub(crate) fn from_cells(cells: impl IntoIterator<Item = Cell<Data>>) -> Grid {
        let mut builder = GridBuilder::default();
        for cell in cells {
            let (row, col) = cell.get_position();
            builder.push(row, col, cell.get_value().clone());
        }
        builder.finish()
    }

    /// The non-empty rows, ascending.
    pub(crate) fn rows(&self) -> &[GridRow] {
        &self.rows
    }

    /// The position in [`Grid::rows`] of absolute row `row`, if it is not empty.
    pub(crate) fn position(&self, row: u32) -> Option<usize> {
        self.rows.binary_search_by_key(&row, |r| r.row).ok()
    }

    /// The row with absolute number `row`, if it is not empty.
    pub(crate) fn row(&self, row: u32) -> Option<&GridRow> {
        self.position(row).map(|i| &self.rows[i])
    }

    /// The cell at absolute `(row, col)`, if it holds something.
    pub(crate) fn get(&self, row: u32, col: u32) -> Option<&Data> {
        self.row(row).and_then(|r| r.get(col))
    }

    /// Whether the sheet holds no value at all.
    #[cfg(test)]
    pub(crate) fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// How many cells hold something.
    pub(crate) fn cell_count(&self) -> usize {
        self.rows.iter().map(|r| r.cells.len()).sum()
    }
}

/// Builds a [`Grid`] cell by cell. Readers give cells row by row, left to right,
/// and those go straight into their rows; a cell out of that order (a damaged or
/// oddly written file) is set aside, and the grid is sorted once at the end.
#[derive(Default)]
pub(crate) struct GridBuilder {
    rows: Vec<GridRow>,
    /// The row being read and its cells so far, kept apart until the row ends
    /// so that it takes exactly the room of its cells.
    current: Option<u32>,
    cells: Vec<(u32, Data)>,
    disordered: Vec<(u32, u32, Data)>,
}

impl GridBuilder {
    /// A builder with room for `rows` rows, for grids joined from pieces.
    pub(crate) fn with_row_capacity(rows: usize) -> GridBuilder {
        GridBuilder {
            rows: Vec::with_capacity(rows),
            ..GridBuilder::default()
        }
    }

    /// Adds a cell; empty cells and cells holding only spaces are dropped.
    pub(crate) fn push(&mut self, row: u32, col: u32, value: Data) {
        if is_blank(&value) {
            return;
        }
        match self.current {
            Some(current) if current == row => match self.cells.last() {
                Some((c, _)) if *c >= col => self.disordered.push((row, col, value)),
                _ => self.cells.push((col, value)),
            },
            Some(current) if current > row => self.disordered.push((row, col, value)),
            _ => {
                self.end_row();
                if self.rows.last().is_some_and(|last| last.row >= row) {
                    self.disordered.push((row, col, value));
                } else {
                    self.current = Some(row);
                    self.cells.push((col, value));
                }
            }
        }
    }

    /// Puts the row being read among the rows.
    fn end_row(&mut self) {
        if let Some(row) = self.current.take() {
            // Collected from a drain of known length: exactly the room needed.
            let cells = self.cells.drain(..).collect();
            self.rows.push(GridRow { row, cells });
        }
    }

    /// Adds the cells of `grid`, read from a later part of the same sheet.
    pub(crate) fn append(&mut self, grid: Grid) {
        self.end_row();
        for row in grid.rows {
            match self.rows.last() {
                Some(last) if last.row >= row.row => {
                    for (col, value) in row.cells {
                        self.push(row.row, col, value);
                    }
                }
                _ => self.rows.push(row),
            }
        }
    }

    pub(crate) fn finish(mut self) -> Grid {
        self.end_row();
        if self.disordered.is_empty() {
            return Grid { rows: self.rows };
        }
        let mut cells: Vec<(u32, u32, Data)> = self
            .rows
            .into_iter()
            .flat_map(|r| {
                let row = r.row;
                r.cells
                    .into_iter()
                    .map(move |(col, value)| (row, col, value))
            })
            .collect();
        cells.extend(self.disordered);
        // A stable sort keeps the file's order among duplicates; the last one wins.
        cells.sort_by_key(|(row, col, _)| (*row, *col));
        let mut rows: Vec<GridRow> = Vec::new();
        for (row, col, value) in cells {
            match rows.last_mut() {
                Some(last) if last.row == row => match last.cells.last_mut() {
                    Some((c, v)) if *c == col => *v = value,
                    _ => last.cells.push((col, value)),
                },
                _ => rows.push(GridRow {
                    row,
                    cells: vec![(col, value)],
                }),
            }
        }
        Grid { rows }
    }
}

/// Whether a cell holds nothing a person would see.
pub(crate) fn is_blank(cell: &Data) -> bool {
    match cell {
        Data::Empty => true,
        Data::String(s) => s.trim().is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(row: u32, col: u32, text: &str) -> Cell<Data> {
        Cell::new((row, col), Data::String(text.into()))
    }

    #[test]
    fn cells_are_sorted_into_rows_and_blanks_dropped() {
        let grid = Grid::from_cells([
            cell(5, 2, "c"),
            cell(0, 1, "b"),
            cell(0, 0, "a"),
            cell(3, 0, "   "),
            Cell::new((4, 0), Data::Empty),
        ]);
        let rows: Vec<u32> = grid.rows().iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![0, 5]);
        assert_eq!(grid.get(0, 1), Some(&Data::String("b".into())));
        assert_eq!(grid.get(5, 2), Some(&Data::String("c".into())));
        assert_eq!(grid.get(3, 0), None);
        assert_eq!(grid.cell_count(), 3);
    }

    #[test]
    fn a_cell_out_of_reading_order_takes_its_place() {
        let mut builder = GridBuilder::default();
        builder.push(0, 0, Data::String("a".into()));
        builder.push(2, 1, Data::String("c".into()));
        builder.push(1, 3, Data::String("b".into()));
        builder.push(2, 0, Data::String("before c".into()));
        builder.push(0, 0, Data::String("a again".into()));
        let grid = builder.finish();
        let rows: Vec<u32> = grid.rows().iter().map(|r| r.row).collect();
        assert_eq!(rows, vec![0, 1, 2]);
        assert_eq!(grid.get(0, 0), Some(&Data::String("a again".into())));
        let cols: Vec<u32> = grid.rows()[2].cells().iter().map(|(c, _)| *c).collect();
        assert_eq!(cols, vec![0, 1]);
        assert_eq!(grid.cell_count(), 4);
    }

    #[test]
    fn the_later_of_two_cells_at_one_position_wins() {
        let grid = Grid::from_cells([cell(1, 1, "first"), cell(1, 1, "second")]);
        assert_eq!(grid.get(1, 1), Some(&Data::String("second".into())));
        assert_eq!(grid.cell_count(), 1);
    }

    #[test]
    fn far_apart_cells_cost_only_themselves() {
        // A1 and XFD1048576: a dense range would need 17 billion cells.
        let grid = Grid::from_cells([cell(0, 0, "a"), cell(1_048_575, 16_383, "z")]);
        assert_eq!(grid.rows().len(), 2);
        assert_eq!(grid.get(1_048_575, 16_383), Some(&Data::String("z".into())));
    }
}
