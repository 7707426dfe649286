//! The partner audit sheet: each partner of a project with partners, with its
//! id, name and category, its cost and financing shares and their ratio,
//! against the cap of its own category, in the audit's verdict columns and with
//! its marks ([`audit::write_verdict`], [`audit::mark_verdicts`]); a totals row
//! sums the shares and the excesses. Below the table, the partners' shares that
//! do not add up to their project's value or financing, a sentence each, or a
//! sentence saying that they all do. Without any partner, a sentence says so.

use super::audit::{self, VERDICT_COLS};
use super::sheet::{data_row, Sheet};
use super::style::Tone;
use super::table::{Total, TotalCell};
use super::Ctx;
use crate::money::Cents;
use crate::render::csv;
use crate::report::PartnerAudit;
use rust_xlsxwriter::{ColNum, RowNum, Workbook, XlsxError};
use rustc_hash::FxHashMap;

const COST_COL: ColNum = 4;
const RATIO_COL: ColNum = 6;
const VERDICT_COL: ColNum = 7;
/// The column of each partner's verdict.
pub(crate) const STATUS_COL: ColNum = VERDICT_COL + 3;
const EXCESS_COL: ColNum = VERDICT_COL + VERDICT_COLS - 1;
const SOURCE_COL: ColNum = VERDICT_COL + VERDICT_COLS;

pub(crate) fn write(workbook: &mut Workbook, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    let l = &ctx.labels;
    let partners = &ctx.report.audit.partners;
    let shown = ctx.shown(partners.len(), 1);
    let last_row = shown.last_row();
    let mut sheet = ctx.table_sheet(workbook, &ctx.sheets.partners, last_row)?;
    let mut titles = vec![
        l.project_id(),
        l.partner_id(),
        l.partner(),
        l.partner_category(),
        l.cost_share(),
        l.financing_share(),
        l.ratio(),
    ];
    titles.extend(audit::verdict_titles(l));
    titles.push(l.source_cell());
    sheet.header(0, &titles);
    for (col, chars) in [
        (2, 40),
        (3, 30),
        (VERDICT_COL + 2, 50),
        (STATUS_COL + 1, 30),
        (SOURCE_COL, 34),
    ] {
        sheet.limit(col, chars);
    }
    let below = if partners.is_empty() {
        sheet.note(1, 0, l.no_partners(), &ctx.styles.note)?;
        1
    } else {
        sheet.totals(last_row + 1, shown.totals(totals(partners, ctx)));
        audit::mark_verdicts(&mut sheet, last_row, l, RATIO_COL, VERDICT_COL)?;
        match ctx.cut_note(shown, csv::PARTNER_AUDIT, true) {
            Some(note) => {
                sheet.note(shown.note_row(), 0, &note, &ctx.styles.note)?;
                shown.note_row()
            }
            None => last_row + 1,
        }
    };
    write_share_gaps(&mut sheet, below + 2, ctx)?;
    let rule_texts = audit::rule_texts_of(partners.iter().map(|p| &p.verdict), ctx.lang);
    sheet.write(|sheet| {
        for (i, partner) in partners.iter().take(shown.rows).enumerate() {
            write_row(sheet, data_row(i), partner, &rule_texts, ctx)?;
        }
        Ok(())
    })?;
    sheet.finish()
}

/// The totals row: the shares and the excesses summed.
fn totals(partners: &[PartnerAudit], ctx: &Ctx<'_>) -> Vec<(ColNum, TotalCell)> {
    let sum = |amount: &dyn Fn(&PartnerAudit) -> Cents| {
        let total = partners.iter().map(amount).sum();
        TotalCell::Sum(Total::Amount(total))
    };
    vec![
        (0, TotalCell::Label(ctx.labels.total().to_string())),
        (COST_COL, sum(&|p| p.cost_share)),
        (COST_COL + 1, sum(&|p| p.financing_share)),
        (EXCESS_COL, sum(&|p| p.verdict.excess.unwrap_or(Cents(0)))),
    ]
}

