//! Restatements: where the previous period's `summary.json` is in the output folder,
//! its figures are checked against the same period recomputed from today's data, and
//! every figure that changed is reported (a member added late, a corrected amount).

use crate::issues::{Issue, IssueKind};
use crate::labels::Lang;
use crate::location::Location;
use crate::money::Cents;
use crate::report::Report;
use crate::text::{number, Text};
use serde_json::Value;
use std::path::Path;

/// The issues for every figure of `<out>/<previous>/summary.json` that the data now
/// restate; nothing when that file does not exist. An unreadable file is itself a
/// warning.
pub(crate) fn check(report: &Report, out: &Path) -> Vec<Issue> {
    let path = out
        .join(report.previous.period.to_string())
        .join("summary.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Vec::new();
    };
    let location = Location::file(path.display().to_string());
    match serde_json::from_str::<Value>(&text) {
        Ok(published) => compare(report, &published, &location),
        Err(e) => vec![Issue::warning(
            location,
            IssueKind::PreviousUnreadable,
            Text::new(
                // serde's reason is in English: the Italian sentence says
                // what it means, and the English one quotes it.
                "Il riepilogo del report precedente non è un file JSON leggibile, quindi le sue cifre non sono confrontate con i dati di oggi.",
                format!("The previous report's summary cannot be read ({e}), so its figures are not checked for restatements."),
            ),
        )],
    }
}

fn compare(report: &Report, published: &Value, location: &Location) -> Vec<Issue> {
    let previous = &report.previous;
    let period = previous.period;
    let mut figures: Vec<((String, String), Value, Value)> = vec![
        (
            ("soci attivi".into(), "active members".into()),
            published["members"]["total"].clone(),
            previous.members.total().into(),
        ),
        (
            ("progetti approvati".into(), "approved projects".into()),
            published["projects"]["count"].clone(),
            previous.portfolio.count.into(),
        ),
        (
            ("valore dei progetti".into(), "project value".into()),
            published["projects"]["project_value"].clone(),
            previous.portfolio.value.as_euros_f64().into(),
        ),
        (
            ("finanziamento".into(), "financing".into()),
            published["projects"]["financing"].clone(),
            previous.portfolio.financing.as_euros_f64().into(),
        ),
    ];
    for cluster in &previous.members.by_cluster {
        let before = published["members"]["by_cluster"][&cluster.cluster]["total"].clone();
        figures.push((
            (
                format!("soci del cluster «{}»", cluster.cluster),
                format!("members of '{}'", cluster.cluster),
            ),
            before,
            cluster.counts.total().into(),
        ));
    }
    figures
        .into_iter()
        .filter(|(_, before, _)| !before.is_null())
        .filter(|(_, before, now)| before.as_f64() != now.as_f64())
        .map(|((what_it, what_en), before, now)| {
            let message = Text::new(
                format!(
                    "Dato rettificato ({what_it}): il report di {period} indicava {}; i dati ora danno {} per {period}.",
                    show(&before, Lang::It),
                    show(&now, Lang::It)
                ),
                format!(
                    "Restated: the {period} report gave {} {what_en}; the data now give {} for {period}.",
                    show(&before, Lang::En),
                    show(&now, Lang::En)
                ),
            );
            Issue::warning(location.clone(), IssueKind::Restated, message)
                .with_value(show(&before, Lang::En))
        })
        .collect()
}

/// A figure as a reader writes it: counts in `lang`'s digits (1.234 in
/// Italian), amounts in Italian form.
fn show(value: &Value, lang: Lang) -> String {
    match (value.as_u64(), value.as_f64()) {
        (Some(n), _) if lang == Lang::It => number(lang, n),
        (Some(n), _) => n.to_string(),
        (None, Some(f)) => Cents((f * 100.0).round() as i64).italian_eur(),
        _ => value.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample_report;
    use serde_json::json;

    #[test]
    fn changed_figures_of_the_previous_report_are_reported() {
        let report = sample_report();
        let published = json!({
            "members": { "total": 120, "by_cluster": { "Mobilità": { "total": 121 } } },
            "projects": { "count": 2, "project_value": 500_000.0, "financing": 299_999.99 },
        });
        let issues = compare(
            &report,
            &published,
            &Location::file("reports/2026-10/summary.json"),
        );
        let messages: Vec<&str> = issues.iter().map(|i| i.message.en()).collect();
        assert_eq!(
            messages,
            [
                "Restated: the 2026-10 report gave 120 active members; the data now give 121 for 2026-10.",
                "Restated: the 2026-10 report gave 299.999,99 € financing; the data now give 300.000,00 € for 2026-10.",
            ]
        );
    }

    #[test]
    fn no_previous_report_means_nothing_to_check() {
        assert!(check(&sample_report(), Path::new("/nonexistent")).is_empty());
    }
}
