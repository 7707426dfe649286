//! The words of monitoring: each indicator and status as a reader names them,
//! and the sentences of the PDF's monitoring section and cluster cards that
//! count what they show and say where the rest is.

use super::{AppendixCut, Labels, Lang};
use crate::monitoring::indicator::Indicator;
use crate::monitoring::path::Status;

/// The export files of the monitoring, named where the PDF says that every
/// target and every cluster's trend is listed.
pub(crate) const MONITORING_CSV: &str = "monitoring.csv";
pub(crate) const TREND_CSV: &str = "trend.csv";

impl Labels {
    /// An indicator as a reader names it: `Soci`, `Quota PMI`, `Rapporto di
    /// finanziamento`.
    pub(crate) fn indicator(&self, indicator: Indicator) -> String {
        let it = self.lang == Lang::It;
        match indicator {
            Indicator::Members => self.members().to_string(),
            Indicator::MembersOf(c) => format!("{}: {}", self.members(), c.short_label(self.lang)),
            Indicator::ShareOf(c) if it => format!("Quota {}", c.short_label(self.lang)),
            Indicator::ShareOf(c) => format!("Share of {}", c.short_label(self.lang)),
            Indicator::Joined if it => "Nuovi soci".to_string(),
            Indicator::Joined => "New members".to_string(),
            Indicator::Left if it => "Soci usciti".to_string(),
            Indicator::Left => "Members who left".to_string(),
            Indicator::Projects => self.projects().to_string(),
            Indicator::ProjectValue => self.project_value().to_string(),
            Indicator::Financing => self.financing().to_string(),
            Indicator::FinancingRatio => self.financing_ratio().to_string(),
            Indicator::Breaches => self.breaches().to_string(),
        }
    }

