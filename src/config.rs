//! `consolida.toml`: how foreign layouts map onto the canonical fields, which
//! clusters exist, and the financing caps.
//!
//! Mistakes in the file are [`Error::Config`] errors with the line and, where one
//! exists, a suggestion (exit code 2).

use crate::error::{Error, Result};
use crate::money::{cents_from_f64, Cents, Ppm};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Who issues the report (shown on the cover and in document properties).
    #[serde(default)]
    pub issuer: Option<String>,
    /// The cluster system or region the report covers.
    #[serde(default)]
    pub title: Option<String>,
    /// The clusters that exist; values in the inputs are matched against them.
    #[serde(default)]
    pub clusters: Vec<String>,
    #[serde(default, rename = "source")]
    pub sources: Vec<SourceConfig>,
    #[serde(default, rename = "cap")]
    pub caps: Vec<CapRule>,
    /// The calls (bandi) projects may belong to; used for the template's drop-down.
    #[serde(default)]
    pub calls: Vec<String>,
    /// The de minimis ceiling per member over rolling years.
    #[serde(default)]
    pub de_minimis: DeMinimis,
}

/// `[de_minimis]`: financing under de minimis aid may not exceed `limit` per member
/// over `years` rolling years (EUR 300.000 over three years under Regulation (EU)
/// 2023/2831).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeMinimis {
    #[serde(default = "de_minimis_limit")]
    pub limit: f64,
    #[serde(default = "de_minimis_years")]
    pub years: u32,
    /// Glob on the project's aid type that marks de minimis aid.
    #[serde(default = "de_minimis_aid_type")]
    pub aid_type: String,
}

impl Default for DeMinimis {
    fn default() -> Self {
        DeMinimis {
            limit: de_minimis_limit(),
            years: de_minimis_years(),
            aid_type: de_minimis_aid_type(),
        }
    }
}

impl DeMinimis {
    pub fn limit_cents(&self) -> Cents {
        cents_from_f64(self.limit).unwrap_or(Cents(30_000_000))
    }
}

fn de_minimis_limit() -> f64 {
    300_000.0
}

fn de_minimis_years() -> u32 {
    3
}

fn de_minimis_aid_type() -> String {
    "de minimis*".to_string()
}

/// What a file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SourceKind {
    Members,
    Projects,
    Partners,
}

impl SourceKind {
    pub fn key(self) -> &'static str {
        match self {
            SourceKind::Members => "members",
            SourceKind::Projects => "projects",
            SourceKind::Partners => "partners",
        }
    }
}

/// A `[[source]]` table: one file (or glob) and how to read it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceConfig {
    /// Relative to the inputs folder; globs allowed.
    pub path: String,
    pub kind: SourceKind,
    #[serde(default)]
    pub sheet: Option<String>,
    /// 1-based row of the header; detected when absent.
    #[serde(default)]
    pub header_row: Option<u32>,
    /// Canonical field → header text in the file.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Canonical field → a constant for every row.
    #[serde(default)]
    pub defaults: BTreeMap<String, String>,
    /// First rule whose `when` matches sets the fields.
    #[serde(default)]
    pub rules: Vec<Rule>,
}

/// `when` raw column values (header text → value) then `set` canonical fields.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub when: BTreeMap<String, String>,
    pub set: BTreeMap<String, String>,
}

/// A `[[cap]]` rule: the financing cap for projects it matches.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CapRule {
    /// Glob on the call name.
    #[serde(default = "any")]
    pub call: String,
    /// Glob on the lead member's category key (`sme`, `large_enterprise`, …).
    #[serde(default = "any")]
    pub category: String,
    /// Glob on the project's aid type.
    #[serde(default = "any")]
    pub aid_type: String,
    pub max_ratio: f64,
    #[serde(default)]
    pub max_grant: Option<f64>,
    /// The rule applies only to projects of at least this value.
    #[serde(default)]
    pub min_project_value: Option<f64>,
}

fn any() -> String {
    "*".to_string()
}

impl CapRule {
    pub fn max_ratio_ppm(&self) -> Ppm {
        Ppm::from_f64(self.max_ratio)
    }

    pub fn max_grant_cents(&self) -> Option<Cents> {
        self.max_grant.and_then(|g| cents_from_f64(g).ok())
    }

