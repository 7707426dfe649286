//! The reader's language: Italian by default, English with `--lang en`.
//!
//! Every fixed text of the workbook and the PDF comes from [`Labels`], so the two
//! renderers say the same thing in the same words.

use crate::monitoring::path::Status;
use crate::period::Period;
use crate::report::Emptiness;
use crate::schema::{InputKind, SourceKind};
use clap::ValueEnum;

pub(crate) mod monitoring;

/// The language of the reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub(crate) enum Lang {
    #[default]
    It,
    En,
}

/// What an Appendix A cut to its limit lists, for its opening sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct AppendixCut {
    /// The projects of the portfolio.
    pub(crate) total: usize,
    /// The most projects the appendix lists (`[pdf] appendix_projects`).
    pub(crate) limit: usize,
    /// The breaches listed, and in all.
    pub(crate) breaches: (usize, usize),
    /// The near breaches listed, and in all.
    pub(crate) near: (usize, usize),
    /// The largest projects by value listed besides them.
    pub(crate) largest: usize,
}

impl AppendixCut {
    /// The projects the appendix lists.
    pub(crate) fn shown(&self) -> usize {
        self.breaches.0 + self.near.0 + self.largest
    }
}

/// Why a table's counts are values rather than formulas over a detail sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ValuesBecause {
    /// This many members are counted, more than the member sheet lists.
    Members(u64),
    /// The portfolio has this many projects, more than formulas count over.
    Projects(u64),
    /// The table has this many rows, more than are written as formulas.
    Rows(u64),
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

