//! `consolida.toml`: how foreign layouts map onto the canonical fields, which
//! clusters exist, the financing caps, and how long the PDF's lists may grow.
//!
//! Mistakes in the file are [`Error::Config`] errors with the line of the key at
//! fault and, where one exists, a suggestion (exit code 2).

use crate::category::Category;
use crate::category_words::{from_key, stems, OwnLabels};
use crate::error::{Error, Result};
use crate::fold::fold;
use crate::money::{cents_from_f64, Cents, Ppm};
use crate::schema::{Field, SourceKind};
use crate::suggestion::{closest, ending_with};
use serde::de::IgnoredAny;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;
use toml::Spanned;

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Who issues the report (shown on the cover and in document properties).
    #[serde(default)]
    pub(crate) issuer: Option<String>,
    /// The cluster system or region the report covers.
    #[serde(default)]
    pub(crate) title: Option<String>,
    /// The clusters that exist; values in the inputs are matched against them.
    #[serde(default)]
    pub(crate) clusters: Vec<String>,
    #[serde(default, rename = "source")]
    pub(crate) sources: Vec<SourceConfig>,
    #[serde(default, rename = "cap")]
    pub(crate) caps: Vec<CapRule>,
    /// The calls (bandi) projects may belong to; used for the template's drop-down.
    #[serde(default)]
    pub(crate) calls: Vec<String>,
    /// The de minimis ceiling per member over rolling years.
    #[serde(default)]
    pub(crate) de_minimis: DeMinimis,
    /// `[categories]`: the office's own labels, each mapped to a category key.
    #[serde(default)]
    pub(crate) categories: BTreeMap<Spanned<String>, Spanned<String>>,
    /// How long the PDF's lists may grow.
    #[serde(default)]
    pub(crate) pdf: PdfConfig,
    /// `[[target]]`: what a cluster or the portfolio is expected to reach.
    #[serde(default, rename = "target")]
    pub(crate) targets: Vec<TargetConfig>,
    /// `targets` read and checked, once, when the file is parsed.
    #[serde(skip)]
    pub(crate) checked_targets: Vec<crate::monitoring::target::Target>,
    /// Byte offset where each line of the configuration text starts, to turn a
    /// position into a line number for messages; empty without a file.
    #[serde(skip)]
    pub(crate) line_starts: Vec<usize>,
    /// How the configuration file is shown in messages.
    #[serde(skip)]
    pub(crate) display: String,
}

/// `[de_minimis]`: financing under de minimis aid may not exceed `limit` per member
/// over `years` rolling years (EUR 300.000 over three years under Regulation (EU)
/// 2023/2831).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DeMinimis {
    #[serde(default = "de_minimis_limit")]
    pub(crate) limit: f64,
    #[serde(default = "de_minimis_years")]
    pub(crate) years: u32,
    /// Glob on the project's aid type that marks de minimis aid.
    #[serde(default = "de_minimis_aid_type")]
    pub(crate) aid_type: String,
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
    pub(crate) fn limit_cents(&self) -> Cents {
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

/// `[pdf]`: how long the PDF's lists may grow. Appendix A lists every project
/// of a portfolio of up to `appendix_projects`; of a larger one, the breaches,
/// the near breaches and the largest projects by value, that many in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PdfConfig {
    /// As written: [`Config::parse`] refuses a negative one.
    #[serde(default = "appendix_projects")]
    pub(crate) appendix_projects: i64,
}

impl PdfConfig {
    /// The most projects Appendix A lists.
    pub(crate) fn appendix_limit(&self) -> usize {
        usize::try_from(self.appendix_projects).unwrap_or(0)
    }
}

impl Default for PdfConfig {
    fn default() -> Self {
        PdfConfig {
            appendix_projects: appendix_projects(),
        }
    }
}

/// The projects Appendix A lists at most, unless `[pdf] appendix_projects`
/// says otherwise: about ten pages.
pub(crate) const APPENDIX_PROJECTS: i64 = 200;

fn appendix_projects() -> i64 {
    APPENDIX_PROJECTS
}

