//! The reader's language: Italian by default, English with `--lang en`.
//!
//! Every fixed text of the workbook and the PDF comes from [`Labels`], so the two
//! renderers say the same thing in the same words.

use crate::money::group_thousands;
use crate::report::Emptiness;
use crate::schema::{InputKind, SourceKind};
use clap::ValueEnum;

/// The language of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum Lang {
    #[default]
    It,
    En,
}

/// Fixed texts in one language.
pub(crate) struct Labels {
    pub(crate) lang: Lang,
}

macro_rules! labels {
    ($($name:ident => $it:expr, $en:expr;)*) => {
        impl Labels {
            $(
                pub(crate) fn $name(&self) -> &'static str {
                    match self.lang {
                        Lang::It => $it,
                        Lang::En => $en,
                    }
                }
            )*
        }
    };
}

labels! {
    report_title => "Report di consolidamento", "Consolidation report";
    period => "Periodo", "Period";
    as_of => "Dati al", "Data as of";
    summary => "Sintesi", "Summary";
    members => "Soci", "Members";
    members_by_category => "Soci per categoria", "Members by category";
    members_by_province => "Soci per provincia", "Members by province";
    projects_by_cluster => "Progetti per cluster", "Projects by cluster";
    projects_by_call => "Progetti per bando", "Projects by call";
    financing_audit => "Controllo finanziamenti", "Financing audit";
    issues => "Anomalie", "Issues";
    sources => "Fonti", "Sources";
    cluster => "Cluster", "Cluster";
    call => "Bando", "Call";
    province => "Provincia", "Province";
    no_province => "(non indicata)", "(not given)";
    total => "Totale", "Total";
    projects => "Progetti", "Projects";
    project => "Progetto", "Project";
    project_id => "Codice progetto", "Project id";
    title => "Titolo", "Title";
    project_value => "Valore progetto", "Project value";
    financing => "Finanziamento", "Financing";
    financing_ratio => "Rapporto di finanziamento", "Financing ratio";
    ratio => "Rapporto", "Ratio";
    cap => "Tetto", "Cap";
    cap_rule => "Regola applicata", "Rule applied";
    headroom => "Margine (EUR)", "Headroom (EUR)";
    excess => "Eccedenza (EUR)", "Excess (EUR)";
    status => "Esito", "Status";
    status_ok => "Entro il tetto", "Within cap";
    status_near => "Vicino al tetto", "Near the cap";
    status_breach => "Superamento", "Breach";
    status_no_cap => "Nessun tetto", "No cap";
    status_undefined => "Non calcolabile", "Not computable";
    breaches => "Superamenti del tetto", "Cap breaches";
    no_breaches => "Nessun progetto supera il tetto applicabile.", "No project exceeds the cap that applies to it.";
    errors => "Errori", "Errors";
    warnings => "Avvisi", "Warnings";
    severity => "Gravità", "Severity";
    severity_error => "Errore", "Error";
    severity_warning => "Avviso", "Warning";
    file => "File", "File";
    sheet => "Foglio", "Sheet";
    cell => "Cella", "Cell";
    row => "Riga", "Row";
    value => "Valore", "Value";
    message => "Descrizione", "Description";
    suggestion => "Suggerimento", "Suggestion";
    no_issues => "Nessuna anomalia nei dati.", "No issues in the data.";
    kind => "Tipo", "Kind";
    rows_read => "Righe lette", "Rows read";
    rows_rejected => "Righe scartate", "Rows rejected";
    sha256 => "SHA-256", "SHA-256";
    config => "Configurazione", "Configuration";
    version => "Versione", "Version";
    none => "nessuna", "none";
    kpi => "Indicatore", "Indicator";
    members_total => "Soci attivi", "Active members";
    projects_count => "Progetti approvati", "Approved projects";
    page => "Pagina", "Page";
    of => "di", "of";
    count => "Numero", "Count";
    generated_by => "Prodotto da consolida", "Produced by consolida";
    lead_category => "Categoria capofila", "Lead category";
    allowed => "Massimo ammesso (EUR)", "Allowed (EUR)";
    approved_on => "Data approvazione", "Approved on";
    source_cell => "Cella di origine", "Source cell";
    projects_in_period => "Progetti approvati nel mese", "Projects approved in the month";
    financing_in_period => "Finanziamento approvato nel mese", "Financing approved in the month";
    projects_year_to_date => "Progetti approvati da inizio anno", "Projects approved year to date";
    financing_year_to_date => "Finanziamento approvato da inizio anno", "Financing approved year to date";
    near_cap_count => "Progetti vicini al tetto", "Projects near the cap";
    partners => "Partner", "Partners";
    ignored => "Ignorato", "Ignored";
    no_projects => "Nessun progetto approvato alla data.", "No project approved as of this date.";
    no_members => "Nessun socio attivo alla data.", "No member active as of this date.";
    empty_period => "Periodo vuoto: nessun socio attivo e nessun progetto approvato alla data.", "Empty period: no member active and no project approved as of this date.";
    in_month => "Nel mese", "In the month";
    year_to_date => "Da inizio anno", "Year to date";
    portfolio => "Portafoglio", "Portfolio";
    excess_or_headroom => "Eccedenza / margine (EUR)", "Excess / headroom (EUR)";
    errors_and_warnings => "Errori / avvisi", "Errors / warnings";
    max_grant => "Contributo massimo", "Maximum grant";
    rule_number => "N. regola", "Rule no.";
    cap_rules => "Regole dei tetti applicate", "Cap rules applied";
    members_chart => "Composizione dei cluster per categoria", "Cluster membership by category";
    members_axis => "Numero di soci", "Number of members";
    value_financing_by_cluster => "Valore e finanziamento per cluster", "Value and financing by cluster";
    value_financing_by_call => "Valore e finanziamento per bando", "Value and financing by call";
    eur_millions => "Milioni di euro", "EUR million";
    appendix_projects => "Appendice A. Elenco completo dei progetti", "Appendix A. Full list of projects";
    appendix_note => "L'elenco completo dei progetti, ciascuno con il tetto applicato e l'esito del controllo, è nell'Appendice A.", "The full list of projects, each with the cap applied and the audit status, is in Appendix A.";
    compared_with => "Sotto ogni cifra, la variazione rispetto a", "Under each figure, the change since";
    detail_in => "Dettaglio in", "Detail in";
    chart_members => "Soci per categoria in ogni cluster", "Members by category in each cluster";
    chart_financing => "Valore dei progetti e finanziamento per cluster", "Project value and financing by cluster";
    amount_axis => "EUR", "EUR";
    change_since => "Variazione dal", "Change since";
    partner_breaches => "Partner oltre il tetto della propria categoria", "Partners above their own category's cap";
    de_minimis_excesses => "Soci oltre il limite de minimis", "Members above the de minimis ceiling";
    partner => "Partner", "Partner";
    cost_share => "Quota di costo", "Cost share";
    financing_share => "Quota di finanziamento", "Financing share";
    member => "Socio", "Member";
    window_from => "Dal", "From";
    limit => "Limite", "Limit";
}

