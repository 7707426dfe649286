//! Data issues: every problem found in the inputs, with where it is and what to do.
//!
//! Validation collects issues instead of stopping at the first. An *error* means a
//! value is wrong (a row with an error in a required field is left out of the figures
//! and counted as rejected); a *warning* means the row is counted but deserves a look.

use crate::labels::Lang;
use crate::location::Location;
use crate::schema::Field;
use crate::suggestion::Suggestion;
use crate::text::Text;

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

    /// The severity as a word of `lang`, as the console writes it.
    pub(crate) fn word(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Severity::Error, Lang::It) => "errore",
            (Severity::Warning, Lang::It) => "avviso",
            (Severity::Error, Lang::En) => "error",
            (Severity::Warning, Lang::En) => "warning",
        }
    }
}

/// What kind of problem an issue is: the issues of a kind share their
/// message's fixed text, whatever values it quotes, so that the reports count
/// them together ([`crate::issue_groups`]); a kind about a field names it, so
/// that an invalid financing and an invalid date are two groups. `code` names
/// the kind in the exports, the same in every language and for every field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum IssueKind {
    /// A file that cannot be read, left out of the report.
    FileLeftOut,
    /// A `.csv` (or `.tsv`) file that is a workbook.
    MisnamedWorkbook,
    /// Lines of a UTF-8 file that are not UTF-8.
    NotUtf8,
    /// A CSV line with more fields than a sheet has columns.
    LineTooWide,
    /// A file with no table consolida knows.
    NoTable,
    /// A CSV line with fewer fields than the header, all of them empty.
    ExtraEmptyFields,
    /// A CSV line whose fields do not match the header.
    FieldCountMismatch,
    /// A field no column, default or rule gives.
    FieldNotGiven(Field),
    /// A subtotal row.
    Subtotal,
    /// Notes below a table.
    NotesBelowTable,
    /// A number merged over several rows.
    MergedNumber(Field),
    /// A total row whose amount differs from its rows'.
    TotalAmountMismatch(Field),
    /// A total that reads as a year.
    TotalIsYear,
    /// A total row whose count differs from its rows'.
    TotalCountMismatch,
    /// A required value missing.
    MissingValue(Field),
    /// A value of the wrong kind.
    InvalidValue(Field),
    /// An amount with fractions of a cent.
    SubCent(Field),
    /// A cell holding a spreadsheet error.
    CellError(Field),
    /// A cluster not among those configured.
    UnknownCluster,
    /// Two spellings of one cluster.
    ClusterSpelling,
    /// A category not recognised.
    UnknownCategory,
    /// A row no `[[source.rules]]` entry gives a category.
    NoCategoryRule,
    /// A member leaving before joining.
    LeftBeforeJoining,
    /// A project value of zero or less.
    NonPositiveValue,
    /// A negative financing.
    NegativeFinancing,
    /// A financing above the project value.
    FinancingAboveValue,
    /// A project without a call.
    MissingCall,
    /// A project without an approval date.
    MissingApprovalDate,
    /// A project that ends before it starts.
    EndsBeforeStart,
    /// A member listed twice.
    DuplicateMember,
    /// A project listed twice.
    DuplicateProject,
    /// A partner listed twice in a project.
    DuplicatePartner,
    /// A lead member not among the members.
    LeadNotMember,
    /// A partner not among the members.
    PartnerNotMember,
    /// A partner's project not among the projects.
    PartnerProjectUnknown,
    /// Partners' shares that do not add up.
    PartnerShares,
    /// The previous report's summary unreadable.
    PreviousUnreadable,
    /// A figure of the previous report that the data now restate.
    Restated,
}

impl IssueKind {
    /// Every kind.
    #[cfg(test)]
    pub(crate) const ALL: [IssueKind; 38] = [
        IssueKind::FileLeftOut,
        IssueKind::MisnamedWorkbook,
        IssueKind::NotUtf8,
        IssueKind::LineTooWide,
        IssueKind::NoTable,
        IssueKind::ExtraEmptyFields,
        IssueKind::FieldCountMismatch,
        IssueKind::FieldNotGiven(Field::Financing),
        IssueKind::Subtotal,
        IssueKind::NotesBelowTable,
        IssueKind::MergedNumber(Field::Financing),
        IssueKind::TotalAmountMismatch(Field::Financing),
        IssueKind::TotalIsYear,
        IssueKind::TotalCountMismatch,
        IssueKind::MissingValue(Field::Financing),
        IssueKind::InvalidValue(Field::Financing),
        IssueKind::SubCent(Field::Financing),
        IssueKind::CellError(Field::Financing),
        IssueKind::UnknownCluster,
        IssueKind::ClusterSpelling,
        IssueKind::UnknownCategory,
        IssueKind::NoCategoryRule,
        IssueKind::LeftBeforeJoining,
        IssueKind::NonPositiveValue,
        IssueKind::NegativeFinancing,
        IssueKind::FinancingAboveValue,
        IssueKind::MissingCall,
        IssueKind::MissingApprovalDate,
        IssueKind::EndsBeforeStart,
        IssueKind::DuplicateMember,
        IssueKind::DuplicateProject,
        IssueKind::DuplicatePartner,
        IssueKind::LeadNotMember,
        IssueKind::PartnerNotMember,
        IssueKind::PartnerProjectUnknown,
        IssueKind::PartnerShares,
        IssueKind::PreviousUnreadable,
        IssueKind::Restated,
    ];

