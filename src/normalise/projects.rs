//! Project rows: each becomes a [`Project`] or is rejected with an error naming its cell.

use super::cells::{self, optional_date, optional_text, required_text, Context};
use super::row::Row;
use super::values::{self, ValueError};
use crate::issues::{Issue, IssueKind};
use crate::location::Location;
use crate::money::Cents;
use crate::schema::Field;
use crate::text::Text;
use chrono::NaiveDate;

/// A project as the report counts it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Project {
    pub(crate) project_id: String,
    pub(crate) title: String,
    pub(crate) cluster: String,
    pub(crate) call: String,
    pub(crate) lead_member_id: Option<String>,
    pub(crate) value: Cents,
    pub(crate) financing: Cents,
    pub(crate) approved_on: Option<NaiveDate>,
    pub(crate) start_on: Option<NaiveDate>,
    pub(crate) end_on: Option<NaiveDate>,
    pub(crate) aid_type: Option<String>,
    pub(crate) source: Location,
}

/// Reads one project row; `None` when the row is rejected (the reason is in `issues`).
pub(crate) fn read(row: &Row, ctx: &Context, issues: &mut Vec<Issue>) -> Option<Project> {
    let before = issues.len();
    let project_id = required_text(
        row,
        Field::ProjectId,
        (
            "un codice di progetto, ad esempio il CUP",
            "a project code such as the CUP",
        ),
        issues,
    );
    let cluster = cells::cluster(row, ctx, issues);
    let value = amount(row, Field::ProjectValue, issues);
    let financing = amount(row, Field::Financing, issues);
    let approved_on = optional_date(row, Field::ApprovedOn, issues);
    let start_on = optional_date(row, Field::StartOn, issues);
    let end_on = optional_date(row, Field::EndOn, issues);
    let title = optional_text(row, Field::Title, issues);
    let call = optional_text(row, Field::Call, issues);
    let lead = optional_text(row, Field::LeadMemberId, issues);
    let aid_type = optional_text(row, Field::AidType, issues);
    if let Some(value) = value {
        if value.0 <= 0 {
            issues.push(
                Issue::error(
                    row.location(Field::ProjectValue),
                    IssueKind::NonPositiveValue,
                    Text::new(
                        format!(
                            "Il valore del progetto ({}) è zero o negativo, quindi non esiste un rapporto di finanziamento; la riga è esclusa.",
                            value.italian_eur()
                        ),
                        format!(
                            "The project value ({}) is zero or negative, so no financing ratio exists; the row is left out.",
                            value.italian_eur()
                        ),
                    ),
                )
                .with_value(values::raw(&row.get(Field::ProjectValue)))
                .with_expected(Text::new("un importo maggiore di zero", "an amount above zero")),
            );
        }
    }
    if let Some(financing) = financing {
        if financing.0 < 0 {
            issues.push(
                Issue::error(
                    row.location(Field::Financing),
                    IssueKind::NegativeFinancing,
                    Text::new(
                        "Il finanziamento è negativo; la riga è esclusa.",
                        "The financing is negative; the row is left out.",
                    ),
                )
                .with_value(values::raw(&row.get(Field::Financing)))
                .with_expected(Text::new(
                    "un importo pari a zero o maggiore",
                    "an amount of zero or more",
                )),
            );
        }
    }
    if issues.len() > before {
        return None;
    }
    let project = Project {
        project_id: project_id?,
        title: title.ok()?.unwrap_or_default(),
        cluster: cluster?,
        call: call.ok()?.unwrap_or_default(),
        lead_member_id: lead.ok()?,
        value: value?,
        financing: financing?,
        approved_on: approved_on.ok()?,
        start_on: start_on.ok()?,
        end_on: end_on.ok()?,
        aid_type: aid_type.ok()?,
        source: row.row_location(),
    };
    warn_about_kept_project(&project, row, issues);
    Some(project)
}

/// Problems that leave the project in the figures but deserve a look.
fn warn_about_kept_project(project: &Project, row: &Row, issues: &mut Vec<Issue>) {
    if project.financing > project.value {
        issues.push(
            Issue::error(
                row.location(Field::Financing),
                IssueKind::FinancingAboveValue,
                Text::new(
                    format!(
                        "Il finanziamento ({}) supera il valore del progetto ({}); il progetto resta nei dati e nel controllo.",
                        project.financing.italian_eur(),
                        project.value.italian_eur()
                    ),
                    format!(
                        "The financing ({}) exceeds the project value ({}); the project stays in the figures and the audit.",
                        project.financing.italian_eur(),
                        project.value.italian_eur()
                    ),
                ),
            )
            .with_value(values::raw(&row.get(Field::Financing)))
            .with_expected(Text::new(
                format!("al massimo {}", project.value.italian_eur()),
                format!("at most {}", project.value.italian_eur()),
            )),
        );
    }
    if project.call.is_empty() && row.has_source(Field::Call) {
        issues.push(Issue::warning(
            row.location(Field::Call),
            IssueKind::MissingCall,
            Text::new(
                "Manca il bando; il progetto è raggruppato senza bando.",
                "The call is missing; the project is grouped under no call.",
            ),
        ));
    }
    if project.approved_on.is_none() && row.has_source(Field::ApprovedOn) {
        issues.push(Issue::warning(
            row.location(Field::ApprovedOn),
            IssueKind::MissingApprovalDate,
            Text::new(
                "Manca la data di approvazione; il progetto è contato nel portafoglio di ogni periodo.",
                "The approval date is missing; the project is counted in the portfolio of every period.",
            ),
        ));
    }
    if let (Some(start), Some(end)) = (project.start_on, project.end_on) {
        if end < start {
            issues.push(
                Issue::warning(
                    row.location(Field::EndOn),
                    IssueKind::EndsBeforeStart,
                    Text::new(
                        "Il progetto termina prima di iniziare.",
                        "The project ends before it starts.",
                    ),
                )
                .with_value(values::raw(&row.get(Field::EndOn))),
            );
        }
    }
}

/// A required amount, with an error naming its cell when it is missing or not
/// an amount.
pub(crate) fn amount(row: &Row, field: Field, issues: &mut Vec<Issue>) -> Option<Cents> {
    let cell = row.get(field);
    match values::amount(&cell) {
        Ok(cents) => Some(cents),
        Err(ValueError::Missing) => {
            issues.push(
                Issue::error(
                    row.location(field),
                    IssueKind::MissingValue(field),
                    Text::new(
                        format!(
                            "Manca {}: indicare un importo in euro; la riga è esclusa.",
                            field.italian()
                        ),
                        format!(
                            "The {} is missing: expected an amount in euros; the row is left out.",
                            field.key()
                        ),
                    ),
                )
                .with_value(values::raw(&cell))
                .with_expected(values::Expected::Amount.text()),
            );
            None
        }
        Err(problem) => {
            issues.push(cells::value_issue(
                row.location(field),
                field,
                &cell,
                problem,
            ));
            None
        }
    }
}
