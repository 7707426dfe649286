//! Counts and sums written as `COUNTIFS`/`SUMIFS` formulas over a detail
//! sheet's table, so that a reader can trace each figure to the rows it counts:
//! the members by cluster and category over the member sheet, the projects by
//! cluster and by call over the financing audit. Each carries the model's
//! figure as its cached result; the formulas only say where it comes from.
//!
//! A criterion is `"="&A2`, the text of the table's own key cell (a row's
//! cluster, a column's category), so that no text from the inputs is written
//! into a formula; `=` makes it match that text itself, not a comparison, but
//! it ignores case, and Excel and LibreOffice read some texts as numbers,
//! dates or patterns. A key a criterion might not match exactly keeps
//! its value: empty, over [`MAX_CRITERION`] characters, holding `*`, `?` or
//! `~`, read as a number or a truth value, or equal to another key but for case.
//!
//! Formulas are written while the detail has at most [`DETAIL_ROWS`] rows and
//! the table at most [`DETAIL_GROUPS`] rows: beyond them a workbook
//! recalculating every count over every row would open slowly, and the tables
//! hold values with a note.

use super::limits::table_name;
use super::table::structured_name;
use crate::report::{DETAIL_GROUPS, DETAIL_ROWS};
use std::collections::{HashMap, HashSet};

/// Excel's limit on a criterion's length.
const MAX_CRITERION: usize = 255;

/// The table of a detail sheet that counts are taken over.
pub(crate) struct Detail {
    /// The Excel table's name (`Soci`, `Controllo_finanziamenti`).
    table: String,
}

impl Detail {
    /// The table of sheet `sheet`, which has `rows` data rows, for a table of
    /// `groups` rows: `None` when counts over it stay values.
    pub(crate) fn of(sheet: &str, rows: usize, groups: usize) -> Option<Detail> {
        (rows <= DETAIL_ROWS && groups <= DETAIL_GROUPS).then(|| Detail {
            table: table_name(sheet),
        })
    }

    /// `Table[Column]` of the column titled `title`.
    fn column(&self, title: &str) -> String {
        format!("{}[{}]", self.table, structured_name(title))
    }

    /// The rows whose column titled `conditions.0` holds the text of the cell
    /// `conditions.1` (`$A2`), counted.
    pub(crate) fn count(&self, conditions: &[(&str, &str)]) -> String {
        format!("COUNTIFS({})", self.criteria(conditions))
    }

    /// The column titled `sum` of the rows that meet the conditions, summed.
    pub(crate) fn sum(&self, sum: &str, conditions: &[(&str, &str)]) -> String {
        format!("SUMIFS({},{})", self.column(sum), self.criteria(conditions))
    }

    fn criteria(&self, conditions: &[(&str, &str)]) -> String {
        let criteria = conditions
            .iter()
            .map(|(title, cell)| format!("{},\"=\"&{cell}", self.column(title)));
        criteria.collect::<Vec<_>>().join(",")
    }
}

/// A table's counts as formulas over `detail`, for the keys (rows) a
/// criterion matches exactly; the others keep their values.
pub(crate) struct Counted<'k> {
    detail: Detail,
    exact: HashSet<&'k str>,
}

impl<'k> Counted<'k> {
    pub(crate) fn new(detail: Detail, keys: impl IntoIterator<Item = &'k str>) -> Self {
        let exact = exact_keys(keys).into_iter().collect();
        Counted { detail, exact }
    }

    /// The detail to count the row of `key` over, if a formula can.
    pub(crate) fn of(&self, key: &str) -> Option<&Detail> {
        self.exact.contains(key).then_some(&self.detail)
    }
}

/// Of `keys`, those a criterion matches exactly (see the module's header).
fn exact_keys<'k>(keys: impl IntoIterator<Item = &'k str>) -> Vec<&'k str> {
    let keys: Vec<&str> = keys.into_iter().collect();
    let mut folded: HashMap<String, usize> = HashMap::new();
    for key in &keys {
        *folded.entry(key.to_lowercase()).or_default() += 1;
    }
    let plain = |key: &str| {
        let trimmed = key.trim();
        !trimmed.is_empty()
            && key.chars().count() < MAX_CRITERION
            && !key.contains(['*', '?', '~'])
            && trimmed.parse::<f64>().is_err()
            && !["true", "false", "vero", "falso"].contains(&trimmed.to_lowercase().as_str())
    };
    keys.into_iter()
        .filter(|key| plain(key) && folded[&key.to_lowercase()] == 1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_name_the_table_its_columns_and_each_text() {
        let detail = Detail::of("Controllo finanziamenti", 300, 8).unwrap();
        assert_eq!(
            detail.count(&[("Cluster", "$A2")]),
            "COUNTIFS(Controllo_finanziamenti[Cluster],\"=\"&$A2)"
        );
        assert_eq!(
            detail.sum("Valore [EUR]", &[("Bando", "$A3")]),
            "SUMIFS(Controllo_finanziamenti[Valore '[EUR']],\
             Controllo_finanziamenti[Bando],\"=\"&$A3)"
        );
        let members = Detail::of("Soci", 10, 2).unwrap();
        assert_eq!(
            members.count(&[("Cluster", "$A2"), ("Categoria", "D$1")]),
            "COUNTIFS(T_Soci[Cluster],\"=\"&$A2,T_Soci[Categoria],\"=\"&D$1)"
        );
    }

    #[test]
    fn above_the_limits_counts_stay_values() {
        assert!(Detail::of("Soci", DETAIL_ROWS, DETAIL_GROUPS).is_some());
        assert!(Detail::of("Soci", DETAIL_ROWS + 1, 1).is_none());
        assert!(Detail::of("Soci", 1, DETAIL_GROUPS + 1).is_none());
    }

    #[test]
    fn keys_a_criterion_could_misread_keep_their_values() {
        let long = "x".repeat(300);
        let keys = [
            "Mobilità",
            "Energia",
            "ENERGIA",
            "",
            "2024",
            "Asse 1*",
            "Vero",
            long.as_str(),
            "Bando \"Ergon\"",
        ];
        assert_eq!(exact_keys(keys), ["Mobilità", "Bando \"Ergon\""]);
    }
}