    /// The kind's name in the exports (`code`), the same in every language.
    pub(crate) fn code(self) -> &'static str {
        match self {
            IssueKind::FileLeftOut => "file_left_out",
            IssueKind::MisnamedWorkbook => "misnamed_workbook",
            IssueKind::NotUtf8 => "not_utf8",
            IssueKind::LineTooWide => "line_too_wide",
            IssueKind::NoTable => "no_table",
            IssueKind::ExtraEmptyFields => "extra_empty_fields",
            IssueKind::FieldCountMismatch => "field_count_mismatch",
            IssueKind::FieldNotGiven(_) => "field_not_given",
            IssueKind::Subtotal => "subtotal",
            IssueKind::NotesBelowTable => "notes_below_table",
            IssueKind::MergedNumber(_) => "merged_number",
            IssueKind::TotalAmountMismatch(_) => "total_amount_mismatch",
            IssueKind::TotalIsYear => "total_is_year",
            IssueKind::TotalCountMismatch => "total_count_mismatch",
            IssueKind::MissingValue(_) => "missing_value",
            IssueKind::InvalidValue(_) => "invalid_value",
            IssueKind::SubCent(_) => "sub_cent",
            IssueKind::CellError(_) => "cell_error",
            IssueKind::UnknownCluster => "unknown_cluster",
            IssueKind::ClusterSpelling => "cluster_spelling",
            IssueKind::UnknownCategory => "unknown_category",
            IssueKind::NoCategoryRule => "no_category_rule",
            IssueKind::LeftBeforeJoining => "left_before_joining",
            IssueKind::NonPositiveValue => "non_positive_value",
            IssueKind::NegativeFinancing => "negative_financing",
            IssueKind::FinancingAboveValue => "financing_above_value",
            IssueKind::MissingCall => "missing_call",
            IssueKind::MissingApprovalDate => "missing_approval_date",
            IssueKind::EndsBeforeStart => "ends_before_start",
            IssueKind::DuplicateMember => "duplicate_member",
            IssueKind::DuplicateProject => "duplicate_project",
            IssueKind::DuplicatePartner => "duplicate_partner",
            IssueKind::LeadNotMember => "lead_not_member",
            IssueKind::PartnerNotMember => "partner_not_member",
            IssueKind::PartnerProjectUnknown => "partner_project_unknown",
            IssueKind::PartnerShares => "partner_shares",
            IssueKind::PreviousUnreadable => "previous_unreadable",
            IssueKind::Restated => "restated",
        }
    }
}

/// One problem in the inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Issue {
    pub(crate) severity: Severity,
    pub(crate) kind: IssueKind,
    pub(crate) location: Location,
    /// The raw value as found in the cell, if the issue is about one.
    pub(crate) value: Option<String>,
    /// A whole sentence saying what is wrong and what was expected, in both
    /// languages.
    pub(crate) message: Text,
    /// What the cell should have held ("un importo in euro", "an amount in
    /// euros", "20 fields"), when the issue is about a value.
    pub(crate) expected: Option<Text>,
    /// The name the value probably should be, when there is a good guess.
    pub(crate) suggestion: Option<String>,
    /// The cluster of the member or project read from the issue's row, set
    /// once the data are read; `None` for a row left out or a whole file.
    pub(crate) cluster: Option<String>,
}

impl Issue {
    pub(crate) fn error(location: Location, kind: IssueKind, message: Text) -> Issue {
        Issue::new(Severity::Error, location, kind, message)
    }

    pub(crate) fn warning(location: Location, kind: IssueKind, message: Text) -> Issue {
        Issue::new(Severity::Warning, location, kind, message)
    }

    fn new(severity: Severity, location: Location, kind: IssueKind, message: Text) -> Issue {
        Issue {
            severity,
            kind,
            location,
            value: None,
            message,
            expected: None,
            suggestion: None,
            cluster: None,
        }
    }

    pub(crate) fn with_value(mut self, value: impl Into<String>) -> Issue {
        self.value = Some(value.into());
        self
    }

    pub(crate) fn with_expected(mut self, expected: Text) -> Issue {
        self.expected = Some(expected);
        self
    }

    pub(crate) fn with_suggestion(mut self, suggestion: Option<Suggestion<'_>>) -> Issue {
        self.suggestion = suggestion.map(|s| s.name.to_string());
        self
    }

    /// The issue as a line in `lang`: where it is, its severity, its message
    /// and the name suggested, as the console prints it.
    pub(crate) fn line(&self, lang: Lang) -> String {
        let mut line = format!(
            "{}: {}: {}",
            self.location,
            self.severity.word(lang),
            self.message.get(lang)
        );
        if let Some(name) = &self.suggestion {
            line.push(' ');
            line.push_str(&Suggestion { name }.sentence(lang));
        }
        line
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
    fn an_issue_reads_as_a_sentence_with_its_location_in_either_language() {
        let issue = Issue::error(
            Location::cell("inputs/soci.xlsx", Some("Soci"), 13, 3),
            IssueKind::UnknownCluster,
            Text::new(
                "Cluster sconosciuto «Aerospazo».",
                "Unknown cluster 'Aerospazo'.",
            ),
        )
        .with_suggestion(Some(Suggestion { name: "Aerospazio" }));
        assert_eq!(
            issue.line(Lang::En),
            "inputs/soci.xlsx:Soci!D14: error: Unknown cluster 'Aerospazo'. Did you mean 'Aerospazio'?"
        );
        assert_eq!(
            issue.line(Lang::It),
            "inputs/soci.xlsx:Soci!D14: errore: Cluster sconosciuto «Aerospazo». Forse si intendeva «Aerospazio»?"
        );
    }

    #[test]
    fn every_kind_has_its_own_code() {
        let codes: rustc_hash::FxHashSet<&str> = IssueKind::ALL.iter().map(|k| k.code()).collect();
        assert_eq!(codes.len(), IssueKind::ALL.len());
    }
}