    /// A target's status as a word: `In ritardo`, `Achieved`.
    pub(crate) fn target_status_word(&self, status: Status) -> &'static str {
        match status {
            Status::Missed => self.status_missed(),
            Status::Behind => self.status_behind(),
            Status::AtRisk => self.status_at_risk(),
            Status::OnTrack => self.status_on_track(),
            Status::Achieved => self.status_achieved(),
            Status::NotApplicable => self.status_not_applicable(),
            Status::NoData => self.status_no_data(),
        }
    }

    /// `n` targets in `status`, the word agreeing with the number: `1
    /// mancato`, `2 mancati`, `3 in ritardo`, `2 with no data`.
    pub(crate) fn status_count(&self, status: Status, n: usize) -> String {
        let one = n == 1;
        let word = match (self.lang, status) {
            (Lang::It, Status::Missed) if one => "mancato",
            (Lang::It, Status::Missed) => "mancati",
            (Lang::It, Status::Achieved) if one => "raggiunto",
            (Lang::It, Status::Achieved) => "raggiunti",
            (Lang::It, Status::NotApplicable) if one => "non applicabile",
            (Lang::It, Status::NotApplicable) => "non applicabili",
            (Lang::En, Status::NoData) => "with no data",
            (_, status) => return format!("{} {}", self.grouped(n as u64), self.lower(status)),
        };
        format!("{} {word}", self.grouped(n as u64))
    }

    /// The status word in lower case, as it reads inside a sentence.
    fn lower(&self, status: Status) -> String {
        self.target_status_word(status).to_lowercase()
    }

    /// What opens the line of counts by status: `17 obiettivi:`.
    pub(crate) fn targets_counted(&self, n: usize) -> String {
        let word = match (self.lang, n == 1) {
            (Lang::It, true) => "obiettivo",
            (Lang::It, false) => "obiettivi",
            (Lang::En, true) => "target",
            (Lang::En, false) => "targets",
        };
        format!("{} {word}:", self.grouped(n as u64))
    }

    /// Below a status table cut to `shown` of its `total` targets: which come
    /// first, and where they all are.
    pub(crate) fn status_table_cut(&self, shown: usize, total: usize, workbook: &str) -> String {
        let (shown, total) = (self.grouped(shown as u64), self.grouped(total as u64));
        let sheet = self.monitoring();
        match self.lang {
            Lang::It => format!(
                "La tabella mostra {shown} dei {total} obiettivi, i più lontani dal percorso per primi: i mancati, poi quelli in ritardo, a rischio, in linea. Tutti sono nel foglio “{sheet}” di {workbook} e in {MONITORING_CSV}; quelli di ogni cluster anche nel suo PDF (--per-cluster)."
            ),
            Lang::En => format!(
                "The table shows {shown} of the {total} targets, the furthest from their path first: the missed, then those behind, at risk, on track. All of them are in the “{sheet}” sheet of {workbook} and in {MONITORING_CSV}; each cluster's also in its own PDF (--per-cluster)."
            ),
        }
    }

    /// Below small multiples that show `shown` of `total` clusters.
    pub(crate) fn trend_cut(&self, shown: usize, total: usize, workbook: &str) -> String {
        let (shown, total) = (self.grouped(shown as u64), self.grouped(total as u64));
        let sheet = self.trend_sheet();
        match self.lang {
            Lang::It => format!(
                "I grafici mostrano i {shown} cluster maggiori per soci dei {total}. L'andamento di tutti è nel foglio “{sheet}” di {workbook} e in {TREND_CSV}; quello di ogni cluster anche nel suo PDF (--per-cluster)."
            ),
            Lang::En => format!(
                "The charts show the {shown} largest of the {total} clusters by members. Every cluster's trend is in the “{sheet}” sheet of {workbook} and in {TREND_CSV}; each one's also in its own PDF (--per-cluster)."
            ),
        }
    }

    /// What the cluster cards section holds: a card for each of `total`
    /// clusters, or for the `shown` largest, and where the others are.
    pub(crate) fn cards_note(&self, shown: usize, total: usize) -> String {
        if shown >= total {
            return match self.lang {
                Lang::It => "Una scheda per cluster. Con --per-cluster consolida scrive anche un PDF per ogni cluster, con la sua scheda e tutti i suoi progetti.".to_string(),
                Lang::En => "One card per cluster. With --per-cluster consolida also writes a PDF for each cluster, with its card and all its projects.".to_string(),
            };
        }
        let (shown, total) = (self.grouped(shown as u64), self.grouped(total as u64));
        match self.lang {
            Lang::It => format!(
                "Le schede sono dei {shown} cluster maggiori per soci dei {total}. La scheda di ogni cluster, con tutti i suoi progetti, è nel PDF del cluster, che consolida scrive con --per-cluster (consolida-<periodo>-<cluster>.pdf)."
            ),
            Lang::En => format!(
                "The cards are those of the {shown} largest of the {total} clusters by members. Every cluster's card, with all its projects, is in the cluster's own PDF, which consolida writes with --per-cluster (consolida-<period>-<cluster>.pdf)."
            ),
        }
    }

    /// Below a card's breaches cut to `shown` of the cluster's `total`.
    pub(crate) fn cluster_breaches_cut(&self, shown: usize, total: usize) -> String {
        let (shown, total) = (self.grouped(shown as u64), self.grouped(total as u64));
        let csv = crate::render::csv::FINANCING_AUDIT;
        match self.lang {
            Lang::It => format!(
                "La scheda elenca {shown} dei {total} superamenti del cluster, i maggiori per eccedenza; tutti sono in {csv}."
            ),
            Lang::En => format!(
                "The card lists {shown} of the cluster's {total} breaches, the largest excess first; all of them are in {csv}."
            ),
        }
    }

    /// On a cluster's card: the issues on its rows, counted, and where they
    /// are listed.
    pub(crate) fn cluster_issues(&self, errors: usize, warnings: usize, pdf: &str) -> String {
        if errors + warnings == 0 {
            return match self.lang {
                Lang::It => "Nessuna anomalia sulle righe del cluster.",
                Lang::En => "No data issue on the cluster's rows.",
            }
            .to_string();
        }
        let (section, csv) = (self.issues(), crate::render::csv::ISSUES);
        match self.lang {
            Lang::It => format!(
                "Anomalie sulle righe del cluster: {}; sono nella sezione “{section}” di {pdf} e in {csv}, con il cluster accanto.",
                self.errors_then_warnings(errors, warnings)
            ),
            Lang::En => format!(
                "Data issues on the cluster's rows: {}; they are in the “{section}” section of {pdf} and in {csv}, with their cluster.",
                self.errors_then_warnings(errors, warnings)
            ),
        }
    }

    /// `1 errore e 3 avvisi`, `2 errors and 1 warning`.
    pub(crate) fn errors_then_warnings(&self, errors: usize, warnings: usize) -> String {
        let n =
            |count: usize, one, many| crate::text::counted(self.lang, count as u64, (one, many));
        match self.lang {
            Lang::It => format!(
                "{} e {}",
                n(errors, "errore", "errori"),
                n(warnings, "avviso", "avvisi")
            ),
            Lang::En => format!(
                "{} and {}",
                n(errors, "error", "errors"),
                n(warnings, "warning", "warnings")
            ),
        }
    }

    /// In a cluster's own PDF, under its issues: the report's others.
    pub(crate) fn other_issues(&self, count: usize, pdf: &str) -> String {
        let csv = crate::render::csv::ISSUES;
        match (self.lang, count) {
            (_, 0) => String::new(),
            (Lang::It, 1) => format!("Un'altra anomalia del report (su una riga scartata, un file intero o la riga di un altro cluster) è in {pdf} e in {csv}."),
            (Lang::It, _) => format!(
                "Le altre {} anomalie del report (su righe scartate, file interi o righe di altri cluster) sono in {pdf} e in {csv}.",
                self.grouped(count as u64)
            ),
            (Lang::En, 1) => format!("One more issue of the report (on a row left out, a whole file or another cluster's row) is in {pdf} and in {csv}."),
            (Lang::En, _) => format!(
                "The report's {} other issues (on rows left out, whole files or other clusters' rows) are in {pdf} and in {csv}.",
                self.grouped(count as u64)
            ),
        }
    }

    /// The heading of a cluster's projects in its own PDF: all of them, or
    /// `shown` of `total`.
    pub(crate) fn cluster_projects_heading(&self, shown: usize, total: usize) -> String {
        if shown >= total {
            return self.cluster_projects().to_string();
        }
        let (shown, total) = (self.grouped(shown as u64), self.grouped(total as u64));
        match self.lang {
            Lang::It => format!("{} ({shown} di {total})", self.cluster_projects()),
            Lang::En => format!("{} ({shown} of {total})", self.cluster_projects()),
        }
    }

    /// The sentence that opens a cluster's projects cut to the limit of
    /// Appendix A: what they are, and where the full list is.
    pub(crate) fn cluster_projects_cut(&self, cut: &AppendixCut, workbook: &str) -> String {
        let (total, limit) = (
            self.grouped(cut.total as u64),
            self.grouped(cut.limit as u64),
        );
        let mut text = match self.lang {
            Lang::It => format!(
                "Il PDF di un cluster ne elenca per intero i progetti fino a {limit}; questo cluster ne conta {total}."
            ),
            Lang::En => format!(
                "A cluster's PDF lists its projects in full up to {limit}; this cluster has {total}."
            ),
        };
        text.push_str(&self.listed_and_where(cut, workbook));
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::Category;

    #[test]
    fn indicators_and_statuses_read_in_the_readers_language() {
        let (it, en) = (Labels { lang: Lang::It }, Labels { lang: Lang::En });
        assert_eq!(it.indicator(Indicator::Members), "Soci");
        assert_eq!(it.indicator(Indicator::ShareOf(Category::Sme)), "Quota PMI");
        assert_eq!(
            en.indicator(Indicator::ShareOf(Category::Sme)),
            "Share of SMEs"
        );
        assert_eq!(
            it.indicator(Indicator::FinancingRatio),
            "Rapporto di finanziamento"
        );
        assert_eq!(it.indicator(Indicator::Breaches), "Superamenti del tetto");
        assert_eq!(it.target_status_word(Status::Behind), "In ritardo");
        assert_eq!(en.target_status_word(Status::NoData), "No data");
    }

    #[test]
    fn status_counts_agree_with_their_number() {
        let (it, en) = (Labels { lang: Lang::It }, Labels { lang: Lang::En });
        assert_eq!(it.status_count(Status::Missed, 1), "1 mancato");
        assert_eq!(it.status_count(Status::Missed, 2), "2 mancati");
        assert_eq!(it.status_count(Status::Behind, 8), "8 in ritardo");
        assert_eq!(it.status_count(Status::Achieved, 1), "1 raggiunto");
        assert_eq!(
            it.status_count(Status::NotApplicable, 3),
            "3 non applicabili"
        );
        assert_eq!(it.status_count(Status::NoData, 1), "1 senza dati");
        assert_eq!(en.status_count(Status::AtRisk, 2), "2 at risk");
        assert_eq!(en.status_count(Status::NoData, 2), "2 with no data");
        assert_eq!(it.targets_counted(1), "1 obiettivo:");
        assert_eq!(en.targets_counted(1_650), "1,650 targets:");
    }

    #[test]
    fn a_card_counts_its_clusters_issues_in_words() {
        let (it, en) = (Labels { lang: Lang::It }, Labels { lang: Lang::En });
        assert_eq!(
            it.cluster_issues(1, 3, "consolida-2026-11.pdf"),
            "Anomalie sulle righe del cluster: 1 errore e 3 avvisi; sono nella sezione “Anomalie” di consolida-2026-11.pdf e in issues.csv, con il cluster accanto."
        );
        assert_eq!(
            en.cluster_issues(2, 1, "consolida-2026-11.pdf"),
            "Data issues on the cluster's rows: 2 errors and 1 warning; they are in the “Issues” section of consolida-2026-11.pdf and in issues.csv, with their cluster."
        );
        assert_eq!(
            en.cluster_issues(0, 0, "x.pdf"),
            "No data issue on the cluster's rows."
        );
        assert_eq!(
            it.other_issues(1_204, "x.pdf"),
            "Le altre 1.204 anomalie del report (su righe scartate, file interi o righe di altri cluster) sono in x.pdf e in issues.csv."
        );
        assert_eq!(en.other_issues(0, "x.pdf"), "");
    }
}