/// From row `first`: a heading, then each sum of shares that does not add
/// up, as many as the sheet holds (the last line then says how many more,
/// and where they are), or the sentence that they all do; nothing when the
/// sheet has no room for a heading and a line (a table cut to fit it).
fn write_share_gaps(sheet: &mut Sheet<'_>, first: RowNum, ctx: &Ctx<'_>) -> Result<(), XlsxError> {
    if first + 1 >= ctx.sheet_rows {
        return Ok(());
    }
    let l = &ctx.labels;
    let gaps = &ctx.report.audit.share_gaps;
    let heading = ctx.styles.note.clone().set_bold();
    sheet.note(first, 0, l.shares_not_adding_up(), &heading)?;
    if gaps.is_empty() {
        return sheet.note(first + 1, 0, l.shares_add_up(), &ctx.styles.note);
    }
    let room = ctx.sheet_rows.saturating_sub(first + 1) as usize;
    let fits = if gaps.len() <= room {
        gaps.len()
    } else {
        room.saturating_sub(1)
    };
    for (row, gap) in (first + 1..).zip(&gaps[..fits]) {
        sheet.note(row, 0, &l.share_gap(gap), &ctx.styles.note)?;
    }
    if fits < gaps.len() {
        let row = first + 1 + fits as RowNum;
        let left_out = (gaps.len() - fits) as u64;
        sheet.note(row, 0, &l.share_gaps_left_out(left_out), &ctx.styles.note)?;
    }
    Ok(())
}

fn write_row(
    sheet: &mut Sheet<'_>,
    row: RowNum,
    p: &PartnerAudit,
    rule_texts: &FxHashMap<usize, String>,
    ctx: &Ctx<'_>,
) -> Result<(), XlsxError> {
    sheet.text(row, 0, &p.project_id, Tone::Plain)?;
    sheet.text(row, 1, &p.member_id, Tone::Plain)?;
    sheet.opt_text(row, 2, p.member_name.as_deref(), Tone::Plain)?;
    let category = p.category.map(|c| c.label(ctx.lang));
    sheet.opt_text(row, 3, category, Tone::Plain)?;
    sheet.amount(row, COST_COL, p.cost_share)?;
    sheet.amount(row, COST_COL + 1, p.financing_share)?;
    sheet.ratio(row, RATIO_COL, p.ratio)?;
    audit::write_verdict(sheet, row, VERDICT_COL, &p.verdict, rule_texts, ctx)?;
    sheet.text(row, SOURCE_COL, &p.source.to_string(), Tone::Plain)
}

#[cfg(test)]
mod tests {
    use super::super::test_support::*;
    use super::super::{render, Lang};
    use crate::category::Category;
    use crate::location::Location;
    use crate::money::{Cents, Ratio};
    use crate::report::{sample_report, PartnerAudit, Report, ShareGap, SharesOf};
    use calamine::Data;

    /// The sample report with two partners of its seed project, the first
    /// above its cap (the seed's own verdict), and a cost share missing a cent.
    fn with_partners() -> Report {
        let mut report = sample_report();
        let seed = report.audit.projects[0].clone();
        let partner = |id: &str, name: Option<&str>, cost: i64, financing: i64| PartnerAudit {
            project_id: seed.project_id.clone(),
            member_id: id.into(),
            member_name: name.map(String::from),
            category: name.map(|_| Category::TradeAssociation),
            cost_share: Cents(cost),
            financing_share: Cents(financing),
            ratio: Ratio::new(Cents(financing), Cents(cost)),
            verdict: seed.verdict.clone(),
            source: Location::row("inputs/partner.xlsx", Some("Partner"), 1),
        };
        let mut within = partner("02", None, 5_000_000, 1_000_000);
        within.verdict = report.audit.projects[2].verdict.clone();
        report.audit.partners = vec![
            partner("01", Some("Assolombarda"), 10_850_000, 10_494_400),
            within,
        ];
        report.audit.share_gaps = vec![ShareGap {
            project_id: seed.project_id.clone(),
            shares: SharesOf::Cost,
            partners: 2,
            sum: Cents(15_849_999),
            expected: Cents(15_850_000),
            source: Location::row("inputs/partner.xlsx", Some("Partner"), 1),
        }];
        report
    }