/// A `[[target]]` table as written; [`crate::monitoring::target`] reads it
/// into a target and checks it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct TargetConfig {
    /// A cluster, `*` (every cluster without its own) or `total`.
    pub(crate) cluster: Spanned<String>,
    pub(crate) indicator: Spanned<String>,
    /// The baseline month, `YYYY-MM`.
    pub(crate) from: Spanned<String>,
    /// Computed from the data as of `from` when left out.
    #[serde(default)]
    pub(crate) baseline: Option<Spanned<f64>>,
    /// Month → value expected by its end.
    #[serde(default)]
    pub(crate) milestones: BTreeMap<Spanned<String>, Spanned<f64>>,
    pub(crate) target: Spanned<f64>,
    /// The deadline month, `YYYY-MM`.
    pub(crate) by: Spanned<String>,
    /// A fraction of |target − baseline|; 0.05 when left out.
    #[serde(default)]
    pub(crate) tolerance: Option<Spanned<f64>>,
}

/// A `[[source]]` table: one file (or glob) and how to read it.
#[derive(Debug, Clone, Deserialize)]
#[serde(try_from = "RawSource")]
pub(crate) struct SourceConfig {
    /// Relative to the inputs folder; globs allowed.
    pub(crate) path: String,
    pub(crate) kind: SourceKind,
    pub(crate) sheet: Option<String>,
    /// 1-based row of the header; detected when absent; `0` for a sheet without
    /// a header, whose columns are then given by letter (`member_id = "B"`).
    pub(crate) header_row: Option<u32>,
    /// `[source.columns]`: canonical field = header text in the file.
    pub(crate) columns: Vec<Entry>,
    /// `[source.defaults]`: canonical field = a constant for every row.
    pub(crate) defaults: Vec<Entry>,
    /// `[[source.rules]]`: the first rule whose `when` matches sets the fields.
    pub(crate) rules: Vec<Rule>,
    /// Where `path = ...` is written in the configuration (byte offsets).
    pub(crate) span: Range<usize>,
    /// Where `sheet = ...` is written, when it is.
    pub(crate) sheet_span: Option<Range<usize>>,
}

/// One `key = "value"` line of a source table, with where it is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) value: String,
    /// Byte offsets of the key in the configuration text.
    pub(crate) span: Range<usize>,
}

/// `when` raw column values (header text = value) then `set` canonical fields.
#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) when: Vec<Entry>,
    pub(crate) set: Vec<Entry>,
}

/// A scalar value written in a source table: text, a number or a boolean, kept
/// as the text a cell would show (`SME = true` matches a cell reading `true`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Scalar(String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Scalar, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a text, a number or true/false")
            }
            fn visit_str<E>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_i64<E>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

type SpannedMap = BTreeMap<Spanned<String>, Spanned<Scalar>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    path: Spanned<String>,
    kind: SourceKind,
    #[serde(default)]
    sheet: Option<Spanned<String>>,
    #[serde(default)]
    header_row: Option<u32>,
    #[serde(default)]
    columns: SpannedMap,
    #[serde(default)]
    defaults: SpannedMap,
    #[serde(default)]
    rules: Vec<RawRule>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    when: SpannedMap,
    set: SpannedMap,
}

fn entries(map: SpannedMap) -> Vec<Entry> {
    map.into_iter()
        .map(|(key, value)| Entry {
            span: key.span(),
            key: key.into_inner(),
            value: value.into_inner().0,
        })
        .collect()
}

impl TryFrom<RawSource> for SourceConfig {
    type Error = String;
    fn try_from(raw: RawSource) -> Result<SourceConfig, String> {
        Ok(SourceConfig {
            span: raw.path.span(),
            path: raw.path.into_inner(),
            kind: raw.kind,
            sheet_span: raw.sheet.as_ref().map(Spanned::span),
            sheet: raw.sheet.map(Spanned::into_inner),
            header_row: raw.header_row,
            columns: entries(raw.columns),
            defaults: entries(raw.defaults),
            rules: raw
                .rules
                .into_iter()
                .map(|r| Rule {
                    when: entries(r.when),
                    set: entries(r.set),
                })
                .collect(),
        })
    }
}