mod audit_sheets;

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
    lead_member_id => "Codice capofila", "Lead member id";
    lead_member => "Capofila", "Lead member";
    reason => "Motivo", "Reason";
    reason_ratio => "Rapporto oltre il tetto", "Ratio above the cap";
    reason_grant => "Contributo oltre il massimo", "Grant above the maximum";
    reason_ratio_and_grant => "Rapporto oltre il tetto e contributo oltre il massimo", "Ratio above the cap and grant above the maximum";
    to_recover => "Finanziamento da recuperare", "Financing to recover";
    allowed => "Massimo ammesso (EUR)", "Allowed (EUR)";
    approved_on => "Data approvazione", "Approved on";
    source_cell => "Cella di origine", "Source cell";
    projects_in_period => "Progetti approvati nel mese", "Projects approved in the month";
    financing_in_period => "Finanziamento approvato nel mese", "Financing approved in the month";
    projects_year_to_date => "Progetti approvati da inizio anno", "Projects approved year to date";
    financing_year_to_date => "Finanziamento approvato da inizio anno", "Financing approved year to date";
    near_cap_count => "Progetti vicini al tetto", "Projects near the cap";
    partners => "Partner", "Partners";
    targets => "Obiettivi", "Targets";
    ignored => "Ignorato", "Ignored";
    no_projects => "Nessun progetto approvato alla data.", "No project approved as of this date.";
    no_members => "Nessun socio attivo alla data.", "No member active as of this date.";
    empty_period => "Periodo vuoto: nessun socio attivo e nessun progetto approvato alla data.", "Empty period: no member active and no project approved as of this date.";
    in_month => "Nel mese", "In the month";
    year_to_date => "Da inizio anno", "Year to date";
    portfolio => "Portafoglio", "Portfolio";
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
    first_cells => "Prime celle", "First cells";
    monitoring => "Monitoraggio", "Monitoring";
    trend_sheet => "Andamento", "Trend";
    cluster_cards => "Schede dei cluster", "Cluster cards";
    cluster_card => "Scheda del cluster", "Cluster card";
    baseline => "Base", "Baseline";
    expected => "Atteso", "Expected";
    actual => "Effettivo", "Actual";
    gap => "Scarto", "Gap";
    deadline => "Scadenza", "Deadline";
    target_status => "Stato", "Status";
    whole_portfolio => "Intero portafoglio", "Whole portfolio";
    status_missed => "Mancato", "Missed";
    status_behind => "In ritardo", "Behind";
    status_at_risk => "A rischio", "At risk";
    status_on_track => "In linea", "On track";
    status_achieved => "Raggiunto", "Achieved";
    status_not_applicable => "Non applicabile", "Not applicable";
    status_no_data => "Senza dati", "No data";
    baseline_computed => "* Base calcolata dai dati del mese di partenza.", "* Baseline computed from the data of its month.";
    no_targets => "Nessun obiettivo è fissato, né in consolida.toml né in un foglio degli obiettivi.", "No target is set, in consolida.toml or in a targets sheet.";
    no_cluster_targets => "Nessun obiettivo è fissato per questo cluster.", "No target is set for this cluster.";
    members_trend => "Soci attivi a fine mese, per cluster", "Active members at each month's end, by cluster";
    members_at_month_end => "Soci attivi a fine mese", "Active members at each month's end";
    same_scale => "Tutti i grafici hanno la stessa scala verticale, da zero; una linea che parte più tardi segna i mesi prima dei dati.", "Every chart has the same vertical scale, from zero; a line that starts late marks the months before the data.";
    no_cluster_breaches => "Nessun progetto del cluster supera il tetto applicabile.", "No project of the cluster exceeds the cap that applies to it.";
    no_clusters => "Nessun cluster nei dati.", "No cluster in the data.";
    cluster_projects => "Progetti del cluster", "The cluster's projects";
    trend => "Andamento", "Trend";
    movements => "Movimenti", "Movements";
    indicator_key => "Codice indicatore", "Indicator key";
    baseline_month => "Mese base", "Baseline month";
    baseline_value => "Valore base", "Baseline";
    baseline_from_data => "Base dai dati", "Baseline from data";
    yes => "Sì", "Yes";
    no => "No", "No";
    target => "Obiettivo", "Target";
    tolerance => "Tolleranza", "Tolerance";
    set_in => "Definito in", "Set in";
    all_clusters => "Tutti i cluster", "All clusters";
    month => "Mese", "Month";
    movement => "Movimento", "Movement";
    member_joined => "Entrato", "Joined";
    member_left => "Uscito", "Left";
    member_id => "Codice socio", "Member id";
    member_name => "Denominazione", "Name";
    joined_on => "Data adesione", "Joined on";
    left_on => "Data recesso", "Left on";
    category => "Categoria", "Category";
    no_moves => "Nessun socio è entrato o uscito nei mesi dell'andamento.", "No member joined or left in the trend's months.";
    expected_explained => "Atteso: il valore sul percorso dalla base, per i traguardi, all'obiettivo nel mese del periodo (cella B1), interpolato per mesi interi; vuoto prima del mese base, l'obiettivo dopo la scadenza. Scarto = effettivo − atteso.", "Expected: the value on the path from the baseline, through the milestones, to the target at the period's month (cell B1), interpolated by whole months; blank before the baseline month, the target after the deadline. Gap = actual − expected.";
    chart_trend_members => "Soci attivi a fine mese, tutti i cluster", "Active members at each month's end, all clusters";
    all_in_summary => "Tutte le righe sono in summary.json.", "Every row is in summary.json.";
    issues_grouped => "Le anomalie sono raggruppate per tipo (lo stesso messaggio con valori diversi): di ogni gruppo, il file (o quanti file), la descrizione della prima, quante sono e le prime celle. Prima gli errori, poi i gruppi più numerosi.", "The issues are grouped by kind (the same message with other values): for each group, its file (or how many files), the description of the first, how many there are and the first cells. Errors come first, then the largest groups.";
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
        let mut note = self.rows_not_shown(left_out, shown);
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

    /// The sentence below the issue groups of the PDF when some are not shown:
    /// how many groups, and how many issues they hold.
    pub(crate) fn issue_groups_left_out(&self, groups: u64, issues: u64) -> String {
        let issues_word = match (self.lang, issues == 1) {
            (Lang::It, true) => "anomalia",
            (Lang::It, false) => "anomalie",
            (Lang::En, true) => "issue",
            (Lang::En, false) => "issues",
        };
        let n = self.grouped(issues);
        match (self.lang, groups == 1) {
            (Lang::It, true) => format!("Un altro gruppo, con {n} {issues_word}, non è mostrato."),
            (Lang::It, false) => format!(
                "Altri {} gruppi, con {n} {issues_word}, non sono mostrati.",
                self.grouped(groups)
            ),
            (Lang::En, true) => format!("1 more group, with {n} {issues_word}, is not shown."),
            (Lang::En, false) => format!(
                "{} more groups, with {n} {issues_word}, are not shown.",
                self.grouped(groups)
            ),
        }
    }

    /// Where every issue is listed: the issues sheet of `workbook` and
    /// `issues.csv`.
    pub(crate) fn issues_listed_in(&self, workbook: &str) -> String {
        let (sheet, csv) = (self.issues(), crate::render::csv::ISSUES);
        match self.lang {
            Lang::It => format!(
                "L'elenco completo delle anomalie, ciascuna con file, foglio, cella e valore, è nel foglio “{sheet}” di {workbook} e in {csv}."
            ),
            Lang::En => format!(
                "The full list of issues, each with its file, sheet, cell and value, is in the “{sheet}” sheet of {workbook} and in {csv}."
            ),
        }
    }

    /// The note of section 5 on Appendix A: the whole portfolio, or `shown`
    /// of its `total` projects.
    pub(crate) fn appendix_note_of(&self, shown: u64, total: u64) -> String {
        if shown >= total {
            return self.appendix_note().to_string();
        }
        let (shown, total) = (self.grouped(shown), self.grouped(total));
        match self.lang {
            Lang::It => format!(
                "L'Appendice A elenca {shown} dei {total} progetti, ciascuno con il tetto applicato e l'esito del controllo: i superamenti, quelli vicini al tetto e i maggiori per valore."
            ),
            Lang::En => format!(
                "Appendix A lists {shown} of the {total} projects, each with the cap applied and the audit status: the breaches, those near the cap and the largest by value."
            ),
        }
    }

    /// The sentence below a table of section 5 that lists the first `shown`
    /// of its `total` rows: the rest are in `file`.
    pub(crate) fn table_cut(&self, shown: usize, total: usize, file: &str) -> String {
        let (shown, total) = (self.grouped(shown as u64), self.grouped(total as u64));
        match self.lang {
            Lang::It => format!(
                "La tabella elenca le prime {shown} delle {total} righe; tutte sono in {file}."
            ),
            Lang::En => format!(
                "The table lists the first {shown} of the {total} rows; all of them are in {file}."
            ),
        }
    }

    /// The file column of an issue group found in `files` files: "in 81 file".
    pub(crate) fn in_files(&self, files: usize) -> String {
        let n = self.grouped(files as u64);
        match self.lang {
            Lang::It => format!("in {n} file"),
            Lang::En => format!("in {n} files"),
        }
    }

    /// The row that sums the groups a table of sections 3 and 4 does not list:
    /// "Altri 970".
    pub(crate) fn others_row(&self, count: usize) -> String {
        let n = self.grouped(count as u64);
        match self.lang {
            Lang::It => format!("Altri {n}"),
            Lang::En => format!("{n} others"),
        }
    }

    /// The sentence under a table of sections 3 and 4 that lists only the
    /// `shown` largest of its `total` rows: the rest summed in one row, and
    /// every row in the `sheet` of `workbook` and in `csv`.
    pub(crate) fn groups_cut(
        &self,
        shown: usize,
        total: usize,
        sheet: &str,
        workbook: &str,
        csv: &str,
    ) -> String {
        let (shown, total) = (self.grouped(shown as u64), self.grouped(total as u64));
        match self.lang {
            Lang::It => format!(
                "La tabella mostra le {shown} righe maggiori delle {total} e somma le altre in una riga; tutte sono nel foglio “{sheet}” di {workbook} e in {csv}."
            ),
            Lang::En => format!(
                "The table shows the {shown} largest of the {total} rows and sums the others in one row; all of them are in the “{sheet}” sheet of {workbook} and in {csv}."
            ),
        }
    }

    /// The sentence under a chart that draws only the `shown` largest of its
    /// `total` bars.
    pub(crate) fn chart_cut(&self, shown: usize, total: usize) -> String {
        let (shown, total) = (self.grouped(shown as u64), self.grouped(total as u64));
        match self.lang {
            Lang::It => format!("Il grafico mostra le {shown} barre maggiori delle {total}."),
            Lang::En => format!("The chart shows the {shown} largest of the {total} bars."),
        }
    }

    /// The heading of an Appendix A cut to its limit: `shown` of `total`.
    pub(crate) fn appendix_selected(&self, shown: usize, total: usize) -> String {
        let (shown, total) = (self.grouped(shown as u64), self.grouped(total as u64));
        match self.lang {
            Lang::It => format!("Appendice A. Elenco dei progetti ({shown} di {total})"),
            Lang::En => format!("Appendix A. List of projects ({shown} of {total})"),
        }
    }

    /// The sentence that opens an Appendix A cut to its limit: what it lists,
    /// where the full list is, and how the limit is set.
    pub(crate) fn appendix_cut(&self, cut: &AppendixCut, workbook: &str) -> String {
        let (total, limit) = (
            self.grouped(cut.total as u64),
            self.grouped(cut.limit as u64),
        );
        let mut text = match self.lang {
            Lang::It => format!(
                "L'appendice elenca per intero un portafoglio fino a {limit} progetti; questo ne conta {total}."
            ),
            Lang::En => format!(
                "This appendix lists a portfolio of up to {limit} projects in full; this one holds {total}."
            ),
        };
        text.push_str(&self.listed_and_where(cut, workbook));
        text
    }

    /// After the sentence that opens a list of projects cut to its limit:
    /// what it lists, counted, where the full list is, and how the limit is
    /// set; each sentence after a space.
    fn listed_and_where(&self, cut: &AppendixCut, workbook: &str) -> String {
        let it = self.lang == Lang::It;
        let n = |count: usize| self.grouped(count as u64);
        // What a part lists, with its count, and when it is cut which of them.
        let part = |what: &str, (shown, of): (usize, usize), which: &str| {
            if shown < of {
                let of_word = if it { "di" } else { "of" };
                format!("{what} ({} {of_word} {}, {which})", n(shown), n(of))
            } else {
                format!("{what} ({})", n(shown))
            }
        };
        let mut parts = Vec::new();
        if cut.breaches.0 > 0 {
            parts.push(match self.lang {
                Lang::It => part(
                    "i superamenti del tetto",
                    cut.breaches,
                    "i maggiori per eccedenza",
                ),
                Lang::En => part("the cap breaches", cut.breaches, "the largest excess first"),
            });
        }
        if cut.near.0 > 0 {
            parts.push(match self.lang {
                Lang::It => part("i progetti vicini al tetto", cut.near, "i primi per codice"),
                Lang::En => part(
                    "the projects near the cap",
                    cut.near,
                    "the first by project id",
                ),
            });
        }
        if cut.largest > 0 {
            parts.push(match self.lang {
                Lang::It => part(
                    "i maggiori per valore tra gli altri",
                    (cut.largest, cut.largest),
                    "",
                ),
                Lang::En => part(
                    "the largest by value among the rest",
                    (cut.largest, cut.largest),
                    "",
                ),
            });
        }
        let listed = match parts.split_last() {
            Some((last, [])) => last.clone(),
            Some((last, rest)) => {
                format!(
                    "{} {} {last}",
                    rest.join(", "),
                    if it { "e" } else { "and" }
                )
            }
            None => String::new(),
        };
        let (sheet, csv) = (self.financing_audit(), crate::render::csv::FINANCING_AUDIT);
        let mut text = String::new();
        if !listed.is_empty() {
            let shown = n(cut.shown());
            text.push_str(&match self.lang {
                Lang::It => format!(" Sono elencati {listed}: {shown} in tutto."),
                Lang::En => format!(" Listed are {listed}: {shown} in all."),
            });
        }
        text.push_str(&match self.lang {
            Lang::It => format!(
                " L'elenco completo è nel foglio “{sheet}” di {workbook} e in {csv}; il limite si cambia con appendix_projects nella sezione [pdf] di consolida.toml."
            ),
            Lang::En => format!(
                " The full list is in the “{sheet}” sheet of {workbook} and in {csv}; the limit is set by appendix_projects under [pdf] in consolida.toml."
            ),
        });
        text
    }

    /// How many targets are in each status, those in none left out: `Obiettivi
    /// per esito: In ritardo 9, In linea 5.`
    pub(crate) fn targets_by_status(&self, counts: &[(Status, usize)]) -> String {
        let listed: Vec<String> = counts
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(status, n)| {
                format!(
                    "{} {}",
                    self.target_status_word(*status),
                    self.grouped(*n as u64)
                )
            })
            .collect();
        let opening = match self.lang {
            Lang::It => "Obiettivi per esito",
            Lang::En => "Targets by status",
        };
        format!("{opening}: {}.", listed.join(", "))
    }

    /// A month as a column's title: `nov 2026`, `Nov 2026`.
    pub(crate) fn short_month(&self, month: Period) -> String {
        const ITALIAN: [&str; 12] = [
            "gen", "feb", "mar", "apr", "mag", "giu", "lug", "ago", "set", "ott", "nov", "dic",
        ];
        const ENGLISH: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        let names = match self.lang {
            Lang::It => ITALIAN,
            Lang::En => ENGLISH,
        };
        format!("{} {}", names[month.month as usize - 1], month.year)
    }

    /// The title of a target's milestone column: `Traguardo 2: mese`.
    pub(crate) fn milestone(&self, number: usize, month: bool) -> String {
        match (self.lang, month) {
            (Lang::It, true) => format!("Traguardo {number}: mese"),
            (Lang::It, false) => format!("Traguardo {number}: valore"),
            (Lang::En, true) => format!("Milestone {number}: month"),
            (Lang::En, false) => format!("Milestone {number}: value"),
        }
    }

    /// The title of the chart of the `clusters` largest clusters' members.
    pub(crate) fn chart_largest_clusters(&self, clusters: usize) -> String {
        match (self.lang, clusters == 1) {
            (Lang::It, true) => "Soci attivi a fine mese, il cluster più grande".to_string(),
            (Lang::It, false) => {
                format!("Soci attivi a fine mese, i {clusters} cluster più grandi")
            }
            (Lang::En, true) => {
                "Active members at each month's end, the largest cluster".to_string()
            }
            (Lang::En, false) => {
                format!("Active members at each month's end, the {clusters} largest clusters")
            }
        }
    }

    /// The note below a table cut to fit its sheet whose rows are in no other
    /// file: how many are left out and how many are shown.
    pub(crate) fn rows_not_shown(&self, left_out: u64, shown: u64) -> String {
        let one = left_out == 1;
        let (left_out, shown) = (self.grouped(left_out), self.grouped(shown));
        match (self.lang, one) {
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
        }
    }

    /// The note beside a table whose counts are values rather than formulas
    /// over the detail sheet `detail` ([`ValuesBecause`] says why); `sources`
    /// names the sheet that lists the input files.
    pub(crate) fn counts_as_values(
        &self,
        because: ValuesBecause,
        detail: &str,
        sources: &str,
    ) -> String {
        let limit = self.grouped(crate::report::DETAIL_ROWS as u64);
        match (because, self.lang) {
            (ValuesBecause::Members(n), Lang::It) => format!(
                "Valori, non formule: oltre {limit} soci (qui {}) il foglio {detail} non è scritto; ogni socio è nei file di input elencati nel foglio {sources}.",
                self.grouped(n)
            ),
            (ValuesBecause::Members(n), Lang::En) => format!(
                "Values, not formulas: above {limit} members (here {}) the {detail} sheet is not written; every member is in the input files listed on the {sources} sheet.",
                self.grouped(n)
            ),
            (ValuesBecause::Projects(n), Lang::It) => format!(
                "Valori, non formule: oltre {limit} progetti (qui {}) i totali non sono formule sul foglio {detail}, che elenca ogni progetto.",
                self.grouped(n)
            ),
            (ValuesBecause::Projects(n), Lang::En) => format!(
                "Values, not formulas: above {limit} projects (here {}) the totals are not formulas over the {detail} sheet, which lists every project.",
                self.grouped(n)
            ),
            (ValuesBecause::Rows(n), Lang::It) => format!(
                "Valori, non formule: una tabella di oltre {} righe (qui {}) non conta con formule sul foglio {detail}.",
                self.grouped(crate::report::DETAIL_GROUPS as u64),
                self.grouped(n)
            ),
            (ValuesBecause::Rows(n), Lang::En) => format!(
                "Values, not formulas: a table of more than {} rows (here {}) does not count with formulas over the {detail} sheet.",
                self.grouped(crate::report::DETAIL_GROUPS as u64),
                self.grouped(n)
            ),
        }
    }

    /// A count grouped in thousands as the reader writes it: `1.048.573`, `1,048,573`.
    fn grouped(&self, n: u64) -> String {
        crate::text::number(self.lang, n)
    }

    /// The reader's word for what an input file was read as.
    pub(crate) fn input_kind(&self, kind: InputKind) -> &'static str {
        match kind {
            InputKind::Data(SourceKind::Members) => self.members(),
            InputKind::Data(SourceKind::Projects) => self.projects(),
            InputKind::Data(SourceKind::Partners) => self.partners(),
            InputKind::Data(SourceKind::Targets) => self.targets(),
            InputKind::Config => self.config(),
            InputKind::Ignored => self.ignored(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cut_appendix_says_what_it_lists_and_where_the_rest_is() {
        let (it, en) = (Labels { lang: Lang::It }, Labels { lang: Lang::En });
        let cut = AppendixCut {
            total: 1_300,
            limit: 200,
            breaches: (22, 22),
            near: (15, 15),
            largest: 163,
        };
        assert_eq!(
            it.appendix_cut(&cut, "consolida-2026-11.xlsx"),
            "L'appendice elenca per intero un portafoglio fino a 200 progetti; questo ne conta 1.300. \
             Sono elencati i superamenti del tetto (22), i progetti vicini al tetto (15) e i maggiori \
             per valore tra gli altri (163): 200 in tutto. L'elenco completo è nel foglio \
             “Controllo finanziamenti” di consolida-2026-11.xlsx e in financing_audit.csv; il limite \
             si cambia con appendix_projects nella sezione [pdf] di consolida.toml."
        );
        let breaches_only = AppendixCut {
            breaches: (200, 2_500),
            near: (0, 40),
            largest: 0,
            ..cut
        };
        assert_eq!(
            en.appendix_cut(&breaches_only, "consolida-2026-11.xlsx"),
            "This appendix lists a portfolio of up to 200 projects in full; this one holds 1,300. \
             Listed are the cap breaches (200 of 2,500, the largest excess first): 200 in all. \
             The full list is in the “Financing audit” sheet of consolida-2026-11.xlsx and in \
             financing_audit.csv; the limit is set by appendix_projects under [pdf] in consolida.toml."
        );
        assert_eq!(
            it.appendix_note_of(200, 1_300),
            "L'Appendice A elenca 200 dei 1.300 progetti, ciascuno con il tetto applicato e l'esito del controllo: i superamenti, quelli vicini al tetto e i maggiori per valore."
        );
        assert_eq!(en.appendix_note_of(300, 300), en.appendix_note());
    }

    #[test]
    fn issue_groups_left_out_are_counted_in_the_readers_language() {
        let (it, en) = (Labels { lang: Lang::It }, Labels { lang: Lang::En });
        assert_eq!(
            it.issue_groups_left_out(1, 1),
            "Un altro gruppo, con 1 anomalia, non è mostrato."
        );
        assert_eq!(
            it.issue_groups_left_out(2_040, 15_310),
            "Altri 2.040 gruppi, con 15.310 anomalie, non sono mostrati."
        );
        assert_eq!(
            en.issue_groups_left_out(2_040, 15_310),
            "2,040 more groups, with 15,310 issues, are not shown."
        );
        assert_eq!(
            en.issues_listed_in("consolida-2026-11.xlsx"),
            "The full list of issues, each with its file, sheet, cell and value, is in the “Issues” sheet of consolida-2026-11.xlsx and in issues.csv."
        );
    }

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
