//! The paragraph that opens the cover, in the report's language, as an
//! official would write it: the active members and their change since the
//! previous month; the projects approved in the month, those above their cap
//! with the financing to recover, the members above the de minimis ceiling
//! (when there are any) and the targets behind or missed; the clusters whose
//! members changed most over the month.
//!
//! Every figure is the report's ([`Report::kpis`], [`Report::change`], the
//! month's approvals, the audit's total excess and de minimis excesses, the
//! monitoring's deviations and the trend's last two months), only put into
//! words here, each noun and verb agreeing with its number.

use super::format::Fmt;
use crate::labels::Lang;
use crate::monitoring::indicator::Indicator;
use crate::report::Report;

/// The clusters the paragraph names as having moved most, at most.
const MOVERS: usize = 3;

/// The opening paragraph: its sentences, one after the other.
pub(crate) fn paragraph(report: &Report, f: &Fmt) -> String {
    let mut sentences = vec![members(report, f), activity(report, f)];
    sentences.extend(moved(report, f));
    sentences.join(" ")
}

/// `A novembre 2026 i soci attivi sono 1.386 (−2 rispetto a ottobre).`
pub(crate) fn members(report: &Report, f: &Fmt) -> String {
    let n = report.kpis().members;
    let change = report.change().members;
    let month = f.month(report.period);
    let previous = f.month_of_year(report.previous.period, report.period.year);
    let count = f.count(n);
    let since = match (f.lang, change) {
        (Lang::It, 0) => format!("come a {previous}"),
        (Lang::It, _) => format!("{} rispetto a {previous}", f.signed_count(change)),
        (Lang::En, 0) => format!("as in {previous}"),
        (Lang::En, _) => format!("{} since {previous}", f.signed_count(change)),
    };
    match (f.lang, n) {
        (Lang::It, 0) => format!("A {month} non ci sono soci attivi ({since})."),
        (Lang::It, 1) => format!("A {month} c'è 1 socio attivo ({since})."),
        (Lang::It, _) => format!("A {month} i soci attivi sono {count} ({since})."),
        (Lang::En, 0) => format!("In {month} there are no active members ({since})."),
        (Lang::En, 1) => format!("In {month} there is 1 active member ({since})."),
        (Lang::En, _) => format!("In {month} there are {count} active members ({since})."),
    }
}

/// The month's approvals, the breaches with the financing to recover, the
/// members above the de minimis ceiling when there are any and, when targets
/// are set, those behind or missed: one sentence, its parts joined by
/// semicolons.
pub(crate) fn activity(report: &Report, f: &Fmt) -> String {
    let mut parts = vec![approvals(report, f), breaches(report, f)];
    parts.extend(de_minimis(report, f));
    if !report.monitoring.targets.is_empty() {
        parts.push(deviations(report, f));
    }
    let text = parts.join("; ");
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
        None => text,
    }
}

fn approvals(report: &Report, f: &Fmt) -> String {
    let month = &report.projects.in_period;
    let (n, financing) = (f.count(month.count), f.eur(month.financing));
    match (f.lang, month.count) {
        (Lang::It, 0) => "nel mese non è stato approvato alcun progetto".to_string(),
        (Lang::It, 1) => {
            format!("nel mese è stato approvato 1 progetto, per {financing} di finanziamento")
        }
        (Lang::It, _) => {
            format!("nel mese sono stati approvati {n} progetti, per {financing} di finanziamento")
        }
        (Lang::En, 0) => "no project was approved in the month".to_string(),
        (Lang::En, 1) => {
            format!("1 project was approved in the month, with {financing} of financing")
        }
        (Lang::En, _) => {
            format!("{n} projects were approved in the month, with {financing} of financing")
        }
    }
}

fn breaches(report: &Report, f: &Fmt) -> String {
    let breaches = report.kpis().breaches;
    let (n, excess) = (f.count(breaches), f.eur(report.audit.total_excess()));
    match (f.lang, breaches) {
        (Lang::It, 0) => "nessun progetto supera il tetto di finanziamento".to_string(),
        (Lang::It, 1) => {
            format!("1 progetto supera il tetto di finanziamento, per {excess} da recuperare")
        }
        (Lang::It, _) => {
            format!("{n} progetti superano il tetto di finanziamento, per {excess} da recuperare")
        }
        (Lang::En, 0) => "no project exceeds its financing cap".to_string(),
        (Lang::En, 1) => format!("1 project exceeds its financing cap, with {excess} to recover"),
        (Lang::En, _) => {
            format!("{n} projects exceed their financing cap, with {excess} to recover")
        }
    }
}

