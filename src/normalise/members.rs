//! Member rows: each becomes a [`Member`] or is rejected with an error naming its cell.

use super::cells::{self, optional_date, optional_text, required_text, Context};
use super::row::Row;
use super::values;
use crate::category::Category;
use crate::fold::fold;
use crate::issues::Issue;
use crate::location::Location;
use crate::schema::Field;
use crate::suggestion::closest;
use chrono::NaiveDate;

/// A member as the report counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub member_id: String,
    pub name: String,
    pub category: Category,
    pub cluster: String,
    pub province: Option<String>,
    pub joined_on: Option<NaiveDate>,
    pub left_on: Option<NaiveDate>,
    pub source: Location,
}

impl Member {
    /// Whether the member counts at `day`: joined on or before it and not left
    /// before it (leaving on that very day still counts).
    pub fn is_active_on(&self, day: NaiveDate) -> bool {
        self.joined_on.is_none_or(|j| j <= day) && self.left_on.is_none_or(|l| l >= day)
    }
}

/// Reads one member row; `None` when the row is rejected (the reason is in `issues`).
pub fn read(row: &Row, ctx: &Context, issues: &mut Vec<Issue>) -> Option<Member> {
    let before = issues.len();
    let member_id = required_text(
        row,
        Field::MemberId,
        "a member id (tax code, VAT number or other id)",
        issues,
    );
    let name = optional_text(row, Field::Name, issues);
    let category = category(row, issues);
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
            issues.push(
                Issue::error(
                    row.location(Field::LeftOn),
                    format!(
                        "The member left on {} before joining on {}; the row is left out.",
                        left.format("%d/%m/%Y"),
                        joined.format("%d/%m/%Y")
                    ),
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

fn category(row: &Row, issues: &mut Vec<Issue>) -> Option<Category> {
    if let Some(inputs) = row.unmatched_rule_inputs(Field::Category) {
        let described: Vec<String> = inputs
            .iter()
            .map(|(_, header, value)| match value.as_str() {
                "" => format!("{header} is empty"),
                value => format!("{header} is '{value}'"),
            })
            .collect();
        let (location, _, value) = inputs[0].clone();
        issues.push(
            Issue::error(
                location,
                format!(
                    "No [[source.rules]] entry sets the category of this row ({}); the row is left out.",
                    described.join(", ")
                ),
            )
            .with_value(value)
            .with_expected("values that one of the rules matches"),
        );
        return None;
    }
    let value = required_text(
        row,
        Field::Category,
        "a member category (PMI, Grandi imprese, Università e centri di ricerca …)",
        issues,
    )?;
    let category = Category::parse(&value);
    if category.is_none() {
        let known: Vec<&str> = Category::ALL
            .iter()
            .map(|c| c.label(crate::labels::Lang::It))
            .collect();
        issues.push(
            Issue::error(
                row.location(Field::Category),
                format!(
                    "Unknown category '{value}': expected one of {}; the row is left out.",
                    known.join(", ")
                ),
            )
            .with_value(value.clone())
            .with_expected(format!("one of {}", known.join(", ")))
            .with_suggestion(closest(&value, Category::spellings())),
        );
    }
    category
}

/// Lombard province names become their two-letter code; other values are kept,
/// two-letter codes in upper case.
pub fn province(value: &str) -> String {
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

    fn member(joined: Option<(i32, u32, u32)>, left: Option<(i32, u32, u32)>) -> Member {
        let day = |(y, m, d): (i32, u32, u32)| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        Member {
            member_id: "1".into(),
            name: "Alfa".into(),
            category: Category::Sme,
            cluster: "Mobilità".into(),
            province: None,
            joined_on: joined.map(day),
            left_on: left.map(day),
            source: Location::file("t"),
        }
    }

    #[test]
    fn a_member_counts_from_joining_until_the_day_it_leaves() {
        let end = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert!(member(Some((2026, 11, 30)), None).is_active_on(end));
        assert!(!member(Some((2026, 12, 1)), None).is_active_on(end));
        assert!(member(Some((2020, 1, 1)), Some((2026, 11, 30))).is_active_on(end));
        assert!(!member(Some((2020, 1, 1)), Some((2026, 11, 29))).is_active_on(end));
        assert!(member(None, None).is_active_on(end));
    }

    #[test]
    fn province_names_become_codes() {
        assert_eq!(province("Milano"), "MI");
        assert_eq!(province("bs"), "BS");
        assert_eq!(province("Monza e Brianza"), "MB");
        assert_eq!(province("Torino"), "Torino");
    }
}