    #[test]
    fn each_partner_against_its_own_cap_with_the_shares_that_do_not_add_up() {
        let report = with_partners();
        let range = sheet(&report, Lang::It, "Controllo partner");
        assert_eq!(
            header(&range),
            [
                "Codice progetto",
                "Codice partner",
                "Partner",
                "Categoria partner",
                "Quota di costo",
                "Quota di finanziamento",
                "Rapporto",
                "Tetto",
                "Massimo ammesso (EUR)",
                "Regola applicata",
                "Esito",
                "Motivo",
                "Margine (EUR)",
                "Eccedenza (EUR)",
                "Cella di origine"
            ]
        );
        let first = row_of(&range, "E42F20000010009");
        assert_eq!(first[1], Data::String("01".into()));
        assert_eq!(first[2], Data::String("Assolombarda".into()));
        assert_eq!(first[3], Data::String("Associazioni di categoria".into()));
        assert_eq!(floats(&first[4..6]), [108_500.0, 104_944.0]);
        assert_eq!(first[10], Data::String("Superamento".into()));
        assert_eq!(first[13], Data::Float(3_994.0));
        let totals = row_of(&range, "Totale");
        assert_eq!(totals[4], Data::Float(158_500.0));
        assert_eq!(totals[5], Data::Float(114_944.0));
        assert_eq!(totals[13], Data::Float(3_994.0));
        assert_eq!(row_of(&range, "Quote che non tornano").len(), range.width());
        let gap = range.get((6, 0)).unwrap().to_string();
        assert_eq!(
            gap,
            "E42F20000010009: le quote di costo dei 2 partner sommano 158.499,99 €, non 158.500,00 € (mancano 0,01 €)."
        );
        assert_eq!(
            formulas(&report, "Controllo partner"),
            [
                "SUBTOTAL(109,Controllo_partner[Quota di costo])",
                "SUBTOTAL(109,Controllo_partner[Quota di finanziamento])",
                "SUBTOTAL(109,Controllo_partner[Eccedenza (EUR)])"
            ]
        );
        let bytes = render(&report, &options(Lang::It)).unwrap();
        let sheet = part(&bytes, "xl/worksheets/sheet8.xml");
        assert!(
            sheet.contains("<conditionalFormatting sqref=\"G2:G3 K2:N3\">"),
            "{sheet}"
        );
        assert!(
            sheet.contains("<formula>$K2=\"Superamento\"</formula>"),
            "{sheet}"
        );
        assert!(sheet.contains("<pane xSplit=\"1\" ySplit=\"1\""), "{sheet}");
        assert!(sheet.contains("orientation=\"landscape\""), "{sheet}");
    }

    #[test]
    fn without_partners_the_sheet_says_so_and_that_nothing_is_off() {
        let range = sheet(&sample_report(), Lang::En, "Partner audit");
        assert_eq!(header(&range)[2], "Partner");
        let said: Vec<String> = range.rows().map(|row| row[0].to_string()).collect();
        assert_eq!(
            said[1..],
            [
                "No project approved as of this date has partners.",
                "",
                "Shares that do not add up",
                "The partners' shares of every project add up to the cent to the project's value and financing."
            ]
        );
    }

    /// [`with_partners`] with `partners` partners and six sums that do not add
    /// up, on sheets of 20 rows, in memory and streamed.
    fn on_short_sheets(partners: usize) -> Vec<calamine::Range<Data>> {
        let mut report = with_partners();
        let partner = report.audit.partners[1].clone();
        report.audit.partners = (0..partners)
            .map(|i| PartnerAudit {
                member_id: format!("{i:02}"),
                ..partner.clone()
            })
            .collect();
        let gap = report.audit.share_gaps[0].clone();
        report.audit.share_gaps = vec![gap; 6];
        [RowNum::MAX, 0]
            .into_iter()
            .map(|stream_from| {
                let mut ctx = super::super::Ctx::new(&report, Lang::It, stream_from);
                ctx.sheet_rows = 20;
                let bytes = super::super::render_with(ctx, &options(Lang::It)).unwrap();
                open(bytes).worksheet_range("Controllo partner").unwrap()
            })
            .collect()
    }

    use calamine::Reader;
    use rust_xlsxwriter::RowNum;

    #[test]
    fn the_shares_that_do_not_add_up_show_as_many_as_fit_and_say_where_the_rest_are() {
        for range in on_short_sheets(14) {
            // 14 partners, the totals, an empty row, the heading: two lines left.
            assert_eq!(range.get((15, 0)), Some(&Data::String("Totale".into())));
            let line = |row| range.get((row, 0)).map(|c| c.to_string());
            assert_eq!(line(17).as_deref(), Some("Quote che non tornano"));
            assert!(line(18)
                .unwrap()
                .starts_with("E42F20000010009: le quote di costo"));
            assert_eq!(
                line(19).as_deref(),
                Some("Altre 5 non entrano nel foglio; tutte sono in issues.csv.")
            );
        }
        for range in on_short_sheets(30) {
            // A table cut to fit the sheet leaves no room: its note is the last row.
            let last = range.rows().next_back().unwrap()[0].to_string();
            assert!(last.contains("partner_audit.csv"), "{last}");
            assert!(!range
                .rows()
                .any(|row| row[0] == Data::String("Quote che non tornano".into())));
        }
    }
}
