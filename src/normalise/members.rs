//! Member rows: each becomes a [`Member`] or is rejected with an error naming its cell.

use super::cells::{self, optional_date, optional_text, required_text, Context};
use super::row::Row;
use super::values;
use crate::category::Category;
use crate::fold::fold;
use crate::issues::{Issue, IssueKind};
use crate::location::Location;
use crate::schema::Field;
use crate::suggestion::closest;
use crate::text::Text;
use chrono::NaiveDate;

/// A member as the report counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    pub(crate) member_id: String,
    pub(crate) name: String,
    pub(crate) category: Category,
    pub(crate) cluster: String,
    pub(crate) province: Option<String>,
    pub(crate) joined_on: Option<NaiveDate>,
    pub(crate) left_on: Option<NaiveDate>,
    pub(crate) source: Location,
}

/// Reads one member row; `None` when the row is rejected (the reason is in `issues`).
pub(crate) fn read(row: &Row, ctx: &Context, issues: &mut Vec<Issue>) -> Option<Member> {
    let before = issues.len();
    let member_id = required_text(
        row,
        Field::MemberId,
        (
            "un codice del socio (codice fiscale, partita IVA o altro codice)",
            "a member id (tax code, VAT number or other id)",
        ),
        issues,
    );
    let name = optional_text(row, Field::Name, issues);
    let category = category(row, ctx, issues);
    let cluster = cells::cluster(row, ctx, issues);
    let province = optional_text(row, Field::Province, issues);
    let joined_on = optional_date(row, Field::JoinedOn, issues);
    let left_on = optional_date(row, Field::LeftOn, issues);
    if issues.len() > before {
        return None;
    }
    let (joined_on, left_on) = (joined_on.ok()?, left_on.ok()?);
    let (name, province) = (name.ok()?, province.ok()?);
    if let (Some(joined), Some(left)) = (joined_on, left_on) {
        if left < joined {
            let (left, joined) = (left.format("%d/%m/%Y"), joined.format("%d/%m/%Y"));
            let message = Text::new(
                format!("Il socio risulta uscito il {left}, prima dell'adesione del {joined}; la riga è esclusa."),
                format!("The member left on {left} before joining on {joined}; the row is left out."),
            );
            issues.push(
                Issue::error(
                    row.location(Field::LeftOn),
                    IssueKind::LeftBeforeJoining,
                    message,
                )
                .with_value(values::raw(&row.get(Field::LeftOn))),
            );
            return None;
        }
    }
    Some(Member {
        member_id: member_id?,
        name: name.unwrap_or_default(),
        category: category?,
        cluster: cluster?,
        province: province.map(|p| self::province(&p)),
        joined_on,
        left_on,
        source: row.row_location(),
    })
}

fn category(row: &Row, ctx: &Context, issues: &mut Vec<Issue>) -> Option<Category> {
    if let Some(inputs) = row.unmatched_rule_inputs(Field::Category) {
        let described = |is: &str, empty: &str, open: &str, close: &str| {
            let parts: Vec<String> = inputs
                .iter()
                .map(|(_, header, value)| match value.as_str() {
                    "" => format!("{header} {empty}"),
                    value => format!("{header} {is} {open}{value}{close}"),
                })
                .collect();
            parts.join(", ")
        };
        let message = Text::new(
            format!(
                "Nessuna voce [[source.rules]] assegna la categoria di questa riga ({}); la riga è esclusa.",
                described("è", "è vuoto", "«", "»")
            ),
            format!(
                "No [[source.rules]] entry sets the category of this row ({}); the row is left out.",
                described("is", "is empty", "'", "'")
            ),
        );
        let (location, _, value) = inputs[0].clone();
        issues.push(
            Issue::error(location, IssueKind::NoCategoryRule, message)
                .with_value(value)
                .with_expected(Text::new(
                    "valori riconosciuti da una delle regole",
                    "values that one of the rules matches",
                )),
        );
        return None;
    }
    let value = required_text(
        row,
        Field::Category,
        (
            "una categoria di socio (PMI, Grandi imprese, Università e centri di ricerca …)",
            "a member category (PMI, Grandi imprese, Università e centri di ricerca …)",
        ),
        issues,
    )?;
    let category = ctx.categories.parse(&value);
    if category.is_none() {
        let known: Vec<&str> = Category::ALL
            .iter()
            .map(|c| c.label(crate::labels::Lang::It))
            .collect();
        let known = known.join(", ");
        let message = Text::new(
            format!(
                "Categoria sconosciuta «{value}»: le categorie ammesse sono {known}; la riga è esclusa."
            ),
            format!("Unknown category '{value}': expected one of {known}; the row is left out."),
        );
        issues.push(
            Issue::error(
                row.location(Field::Category),
                IssueKind::UnknownCategory,
                message,
            )
            .with_value(value.clone())
            .with_expected(Text::new(
                format!("una tra {known}"),
                format!("one of {known}"),
            ))
            .with_suggestion(closest(&value, Category::spellings())),
        );
    }
    category
}

/// Lombard province names become their two-letter code; other values are kept,
/// two-letter codes in upper case.
pub(crate) fn province(value: &str) -> String {
    const PROVINCES: [(&str, &str); 12] = [
        ("bergamo", "BG"),
        ("brescia", "BS"),
        ("como", "CO"),
        ("cremona", "CR"),
        ("lecco", "LC"),
        ("lodi", "LO"),
        ("mantova", "MN"),
        ("milano", "MI"),
        ("monza e brianza", "MB"),
        ("pavia", "PV"),
        ("sondrio", "SO"),
        ("varese", "VA"),
    ];
    let trimmed = value.trim();
    // A two-letter code, the usual spelling: no province's name is that short.
    if trimmed.len() == 2 && trimmed.is_ascii() {
        return trimmed.to_ascii_uppercase();
    }
    let folded = fold(value);
    if let Some((_, code)) = PROVINCES.iter().find(|(name, _)| *name == folded) {
        return code.to_string();
    }
    if trimmed.chars().count() == 2 {
        trimmed.to_uppercase()
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn province_names_become_codes() {
        assert_eq!(province("Milano"), "MI");
        assert_eq!(province("bs"), "BS");
        assert_eq!(province("Monza e Brianza"), "MB");
        assert_eq!(province("Torino"), "Torino");
    }
}