    pub fn min_project_value_cents(&self) -> Option<Cents> {
        self.min_project_value.and_then(|v| cents_from_f64(v).ok())
    }
}

impl Config {
    /// Reads and checks `path`; `display` is how the path is shown in messages.
    ///
    /// # Errors
    /// [`Error::Config`] when the file cannot be read, is not valid TOML, has an
    /// unknown key, or holds a value out of range.
    pub fn load(path: &Path, display: &str) -> Result<Config> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Config {
            path: display.to_string(),
            line: None,
            message: format!("cannot read the configuration: {e}."),
        })?;
        Config::parse(&text, display)
    }

    /// Parses configuration text.
    ///
    /// # Errors
    /// As [`Config::load`].
    pub fn parse(text: &str, display: &str) -> Result<Config> {
        let config: Config = toml::from_str(text).map_err(|e| Error::Config {
            path: display.to_string(),
            line: e.span().map(|span| line_of(text, span.start)),
            message: sentence(e.message()),
        })?;
        config.check(text, display)?;
        Ok(config)
    }

    fn check(&self, text: &str, display: &str) -> Result<()> {
        for (index, cap) in self.caps.iter().enumerate() {
            let error = |message: String| Error::Config {
                path: display.to_string(),
                line: nth_table_line(text, "[[cap]]", index),
                message,
            };
            if !(cap.max_ratio > 0.0 && cap.max_ratio <= 1.0) {
                return Err(error(format!(
                    "max_ratio = {} is not a ratio between 0 and 1 (write 0.70 for 70 %).",
                    cap.max_ratio
                )));
            }
            if let Some(value) = cap.min_project_value {
                if value < 0.0 || cents_from_f64(value).is_err() {
                    return Err(error(format!(
                        "min_project_value = {value} is not an amount in euros and cents."
                    )));
                }
            }
            if let Some(grant) = cap.max_grant {
                if grant < 0.0 || cents_from_f64(grant).is_err() {
                    return Err(error(format!(
                        "max_grant = {grant} is not an amount in euros and cents."
                    )));
                }
            }
            for (field, pattern) in [
                ("call", &cap.call),
                ("category", &cap.category),
                ("aid_type", &cap.aid_type),
            ] {
                if glob::Pattern::new(pattern).is_err() {
                    return Err(error(format!(
                        "{field} = \"{pattern}\" is not a valid pattern."
                    )));
                }
            }
        }
        Ok(())
    }
}

/// The 1-based line holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// The line of the `index`-th occurrence of a `[[table]]` header.
fn nth_table_line(text: &str, header: &str, index: usize) -> Option<usize> {
    text.lines()
        .enumerate()
        .filter(|(_, line)| line.trim_start().starts_with(header))
        .nth(index)
        .map(|(n, _)| n + 1)
}

/// TOML messages start in lower case without a full stop; make them sentences.
fn sentence(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => "Invalid configuration.".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn caps_and_clusters_are_read() {
        let config = Config::parse(
            r#"
clusters = ["Mobilità", "Scienze della vita"]
[[cap]]
call = "Asse 1*"
max_ratio = 0.70
max_grant = 300000.00
"#,
            "consolida.toml",
        )
        .unwrap();
        assert_eq!(config.clusters.len(), 2);
        assert_eq!(config.caps[0].max_ratio_ppm(), Ppm(700_000));
        assert_eq!(config.caps[0].max_grant_cents(), Some(Cents(30_000_000)));
        assert_eq!(config.caps[0].category, "*");
    }

    #[test]
    fn an_unknown_key_names_its_line() {
        let err = Config::parse(
            "clusters = []\n\n[[cap]]\nmax_ratio = 0.5\nmax_rato = 0.7\n",
            "c.toml",
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.starts_with("c.toml:5: Unknown field `max_rato`"),
            "{text}"
        );
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn a_ratio_given_as_a_percentage_is_refused() {
        let err = Config::parse("[[cap]]\nmax_ratio = 70\n", "c.toml").unwrap_err();
        assert!(
            err.to_string()
                .contains("c.toml:1: max_ratio = 70 is not a ratio"),
            "{err}"
        );
    }
}
