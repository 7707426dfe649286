//! Partner rows: which member takes part in which project, with its share of the
//! costs and of the financing. Each row becomes a [`Partner`] or is rejected with
//! an error naming its cell.
//!
//! A share is an amount in euros, or a percentage of the project's value (cost
//! share) or financing (financing share) when written with `%` (`72,5%`).

use super::cells::{optional_value, required_text, Rejected};
use super::row::Row;
use super::values;
use crate::issues::Issue;
use crate::location::Location;
use crate::money::{Cents, Ppm};
use crate::schema::Field;
use calamine::Data;

/// A share of a project's costs or financing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Share {
    Amount(Cents),
    Percent(Ppm),
}

/// A member's part in a project.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Partner {
    pub(crate) project_id: String,
    pub(crate) member_id: String,
    pub(crate) cost_share: Option<Share>,
    pub(crate) financing_share: Option<Share>,
    pub(crate) source: Location,
    /// The cells of the project and member ids, for issues about them.
    pub(crate) project_cell: Location,
    pub(crate) member_cell: Location,
}

/// Reads one partner row; `None` when the row is rejected (the reason is in `issues`).
pub(crate) fn read(row: &Row, issues: &mut Vec<Issue>) -> Option<Partner> {
    let before = issues.len();
    let project_id = required_text(
        row,
        Field::ProjectId,
        (
            "il codice del progetto, ad esempio il CUP",
            "the project's code such as the CUP",
        ),
        issues,
    );
    let member_id = required_text(
        row,
        Field::MemberId,
        (
            "il codice del partner tra i soci (codice fiscale, partita IVA o altro codice)",
            "the partner's member id (tax code, VAT number or other id)",
        ),
        issues,
    );
    let cost_share = share(row, Field::CostShare, issues);
    let financing_share = share(row, Field::FinancingShare, issues);
    if issues.len() > before {
        return None;
    }
    Some(Partner {
        project_id: project_id?,
        member_id: member_id?,
        cost_share: cost_share.ok()?,
        financing_share: financing_share.ok()?,
        source: row.row_location(),
        project_cell: row.location(Field::ProjectId),
        member_cell: row.location(Field::MemberId),
    })
}

/// An optional share: an amount, or a percentage when the text ends with `%`.
fn share(row: &Row, field: Field, issues: &mut Vec<Issue>) -> Result<Option<Share>, Rejected> {
    optional_value(row, field, issues, |cell| {
        if matches!(cell, Data::String(s) if s.trim().ends_with('%')) {
            values::percent(cell).map(Share::Percent)
        } else {
            values::amount(cell).map(Share::Amount)
        }
    })
}