impl Labels {
    /// The sentence that says what the period lacks.
    pub(crate) fn emptiness(&self, emptiness: Emptiness) -> &'static str {
        match emptiness {
            Emptiness::Period => self.empty_period(),
            Emptiness::Members => self.no_members(),
            Emptiness::Projects => self.no_projects(),
        }
    }

    /// The note below a table cut to fit its sheet: how many rows are left
    /// out, how many are shown, and the file that holds them all (written by
    /// `--format csv`); for a table with a totals row, that its totals count
    /// every row.
    pub(crate) fn rows_left_out(
        &self,
        left_out: u64,
        shown: u64,
        file: &str,
        totals: bool,
    ) -> String {
        let one = left_out == 1;
        let (left_out, shown) = (self.grouped(left_out), self.grouped(shown));
        let mut note = match (self.lang, one) {
            (Lang::It, true) => {
                format!("Un'altra riga non entra nel foglio, che mostra le prime {shown}.")
            }
            (Lang::It, false) => {
                format!(
                    "Altre {left_out} righe non entrano nel foglio, che mostra le prime {shown}."
                )
            }
            (Lang::En, true) => {
                format!("1 more row does not fit on the sheet, which shows the first {shown}.")
            }
            (Lang::En, false) => format!(
                "{left_out} more rows do not fit on the sheet, which shows the first {shown}."
            ),
        };
        if totals {
            note.push_str(match self.lang {
                Lang::It => " I totali comprendono tutte le righe.",
                Lang::En => " The totals count every row.",
            });
        }
        note.push_str(&match self.lang {
            Lang::It => format!(" L'elenco completo è in {file} (--format csv)."),
            Lang::En => format!(" The full list is in {file} (--format csv)."),
        });
        note
    }

    /// A count grouped in thousands as the reader writes it: `1.048.573`, `1,048,573`.
    fn grouped(&self, n: u64) -> String {
        let separator = match self.lang {
            Lang::It => '.',
            Lang::En => ',',
        };
        group_thousands(n, separator)
    }

    /// The reader's word for what an input file was read as.
    pub(crate) fn input_kind(&self, kind: InputKind) -> &'static str {
        match kind {
            InputKind::Data(SourceKind::Members) => self.members(),
            InputKind::Data(SourceKind::Projects) => self.projects(),
            InputKind::Data(SourceKind::Partners) => self.partners(),
            InputKind::Config => self.config(),
            InputKind::Ignored => self.ignored(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_note_of_a_cut_table_counts_in_the_readers_language() {
        let (it, en) = (Labels { lang: Lang::It }, Labels { lang: Lang::En });
        assert_eq!(
            it.rows_left_out(151_427, 1_048_573, "issues.csv", false),
            "Altre 151.427 righe non entrano nel foglio, che mostra le prime 1.048.573. \
             L'elenco completo è in issues.csv (--format csv)."
        );
        assert_eq!(
            en.rows_left_out(1, 1_048_572, "projects_by_call.csv", true),
            "1 more row does not fit on the sheet, which shows the first 1,048,572. \
             The totals count every row. The full list is in projects_by_call.csv \
             (--format csv)."
        );
        assert_eq!(
            it.rows_left_out(1, 16, "members_by_cluster.csv", true),
            "Un'altra riga non entra nel foglio, che mostra le prime 16. \
             I totali comprendono tutte le righe. \
             L'elenco completo è in members_by_cluster.csv (--format csv)."
        );
        assert!(en
            .rows_left_out(2_000, 16, "issues.csv", false)
            .starts_with("2,000 more rows do not fit"));
    }
}