/// A `[[cap]]` rule: the financing cap for projects it matches.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CapRule {
    /// How the audit names the rule (`"Asse 1 – tetto 70 %"`); without it the
    /// reports write the rule's terms in the reader's language.
    #[serde(default)]
    pub(crate) label: Option<String>,
    /// Glob on the call name.
    #[serde(default = "any")]
    pub(crate) call: String,
    /// Glob on the lead member's category key (`sme`, `large_enterprise`, …).
    #[serde(default = "any")]
    pub(crate) category: String,
    /// Glob on the project's aid type.
    #[serde(default = "any")]
    pub(crate) aid_type: String,
    pub(crate) max_ratio: f64,
    #[serde(default)]
    pub(crate) max_grant: Option<f64>,
    /// The rule applies only to projects of at least this value.
    #[serde(default)]
    pub(crate) min_project_value: Option<f64>,
}

fn any() -> String {
    "*".to_string()
}

impl CapRule {
    pub(crate) fn max_ratio_ppm(&self) -> Ppm {
        Ppm::from_f64(self.max_ratio)
    }

    pub(crate) fn max_grant_cents(&self) -> Option<Cents> {
        self.max_grant.and_then(|g| cents_from_f64(g).ok())
    }

    pub(crate) fn min_project_value_cents(&self) -> Option<Cents> {
        self.min_project_value.and_then(|v| cents_from_f64(v).ok())
    }
}