/// `2 soci superano il limite de minimis, per 25.000,00 € oltre il limite`;
/// `None` when no member does.
fn de_minimis(report: &Report, f: &Fmt) -> Option<String> {
    let members = report.audit.de_minimis.len();
    let (n, excess) = (
        f.count(members as u64),
        f.eur(report.audit.de_minimis_excess()),
    );
    Some(match (f.lang, members) {
        (_, 0) => return None,
        (Lang::It, 1) => {
            format!("1 socio supera il limite de minimis, per {excess} oltre il limite")
        }
        (Lang::It, _) => {
            format!("{n} soci superano il limite de minimis, per {excess} oltre il limite")
        }
        (Lang::En, 1) => {
            format!("1 member exceeds the de minimis ceiling, by {excess}")
        }
        (Lang::En, _) => {
            format!("{n} members exceed the de minimis ceiling, by {excess} in all")
        }
    })
}

fn deviations(report: &Report, f: &Fmt) -> String {
    let count = report.monitoring.deviations().count();
    let n = f.count(count as u64);
    match (f.lang, count) {
        (Lang::It, 0) => "nessun obiettivo è in ritardo o mancato".to_string(),
        (Lang::It, 1) => "1 obiettivo è in ritardo o mancato".to_string(),
        (Lang::It, _) => format!("{n} obiettivi sono in ritardo o mancati"),
        (Lang::En, 0) => "no target is behind or missed".to_string(),
        (Lang::En, 1) => "1 target is behind or missed".to_string(),
        (Lang::En, _) => format!("{n} targets are behind or missed"),
    }
}

/// The clusters whose members changed most from the trend's last month but
/// one to its last, by the size of the change (of two alike, the first in
/// the report's order), at most [`MOVERS`] and none that did not change;
/// `None` when the trend does not have the two months.
pub(crate) fn movers(report: &Report) -> Option<Vec<(&str, i64)>> {
    let trend = &report.monitoring.trend;
    let months = trend.months.len();
    if months < 2 || trend.clusters.is_empty() {
        return None;
    }
    let unit = Indicator::Members.unit().scale();
    let mut moved: Vec<(&str, i64)> = trend
        .clusters
        .iter()
        .filter_map(|c| {
            let values = trend.values(&c.figures, Indicator::Members);
            let change = values[months - 1]? - values[months - 2]?;
            (change != 0).then_some((c.cluster.as_str(), change / unit))
        })
        .collect();
    moved.sort_by_key(|(_, change)| std::cmp::Reverse(change.unsigned_abs()));
    moved.truncate(MOVERS);
    Some(moved)
}

/// `I cluster i cui soci sono variati di più nel mese: Mobilità (+5),
/// Agrifood (−3) ed Energia (+2).`
pub(crate) fn moved(report: &Report, f: &Fmt) -> Option<String> {
    let movers = movers(report)?;
    let named: Vec<String> = movers
        .iter()
        .map(|(cluster, change)| format!("{cluster} ({})", f.signed_count(*change)))
        .collect();
    Some(match (f.lang, movers.as_slice()) {
        (Lang::It, []) => "Nessun cluster ha variato il numero dei soci nel mese.".to_string(),
        (Lang::It, [(cluster, change)]) => format!(
            "Solo i soci di {cluster} sono variati nel mese ({}).",
            f.signed_count(*change)
        ),
        (Lang::It, _) => format!(
            "I cluster i cui soci sono variati di più nel mese: {}.",
            listed(&named, "e")
        ),
        (Lang::En, []) => "No cluster's membership changed in the month.".to_string(),
        (Lang::En, [(cluster, change)]) => format!(
            "Only {cluster}'s membership changed in the month ({}).",
            f.signed_count(*change)
        ),
        (Lang::En, _) => format!(
            "The clusters whose membership changed most in the month: {}.",
            listed(&named, "and")
        ),
    })
}

