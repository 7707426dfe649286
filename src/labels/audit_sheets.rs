//! The words of the workbook's de minimis and partner sheets, the cover's de
//! minimis figure and the sentence of the opening paragraph that names the
//! members above the ceiling.

use super::{Labels, Lang};
use crate::money::Cents;
use crate::report::{ShareGap, SharesOf};

labels! {
    de_minimis_sheet => "De minimis", "De minimis";
    partner_audit_sheet => "Controllo partner", "Partner audit";
    window_start => "Inizio finestra", "Window start";
    de_minimis_financing => "Finanziamento de minimis", "De minimis financing";
    de_minimis_limit => "Limite (EUR)", "Limit (EUR)";
    partner_id => "Codice partner", "Partner id";
    partner_category => "Categoria partner", "Partner category";
    no_de_minimis => "Nessun socio supera il limite de minimis nella finestra mobile.", "No member exceeds the de minimis ceiling over the rolling window.";
    no_partners => "Nessun progetto approvato alla data ha partner.", "No project approved as of this date has partners.";
    shares_not_adding_up => "Quote che non tornano", "Shares that do not add up";
    shares_add_up => "Le quote dei partner di ogni progetto tornano al centesimo con il valore e il finanziamento del progetto.", "The partners' shares of every project add up to the cent to the project's value and financing.";
    de_minimis_over => "Finanziamento oltre il limite de minimis", "Financing above the de minimis ceiling";
}

impl Labels {
    /// The caption of the cover's de minimis figure, with how many members
    /// are above the ceiling: `Oltre il limite de minimis (2 soci)`.
    pub(crate) fn de_minimis_caption(&self, members: u64) -> String {
        let n = self.grouped(members);
        match (self.lang, members) {
            (Lang::It, 1) => "Oltre il limite de minimis (1 socio)".to_string(),
            (Lang::It, _) => format!("Oltre il limite de minimis ({n} soci)"),
            (Lang::En, 1) => "Above the de minimis ceiling (1 member)".to_string(),
            (Lang::En, _) => format!("Above the de minimis ceiling ({n} members)"),
        }
    }

    /// A sum of shares that does not add up, in a sentence: `E42…: le quote
    /// di costo dei 3 partner sommano 99.999,99 €, non 100.000,00 € (mancano
    /// 0,01 €).`
    pub(crate) fn share_gap(&self, gap: &ShareGap) -> String {
        let difference = gap.gap();
        let missing = difference.0 > 0;
        let (sum, expected, by) = match self.lang {
            Lang::It => (
                gap.sum.italian_eur(),
                gap.expected.italian_eur(),
                Cents(difference.0.abs()).italian_eur(),
            ),
            Lang::En => (
                format!("EUR {}", gap.sum.english()),
                format!("EUR {}", gap.expected.english()),
                format!("EUR {}", Cents(difference.0.abs()).english()),
            ),
        };
        let (id, n) = (&gap.project_id, self.grouped(gap.partners as u64));
        match (self.lang, gap.shares) {
            (Lang::It, shares) => {
                let what = match shares {
                    SharesOf::Cost => "le quote di costo",
                    SharesOf::Financing => "le quote di finanziamento",
                };
                let off = if missing { "mancano" } else { "in più" };
                let off = if missing {
                    format!("{off} {by}")
                } else {
                    format!("{by} {off}")
                };
                format!("{id}: {what} dei {n} partner sommano {sum}, non {expected} ({off}).")
            }
            (Lang::En, shares) => {
                let what = match shares {
                    SharesOf::Cost => "the cost shares",
                    SharesOf::Financing => "the financing shares",
                };
                let off = if missing { "missing" } else { "too much" };
                format!("{id}: {what} of the {n} partners add up to {sum}, not {expected} ({by} {off}).")
            }
        }
    }

    /// The line below the shares that do not add up when not all of them fit
    /// the sheet: how many more, and where every one is.
    pub(crate) fn share_gaps_left_out(&self, left_out: u64) -> String {
        let n = self.grouped(left_out);
        let file = crate::render::csv::ISSUES;
        match self.lang {
            Lang::It => format!("Altre {n} non entrano nel foglio; tutte sono in {file}."),
            Lang::En => format!("{n} more do not fit the sheet; every one is in {file}."),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::location::Location;

    fn gap(shares: SharesOf, sum: i64, expected: i64) -> ShareGap {
        ShareGap {
            project_id: "P1".into(),
            shares,
            partners: 3,
            sum: Cents(sum),
            expected: Cents(expected),
            source: Location::row("partner.xlsx", Some("Partner"), 2),
        }
    }

    #[test]
    fn a_gap_says_which_shares_what_they_add_up_to_and_by_how_much() {
        let it = Labels { lang: Lang::It };
        let en = Labels { lang: Lang::En };
        let missing = gap(SharesOf::Cost, 9_999_999, 10_000_000);
        assert_eq!(
            it.share_gap(&missing),
            "P1: le quote di costo dei 3 partner sommano 99.999,99 €, non 100.000,00 € (mancano 0,01 €)."
        );
        let over = gap(SharesOf::Financing, 6_050_000, 6_000_000);
        assert_eq!(
            it.share_gap(&over),
            "P1: le quote di finanziamento dei 3 partner sommano 60.500,00 €, non 60.000,00 € (500,00 € in più)."
        );
        assert_eq!(
            en.share_gap(&over),
            "P1: the financing shares of the 3 partners add up to EUR 60,500.00, not EUR 60,000.00 (EUR 500.00 too much)."
        );
    }
}
