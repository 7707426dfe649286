//! Data issues: every problem found in the inputs, with where it is and what to do.
//!
//! Validation collects issues instead of stopping at the first. An *error* means a
//! value is wrong (a row with an error in a required field is left out of the figures
//! and counted as rejected); a *warning* means the row is counted but deserves a look.

use crate::location::Location;
use crate::suggestion::Suggestion;
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub(crate) fn key(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// One problem in the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issue {
    pub(crate) severity: Severity,
    pub(crate) location: Location,
    /// The raw value as found in the cell, if the issue is about one.
    pub(crate) value: Option<String>,
    /// A whole sentence saying what is wrong and what was expected.
    pub(crate) message: String,
    /// What the cell should have held ("an amount in euros", "20 fields"), when
    /// the issue is about a value.
    pub(crate) expected: Option<String>,
    /// The name the value probably should be, when there is a good guess.
    pub(crate) suggestion: Option<String>,
    /// The cluster of the member or project read from the issue's row, set
    /// once the data are read; `None` for a row left out or a whole file.
    pub(crate) cluster: Option<String>,
}

impl Issue {
    pub(crate) fn error(location: Location, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Error,
            location,
            value: None,
            message: message.into(),
            expected: None,
            suggestion: None,
            cluster: None,
        }
    }

    pub(crate) fn warning(location: Location, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Warning,
            location,
            value: None,
            message: message.into(),
            expected: None,
            suggestion: None,
            cluster: None,
        }
    }

    pub(crate) fn with_value(mut self, value: impl Into<String>) -> Issue {
        self.value = Some(value.into());
        self
    }

    pub(crate) fn with_expected(mut self, expected: impl Into<String>) -> Issue {
        self.expected = Some(expected.into());
        self
    }

    pub(crate) fn with_suggestion(mut self, suggestion: Option<Suggestion<'_>>) -> Issue {
        self.suggestion = suggestion.map(|s| s.name.to_string());
        self
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location,
            self.severity.key(),
            self.message
        )?;
        if let Some(name) = &self.suggestion {
            write!(f, " {}", Suggestion { name })?;
        }
        Ok(())
    }
}

/// Counts of issues by severity.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct IssueCounts {
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
}

impl IssueCounts {
    pub(crate) fn of(issues: &[Issue]) -> IssueCounts {
        let errors = issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        IssueCounts {
            errors,
            warnings: issues.len() - errors,
        }
    }
}

/// Sorts issues the way a reader goes through them: by file, sheet, row, column.
pub(crate) fn sort_for_reading(issues: &mut [Issue]) {
    issues.sort_by(|a, b| {
        (
            &a.location.file,
            &a.location.sheet,
            a.location.row,
            a.location.col,
            a.severity,
        )
            .cmp(&(
                &b.location.file,
                &b.location.sheet,
                b.location.row,
                b.location.col,
                b.severity,
            ))
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_issue_reads_as_a_sentence_with_its_location() {
        let issue = Issue::error(
            Location::cell("inputs/soci.xlsx", Some("Soci"), 13, 3),
            "Unknown cluster 'Aerospazo'.",
        )
        .with_suggestion(Some(Suggestion { name: "Aerospazio" }));
        assert_eq!(
            issue.to_string(),
            "inputs/soci.xlsx:Soci!D14: error: Unknown cluster 'Aerospazo'. Did you mean 'Aerospazio'?"
        );
    }
}