impl Config {
    /// Reads and checks `path`; `display` is how the path is shown in messages.
    ///
    /// # Errors
    /// [`Error::Config`] when the file cannot be read, is not valid TOML, has an
    /// unknown key, or holds a value out of range.
    pub(crate) fn load(path: &Path, display: &str) -> Result<Config> {
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
        let mut config: Config = toml::from_str(text).map_err(|e| Error::Config {
            path: display.to_string(),
            line: e.span().map(|span| line_of(text, span.start)),
            message: with_suggestion(&sentence(e.message())),
        })?;
        config.line_starts = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i + 1))
            .collect();
        config.display = display.to_string();
        config.check(text)?;
        config.checked_targets = crate::monitoring::target::from_config(&config)?;
        Ok(config)
    }

    /// The 1-based line of the configuration holding byte `offset`, if the
    /// configuration came from a file.
    pub(crate) fn line_at(&self, offset: usize) -> Option<usize> {
        if self.line_starts.is_empty() {
            return None;
        }
        Some(self.line_starts.partition_point(|&start| start <= offset))
    }

    /// A configuration error at byte `offset` of the file.
    pub(crate) fn error_at(&self, offset: Option<usize>, message: impl Into<String>) -> Error {
        Error::Config {
            path: self.display.clone(),
            line: offset.and_then(|o| self.line_at(o)),
            message: message.into(),
        }
    }

    fn check(&self, text: &str) -> Result<()> {
        // Parsed once already, so read again only for where the keys are.
        let written: WrittenKeys = toml::from_str(text).unwrap_or_default();
        for (index, cap) in self.caps.iter().enumerate() {
            let keys = written.cap.get(index);
            let error = |key: &str, message: String| {
                self.error_at(keys.and_then(|keys| offset_of(keys, key)), message)
            };
            if !(cap.max_ratio > 0.0 && cap.max_ratio <= 1.0) {
                return Err(error(
                    "max_ratio",
                    format!(
                        "max_ratio = {} is not a ratio between 0 and 1 (write 0.70 for 70 %).",
                        cap.max_ratio
                    ),
                ));
            }
            if cap.label.as_deref().is_some_and(|l| l.trim().is_empty()) {
                return Err(error(
                    "label",
                    "label is empty: write how the audit names the rule, or leave the key out."
                        .to_string(),
                ));
            }
            for (key, amount) in [
                ("min_project_value", cap.min_project_value),
                ("max_grant", cap.max_grant),
            ] {
                if let Some(message) = amount.and_then(|amount| amount_mistake(key, amount)) {
                    return Err(error(key, message));
                }
            }
            for (key, pattern) in [
                ("call", &cap.call),
                ("category", &cap.category),
                ("aid_type", &cap.aid_type),
            ] {
                if glob::Pattern::new(pattern).is_err() {
                    return Err(error(
                        key,
                        format!("{key} = \"{pattern}\" is not a valid pattern."),
                    ));
                }
            }
        }
        self.check_de_minimis(&written.de_minimis)?;
        self.check_categories()?;
        if self.pdf.appendix_projects < 0 {
            return Err(self.error_at(
                offset_of(&written.pdf, "appendix_projects"),
                format!(
                    "appendix_projects = {} is not a number of projects: write a whole number, 0 or more ({APPENDIX_PROJECTS} unless set).",
                    self.pdf.appendix_projects
                ),
            ));
        }
        for source in &self.sources {
            self.check_source(source)?;
        }
        Ok(())
    }

    /// `[categories]`: every label maps to a category key and has a word in it.
    fn check_categories(&self) -> Result<()> {
        for (label, key) in &self.categories {
            if from_key(key.get_ref()).is_none() {
                let keys: Vec<&str> = Category::ALL.iter().map(|c| c.key()).collect();
                let message = format!(
                    "\"{}\" = \"{}\" is not a category key; use one of {}.",
                    label.get_ref(),
                    key.get_ref(),
                    keys.join(", ")
                );
                return Err(self.error_at(
                    Some(key.span().start),
                    ending_with(message, closest(key.get_ref(), keys.iter().copied())),
                ));
            }
            if stems(label.get_ref()).is_empty() {
                return Err(self.error_at(
                    Some(label.span().start),
                    format!(
                        "\"{}\" under [categories] has no word to recognise a label by.",
                        label.get_ref()
                    ),
                ));
            }
        }
        Ok(())
    }

    /// The office's own category labels, for reading the inputs.
    pub(crate) fn own_categories(&self) -> OwnLabels {
        OwnLabels::new(self.categories.iter().filter_map(|(label, key)| {
            from_key(key.get_ref()).map(|category| (label.get_ref().as_str(), category))
        }))
    }

    /// `[de_minimis]`: a ceiling of zero or more euros over at least a year.
    fn check_de_minimis(&self, keys: &Keys) -> Result<()> {
        let rule = &self.de_minimis;
        let error = |key: &str, message: String| self.error_at(offset_of(keys, key), message);
        if let Some(message) = amount_mistake("limit", rule.limit) {
            return Err(error("limit", message));
        }
        if !DE_MINIMIS_YEARS.contains(&rule.years) {
            return Err(error(
                "years",
                format!(
                    "years = {} is not a number of years from {} to {}: the de minimis limit holds over the years ending on the period's last day (3 under Regulation (EU) 2023/2831).",
                    rule.years,
                    DE_MINIMIS_YEARS.start(),
                    DE_MINIMIS_YEARS.end()
                ),
            ));
        }
        if glob::Pattern::new(&rule.aid_type).is_err() {
            return Err(error(
                "aid_type",
                format!("aid_type = \"{}\" is not a valid pattern.", rule.aid_type),
            ));
        }
        Ok(())
    }

    /// The mistakes a `[[source]]` can hold without looking at its file: a field
    /// that does not exist, a category or cluster that is not one, a bad glob.
    fn check_source(&self, source: &SourceConfig) -> Result<()> {
        if glob::Pattern::new(&source.path).is_err() {
            return Err(self.error_at(
                Some(source.span.start),
                format!("path = \"{}\" is not a valid pattern.", source.path),
            ));
        }
        let tables = [
            ("[source.columns]", &source.columns),
            ("[source.defaults]", &source.defaults),
        ];
        let rule_sets = source.rules.iter().map(|r| ("`set` of a rule", &r.set));
        for (table, entries) in tables.into_iter().chain(rule_sets) {
            for entry in entries {
                let field = self.field_of(source, table, entry)?;
                if table != "[source.columns]" {
                    self.check_constant(field, entry)?;
                }
            }
        }
        Ok(())
    }

    fn field_of(&self, source: &SourceConfig, table: &str, entry: &Entry) -> Result<Field> {
        Field::from_key(source.kind, &entry.key).ok_or_else(|| {
            let names: Vec<&str> = source.kind.fields().iter().map(|f| f.key()).collect();
            let message = format!(
                "'{}' in {table} is not a field of {}; the fields are {}.",
                entry.key,
                source.kind.key(),
                names.join(", ")
            );
            self.error_at(
                Some(entry.span.start),
                ending_with(message, closest(&entry.key, names.iter().copied())),
            )
        })
    }

    /// A constant category must be a category, a constant cluster one of `clusters`.
    fn check_constant(&self, field: Field, entry: &Entry) -> Result<()> {
        let value = &entry.value;
        if field == Field::Category && self.own_categories().parse(value).is_none() {
            let keys: Vec<&str> = Category::ALL.iter().map(|c| c.key()).collect();
            let message = format!(
                "category = \"{value}\" is not a category; use one of {}.",
                keys.join(", ")
            );
            return Err(self.error_at(
                Some(entry.span.start),
                ending_with(message, closest(value, keys.iter().copied())),
            ));
        }
        let folded = fold(value);
        let known = self.clusters.iter().any(|c| fold(c) == folded);
        if field == Field::Cluster && !self.clusters.is_empty() && !known {
            let message = format!("cluster = \"{value}\" is not among the clusters of this file.");
            return Err(self.error_at(
                Some(entry.span.start),
                ending_with(
                    message,
                    closest(value, self.clusters.iter().map(String::as_str)),
                ),
            ));
        }
        Ok(())
    }
}