/// `a, b and c`; the Italian `e` is `ed` before a word that starts with
/// an `e`.
fn listed(items: &[String], and: &str) -> String {
    match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            let euphonic = and == "e" && last.starts_with(['e', 'E', 'è', 'È', 'é']);
            let and = if euphonic { "ed" } else { and };
            format!("{} {and} {last}", rest.join(", "))
        }
        Some((last, _)) => last.clone(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Cents;
    use crate::report::sample_report;

    fn both() -> (Fmt, Fmt) {
        (Fmt::new(Lang::It), Fmt::new(Lang::En))
    }

    #[test]
    fn the_sample_reads_as_an_official_would_write_it() {
        let report = sample_report();
        let (it, en) = both();
        assert_eq!(
            paragraph(&report, &it),
            "A novembre 2026 i soci attivi sono 168 (+47 rispetto a ottobre). \
             Nel mese è stato approvato 1 progetto, per 114.944,00 € di finanziamento; \
             1 progetto supera il tetto di finanziamento, per 3.994,00 € da recuperare; \
             1 socio supera il limite de minimis, per 10.000,00 € oltre il limite; \
             2 obiettivi sono in ritardo o mancati. \
             Solo i soci di Scienze della vita sono variati nel mese (+47)."
        );
        assert_eq!(
            paragraph(&report, &en),
            "In November 2026 there are 168 active members (+47 since October). \
             1 project was approved in the month, with €114,944.00 of financing; \
             1 project exceeds its financing cap, with €3,994.00 to recover; \
             1 member exceeds the de minimis ceiling, by €10,000.00; \
             2 targets are behind or missed. \
             Only Scienze della vita's membership changed in the month (+47)."
        );
    }

    #[test]
    fn one_is_singular_and_none_is_said_in_words() {
        let mut report = sample_report();
        let (it, en) = both();
        // One member, as many as last month.
        report.members.by_cluster.truncate(1);
        report.members.by_cluster[0].counts = Default::default();
        report.members.by_cluster[0]
            .counts
            .add(crate::category::Category::Sme, 1);
        report.members.totals = report.members.by_cluster[0].counts;
        report.previous.members = report.members.clone();
        assert_eq!(
            members(&report, &it),
            "A novembre 2026 c'è 1 socio attivo (come a ottobre)."
        );
        assert_eq!(
            members(&report, &en),
            "In November 2026 there is 1 active member (as in October)."
        );
        // Several approvals, no breach, no member above the de minimis
        // ceiling (which is then not mentioned), one deviation.
        report.audit.de_minimis.clear();
        report.projects.in_period.count = 6;
        report.projects.in_period.financing = Cents(123_456);
        report.audit.projects.retain(|p| !p.verdict.is_breach());
        report
            .monitoring
            .targets
            .retain(|t| t.status == crate::monitoring::path::Status::Behind);
        assert_eq!(report.monitoring.deviations().count(), 1);
        assert_eq!(
            activity(&report, &it),
            "Nel mese sono stati approvati 6 progetti, per 1.234,56 € di finanziamento; \
             nessun progetto supera il tetto di finanziamento; 1 obiettivo è in ritardo o mancato."
        );
        assert_eq!(
            activity(&report, &en),
            "6 projects were approved in the month, with €1,234.56 of financing; \
             no project exceeds its financing cap; 1 target is behind or missed."
        );
        // Nothing approved, no target set.
        report.projects.in_period.count = 0;
        report.monitoring.targets.clear();
        assert_eq!(
            activity(&report, &it),
            "Nel mese non è stato approvato alcun progetto; nessun progetto supera il tetto di finanziamento."
        );
        // No active member in a January: the previous month with its year.
        report.period = crate::period::Period {
            year: 2027,
            month: 1,
        };
        report.previous.period = crate::period::Period {
            year: 2026,
            month: 12,
        };
        report.members.by_cluster[0].counts = Default::default();
        report.members.totals = Default::default();
        assert_eq!(
            members(&report, &it),
            "A gennaio 2027 non ci sono soci attivi (−1 rispetto a dicembre 2026)."
        );
        assert_eq!(
            members(&report, &en),
            "In January 2027 there are no active members (−1 since December 2026)."
        );
    }

    #[test]
    fn members_above_the_de_minimis_ceiling_are_counted_with_their_excess() {
        let mut report = sample_report();
        let mut second = report.audit.de_minimis[0].clone();
        second.member_id = "09876543210".into();
        second.excess = Cents(1_550_000);
        report.audit.de_minimis.push(second);
        let (it, en) = both();
        assert_eq!(
            de_minimis(&report, &it).unwrap(),
            "2 soci superano il limite de minimis, per 25.500,00 € oltre il limite"
        );
        assert_eq!(
            de_minimis(&report, &en).unwrap(),
            "2 members exceed the de minimis ceiling, by €25,500.00 in all"
        );
        report.audit.de_minimis.clear();
        assert_eq!(de_minimis(&report, &it), None);
    }

    #[test]
    fn the_clusters_that_moved_most_are_named_largest_change_first() {
        let mut report = sample_report();
        assert_eq!(movers(&report), Some(vec![("Scienze della vita", 47)]));
        let (it, en) = both();
        // Mobilità loses one member in the month.
        let trend = &mut report.monitoring.trend;
        trend.clusters[0].figures.members[2].0[2] -= 1;
        assert_eq!(
            movers(&report),
            Some(vec![("Scienze della vita", 47), ("Mobilità", -1)])
        );
        assert_eq!(
            moved(&report, &it).unwrap(),
            "I cluster i cui soci sono variati di più nel mese: Scienze della vita (+47) e Mobilità (−1)."
        );
        assert_eq!(
            moved(&report, &en).unwrap(),
            "The clusters whose membership changed most in the month: Scienze della vita (+47) and Mobilità (−1)."
        );
        // None moved.
        let trend = &mut report.monitoring.trend;
        for cluster in &mut trend.clusters {
            let members = &mut cluster.figures.members;
            members[2] = members[1];
        }
        assert_eq!(
            moved(&report, &it).unwrap(),
            "Nessun cluster ha variato il numero dei soci nel mese."
        );
        // A trend of one month names none.
        report.monitoring.trend.months.truncate(1);
        assert_eq!(moved(&report, &it), None);
    }
}