/// The 1-based line holding byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Where the keys of the `[[cap]]` tables, `[de_minimis]` and `[pdf]` are
/// written: the configuration read a second time, keeping each key's position,
/// so that a value out of range is reported on the line of its key.
#[derive(Default, Deserialize)]
struct WrittenKeys {
    #[serde(default)]
    cap: Vec<Keys>,
    #[serde(default)]
    de_minimis: Keys,
    #[serde(default)]
    pdf: Keys,
}

/// The keys of one table, each with its byte offsets in the configuration.
type Keys = BTreeMap<Spanned<String>, IgnoredAny>;

/// Where `key` is written in `keys`, if it is.
fn offset_of(keys: &Keys, key: &str) -> Option<usize> {
    keys.get_key_value(key).map(|(key, _)| key.span().start)
}

/// The years a de minimis window may span.
const DE_MINIMIS_YEARS: std::ops::RangeInclusive<u32> = 1..=100;

/// What is wrong with `key = amount` if it is not an amount of zero or more
/// euros and whole cents.
fn amount_mistake(key: &str, amount: f64) -> Option<String> {
    if amount < 0.0 {
        return Some(format!(
            "{key} = {amount} is negative: write an amount of zero or more euros."
        ));
    }
    cents_from_f64(amount)
        .is_err()
        .then(|| format!("{key} = {amount} is not an amount in euros and cents."))
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

/// Adds "Did you mean …?" to serde's "Unknown field `x`, expected one of `a`, `b`"
/// (and the same for variants) when one of the expected names is close.
fn with_suggestion(message: &str) -> String {
    let quoted: Vec<&str> = message.split('`').skip(1).step_by(2).collect();
    let suggestion = match quoted.split_first() {
        Some((given, expected)) if message.contains("expected") => {
            closest(given, expected.iter().copied())
        }
        _ => None,
    };
    ending_with(message.to_string(), suggestion)
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
    fn an_unknown_key_names_its_line_and_the_closest_key() {
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
        assert!(text.ends_with("Did you mean 'max_ratio'?"), "{text}");
        assert_eq!(err.exit_code(), 2);
    }

    #[test]
    fn a_ratio_given_as_a_percentage_is_refused_on_its_own_line() {
        let err = Config::parse("[[cap]]\nmax_ratio = 70\n", "c.toml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "c.toml:2: max_ratio = 70 is not a ratio between 0 and 1 (write 0.70 for 70 %)."
        );
    }

    /// The message for `text`, which must be refused with exit code 2.
    fn refusal(text: &str) -> String {
        let err = Config::parse(text, "c.toml").unwrap_err();
        assert_eq!(err.exit_code(), 2, "{err}");
        err.to_string()
    }

    #[test]
    fn a_cap_value_out_of_range_is_reported_on_the_line_of_its_key() {
        let caps = "[[cap]]\ncall = \"A\"\nmax_ratio = 0.5\n\n[[cap]]\ncall = \"B\"\ncategory = \"sme\"\nmax_ratio = 0.6\nmax_grant = 1000.0\nmin_project_value = 10.0\n";
        assert!(Config::parse(caps, "c.toml").is_ok());
        assert_eq!(
            refusal(&caps.replace("max_grant = 1000.0", "max_grant = -1000.0")),
            "c.toml:9: max_grant = -1000 is negative: write an amount of zero or more euros."
        );
        assert_eq!(
            refusal(&caps.replace("min_project_value = 10.0", "min_project_value = 10.001")),
            "c.toml:10: min_project_value = 10.001 is not an amount in euros and cents."
        );
        assert_eq!(
            refusal(&caps.replace("max_ratio = 0.6", "max_ratio = 0")),
            "c.toml:8: max_ratio = 0 is not a ratio between 0 and 1 (write 0.70 for 70 %)."
        );
        assert_eq!(
            refusal(&caps.replace("category = \"sme\"", "category = \"[sme\"")),
            "c.toml:7: category = \"[sme\" is not a valid pattern."
        );
    }

    #[test]
    fn de_minimis_needs_a_limit_of_zero_or_more_over_at_least_a_year() {
        let rule = "title = \"T\"\n\n[de_minimis]\naid_type = \"de minimis*\"\nlimit = 200000.00\nyears = 3\n";
        let config = Config::parse(rule, "c.toml").unwrap();
        assert_eq!(config.de_minimis.limit_cents(), Cents(20_000_000));
        assert_eq!(
            refusal(&rule.replace("years = 3", "years = 0")),
            "c.toml:6: years = 0 is not a number of years from 1 to 100: the de minimis limit holds over the years ending on the period's last day (3 under Regulation (EU) 2023/2831)."
        );
        assert_eq!(
            refusal(&rule.replace("years = 3", "years = 4294967295")),
            "c.toml:6: years = 4294967295 is not a number of years from 1 to 100: the de minimis limit holds over the years ending on the period's last day (3 under Regulation (EU) 2023/2831)."
        );
        assert_eq!(
            refusal(&rule.replace("limit = 200000.00", "limit = -200000.00")),
            "c.toml:5: limit = -200000 is negative: write an amount of zero or more euros."
        );
        assert_eq!(
            refusal(&rule.replace("limit = 200000.00", "limit = nan")),
            "c.toml:5: limit = NaN is not an amount in euros and cents."
        );
        assert_eq!(
            refusal(&rule.replace("\"de minimis*\"", "\"de minimis[\"")),
            "c.toml:4: aid_type = \"de minimis[\" is not a valid pattern."
        );
        let zero = Config::parse(&rule.replace("200000.00", "0"), "c.toml").unwrap();
        assert_eq!(zero.de_minimis.limit_cents(), Cents(0));
    }

    #[test]
    fn the_appendix_limit_is_read_and_checked_on_its_line() {
        assert_eq!(
            Config::parse("", "c.toml").unwrap().pdf.appendix_projects,
            APPENDIX_PROJECTS
        );
        let config = Config::parse(
            "title = \"T\"\n\n[pdf]\nappendix_projects = 1000\n",
            "c.toml",
        );
        assert_eq!(config.unwrap().pdf.appendix_projects, 1000);
        let err = refusal("[pdf]\nappendix_project = 10\n");
        assert!(
            err.starts_with("c.toml:2: Unknown field `appendix_project`"),
            "{err}"
        );
        assert!(err.ends_with("Did you mean 'appendix_projects'?"), "{err}");
        assert_eq!(
            refusal("[pdf]\n\nappendix_projects = -1\n"),
            "c.toml:3: appendix_projects = -1 is not a number of projects: write a whole number, 0 or more (200 unless set)."
        );
        let err = refusal("[pdf]\nappendix_projects = 12.5\n");
        assert!(
            err.starts_with("c.toml:2: Invalid type: floating point `12.5`"),
            "{err}"
        );
        let err = refusal("[pdfs]\nappendix_projects = 10\n");
        assert!(err.ends_with("Did you mean 'pdf'?"), "{err}");
    }

    const CORDIS: &str = r#"clusters = ["FR", "DE"]

[[source]]
path = "organization_*.xlsx"
kind = "members"
sheet = "DATA"
[source.columns]
member_id = "organisationID"
cluster = "country"
[source.defaults]
province = "EU"
[[source.rules]]
when = { activityType = "PRC", SME = true }
set = { category = "sme" }
"#;

    #[test]
    fn sources_keep_their_entries_and_where_they_are_written() {
        let config = Config::parse(CORDIS, "c.toml").unwrap();
        let source = &config.sources[0];
        assert_eq!(source.kind, SourceKind::Members);
        assert_eq!(config.line_at(source.span.start), Some(4));
        let cluster = source.columns.iter().find(|e| e.key == "cluster").unwrap();
        assert_eq!(cluster.value, "country");
        assert_eq!(config.line_at(cluster.span.start), Some(9));
        let when = &source.rules[0].when;
        assert!(when.iter().any(|e| e.key == "SME" && e.value == "true"));
        assert_eq!(config.line_at(when[0].span.start), Some(13));
    }

    #[test]
    fn a_field_that_does_not_exist_is_named_with_its_line() {
        let text = CORDIS.replace("set = { category", "set = { categroy");
        let err = Config::parse(&text, "c.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("c.toml:14: 'categroy' in `set` of a rule is not a field of members"),
            "{err}"
        );
        assert!(err.ends_with("Did you mean 'category'?"), "{err}");

        let text = CORDIS.replace("member_id = ", "memberid = ");
        let err = Config::parse(&text, "c.toml").unwrap_err().to_string();
        assert!(
            err.starts_with("c.toml:8: 'memberid' in [source.columns]"),
            "{err}"
        );
    }

    #[test]
    fn constants_must_be_a_category_and_a_configured_cluster() {
        let text = CORDIS.replace("category = \"sme\"", "category = \"smi\"");
        let err = Config::parse(&text, "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:14: category = \"smi\""), "{err}");
        assert!(err.ends_with("Did you mean 'sme'?"), "{err}");

        let text = CORDIS.replace("province = \"EU\"", "cluster = \"Francia\"");
        let err = Config::parse(&text, "c.toml").unwrap_err().to_string();
        assert!(err.starts_with("c.toml:11: cluster = \"Francia\""), "{err}");
    }

    #[test]
    fn the_offices_own_category_labels_are_read_and_checked() {
        let config = Config::parse(
            "[categories]\n\"Fondazione di partecipazione\" = \"other\"\n\"Start-up innovativa\" = \"sme\"\n",
            "consolida.toml",
        )
        .unwrap();
        let own = config.own_categories();
        assert_eq!(
            own.parse("Fondazioni di partecipazione"),
            Some(Category::Other)
        );
        assert_eq!(own.parse("Start up innovative"), Some(Category::Sme));
        let message = refusal("clusters = []\n[categories]\n\"Start-up\" = \"smes\"\n");
        assert!(message.starts_with("c.toml:3:"), "{message}");
        assert!(message.contains("Did you mean 'sme'?"), "{message}");
        let message = refusal("[categories]\n\"-\" = \"sme\"\n");
        assert!(
            message.starts_with("c.toml:2:") && message.contains("no word"),
            "{message}"
        );
    }

    #[test]
    fn an_unknown_kind_suggests_the_closest() {
        let err = Config::parse(
            "[[source]]\npath = \"a.csv\"\nkind = \"member\"\n",
            "c.toml",
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("c.toml:3: Unknown variant `member`"),
            "{err}"
        );
        assert!(err.ends_with("Did you mean 'members'?"), "{err}");
    }
}
