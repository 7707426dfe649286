//! Text and figure widths as Excel shows them in Calibri 11, in pixels: what
//! autofit cannot see (bold totals, indented text, wrapping headers), how many
//! lines a wrapped text takes, and numbers and dates as their cell's number format
//! shows them.

use super::style::{Kind, Tone};
use crate::labels::Lang;
use crate::money::{group_thousands, Cents};
use chrono::NaiveDate;
use rust_xlsxwriter::cell_autofit_width;

/// A header is wrapped rather than widening its column beyond this, in pixels.
const HEADER_MIN_PX: u32 = 90;
/// Room for the autofilter drop-down button in a header cell, in pixels.
pub(crate) const FILTER_BUTTON_PX: u32 = 16;
/// The width of one level of indentation, which keeps text clear of a number
/// right-aligned in the column before it, in pixels.
pub(crate) const INDENT_PX: u32 = 10;
/// The width of a digit, in pixels: Excel's unit of column width, and what
/// autofit gives every digit.
pub(crate) const DIGIT_PX: u32 = 7;
/// The padding [`cell_autofit_width`] adds to a text's width, in pixels.
pub(crate) const CELL_PADDING_PX: u32 = 7;
/// The room a text cell takes beside its text, in pixels: the padding and one
/// level of indentation.
pub(crate) const TEXT_INSET_PX: u32 = CELL_PADDING_PX + INDENT_PX;
/// The room a header cell takes beside its title, in pixels: a text cell's and
/// the filter button's.
pub(crate) const HEADER_INSET_PX: u32 = TEXT_INSET_PX + FILTER_BUTTON_PX;

/// A count as Excel shows it with `#,##0`.
pub(crate) fn count_text(n: u64) -> String {
    group_thousands(n, ',')
}

/// An amount as Excel shows it with `#,##0.00 "€"`, to size its column.
pub(crate) fn amount_text(amount: Cents) -> String {
    format!("{} €", amount.english())
}

/// A number as Excel shows it in a cell of `kind` (see `style.rs` for the
/// formats): `1,512`, `1204`, `158,500.00 €`, `72.52%`, a cap `70.00%` or
/// `72.525%`, a decimal `132.7778` or `27.0`. `None` for text and dates, which have no such format.
pub(crate) fn number_text(value: f64, kind: Kind) -> Option<String> {
    let abs = value.abs();
    let shown = match kind {
        Kind::Count => grouped(&format!("{abs:.0}")),
        Kind::Number => format!("{abs:.0}"),
        Kind::Amount => format!("{} €", grouped(&format!("{abs:.2}"))),
        Kind::Ratio => format!("{:.2}%", abs * 100.0),
        Kind::Cap => {
            let four = format!("{:.4}", abs * 100.0);
            let cut = four.trim_end_matches('0');
            let keep = cut.len().max(four.len() - 2);
            format!("{}%", &four[..keep])
        }
        Kind::Decimal => {
            let four = format!("{abs:.4}");
            let cut = four.trim_end_matches('0');
            let keep = cut.len().max(four.len() - 3);
            grouped(&four[..keep])
        }
        Kind::Text | Kind::Date | Kind::DateFigure | Kind::Month | Kind::MonthCell => return None,
    };
    let sign = if value < 0.0 { "-" } else { "" };
    Some(format!("{sign}{shown}"))
}

/// A date as Excel shows it in a cell of `kind`: `30/11/2026` in Italian,
/// `2026-11-30` in English, a month as `November 2026` (rust_xlsxwriter's autofit
/// formats in English whatever the locale of the format), in a table column as
/// `Nov 2026`. `None` for kinds that
/// are not dates.
pub(crate) fn date_text(date: NaiveDate, kind: Kind, lang: Lang) -> Option<String> {
    let pattern = match (kind, lang) {
        (Kind::Month, _) => "%B %Y",
        (Kind::MonthCell, _) => "%b %Y",
        (Kind::Date | Kind::DateFigure, Lang::It) => "%d/%m/%Y",
        (Kind::Date | Kind::DateFigure, Lang::En) => "%Y-%m-%d",
        _ => return None,
    };
    Some(date.format(pattern).to_string())
}

/// `1234567.89` as `1,234,567.89`: commas between the thousands of the whole part.
fn grouped(fixed: &str) -> String {
    let (whole, fraction) = match fixed.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (fixed, None),
    };
    let mut out = String::with_capacity(fixed.len() + whole.len() / 3);
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// The width a figure needs, a little more when bold.
pub(crate) fn shown_width(text: &str, tone: Tone) -> u32 {
    let width = cell_autofit_width(text) + 4;
    if tone == Tone::Total {
        in_bold(width)
    } else {
        width
    }
}

/// A regular text's `width` in bold, which is about a tenth wider.
fn in_bold(width: u32) -> u32 {
    width * 11 / 10
}

/// Text width in pixels without cell padding.
fn text_width(text: &str, bold: bool) -> u32 {
    let width = cell_autofit_width(text).saturating_sub(CELL_PADDING_PX);
    if bold {
        in_bold(width)
    } else {
        width
    }
}

fn bold_width(text: &str) -> u32 {
    text_width(text, true)
}

/// The width a bold label asks for, in a text cell.
pub(crate) fn label_width(text: &str) -> u32 {
    bold_width(text) + TEXT_INSET_PX
}

/// The width a header asks for: its whole text when short, else enough for its
/// longest word, plus the filter button.
pub(crate) fn header_width(title: &str) -> u32 {
    let longest_word = title.split_whitespace().map(bold_width).max().unwrap_or(0);
    bold_width(title).min(longest_word.max(HEADER_MIN_PX)) + HEADER_INSET_PX
}

/// How many lines one line of `text` takes when wrapped at word boundaries into
/// `room` pixels; a word wider than the room is broken, as spreadsheets do.
pub(crate) fn wrapped_lines(text: &str, room: u32, bold: bool) -> u32 {
    let room = room.max(1);
    let space = text_width(" ", bold).max(3);
    let mut lines = 1;
    let mut used = 0;
    for word in text.split_whitespace() {
        let width = text_width(word, bold);
        if used > 0 && used + space + width > room {
            lines += 1;
            used = 0;
        }
        if used > 0 {
            used += space;
        }
        used += width;
        while used > room {
            lines += 1;
            used -= room;
        }
    }
    lines
}

/// Whether `text`, `autofit` pixels wide as [`cell_autofit_width`] measures it,
/// takes a single line of `room` pixels, as [`wrapped_lines`] counts them. A line
/// of words one space apart is as wide as its words and spaces, so it need not
/// be measured word by word. Other text (a newline, spaces before, after or
/// doubled, other blanks, more characters than autofit measures) is not said to
/// fit: it is left to [`wrapped_lines`].
pub(crate) fn fits_one_line(text: &str, autofit: u32, room: u32) -> bool {
    let mut after_space = true;
    let single_spaced = text.chars().all(|ch| {
        let fine = !ch.is_whitespace() || (ch == ' ' && !after_space);
        after_space = ch == ' ';
        fine
    }) && !after_space;
    single_spaced && text.len() <= AUTOFIT_CHARS && autofit.saturating_sub(CELL_PADDING_PX) <= room
}

/// Beyond this many characters autofit gives every text the same width.
const AUTOFIT_CHARS: usize = 233;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_and_lines_wrap() {
        assert_eq!(wrapped_lines("breve", 200, false), 1);
        assert_eq!(wrapped_lines("una due tre", 30, false), 3);
        assert!(wrapped_lines(&"x".repeat(100), 100, false) >= 6);
    }

    #[test]
    fn a_line_that_fits_whole_is_one_line_as_wrapping_counts_it() {
        let texts = [
            "Progetto di ricerca industriale",
            "Università e centri di ricerca",
            "breve",
            " davanti",
            "dopo ",
            "due  spazi",
            "a\ttab",
            "riga\naltra",
            "spazio\u{a0}fisso",
            "",
        ];
        let long = "parola ".repeat(40);
        for text in texts.iter().copied().chain([long.trim_end()]) {
            let autofit = cell_autofit_width(text);
            for room in [0, 1, 30, 60, 100, 150, 180, 200, 220, 400, 2000] {
                let lines = wrapped_lines(text, room, false);
                let fits = fits_one_line(text, autofit, room);
                if fits {
                    assert_eq!(lines, 1, "{text:?} in {room} px");
                }
                let plain = !text.is_empty()
                    && text.len() <= AUTOFIT_CHARS
                    && text.split(' ').all(|word| !word.is_empty())
                    && !text.contains(|c: char| c.is_whitespace() && c != ' ');
                if plain {
                    assert_eq!(fits, lines == 1, "{text:?} in {room} px");
                } else {
                    assert!(!fits, "{text:?} is left to word-by-word wrapping");
                }
            }
        }
        // Exactly as wide as the room still fits.
        let text = "Progetto di ricerca";
        let width = cell_autofit_width(text) - 7;
        assert!(fits_one_line(text, width + 7, width));
        assert!(!fits_one_line(text, width + 7, width - 1));
        assert_eq!(wrapped_lines(text, width, false), 1);
        assert_eq!(wrapped_lines(text, width - 1, false), 2);
    }

    #[test]
    fn numbers_and_dates_read_as_their_format_shows_them() {
        assert_eq!(number_text(1512.0, Kind::Count).unwrap(), "1,512");
        assert_eq!(number_text(1204.0, Kind::Number).unwrap(), "1204");
        let amount = number_text(-1_234_567.5, Kind::Amount).unwrap();
        assert_eq!(amount, "-1,234,567.50 €");
        assert_eq!(amount, format!("{} €", Cents(-123_456_750).english()));
        assert_eq!(number_text(0.7252, Kind::Ratio).unwrap(), "72.52%");
        assert_eq!(number_text(0.7, Kind::Cap).unwrap(), "70.00%");
        assert_eq!(number_text(0.72525, Kind::Cap).unwrap(), "72.525%");
        assert_eq!(number_text(0.123456, Kind::Cap).unwrap(), "12.3456%");
        assert_eq!(number_text(3.0, Kind::Text), None);
        assert_eq!(
            number_text(1_389.583_3, Kind::Decimal).unwrap(),
            "1,389.5833"
        );
        assert_eq!(number_text(-27.0, Kind::Decimal).unwrap(), "-27.0");
        assert_eq!(number_text(31.875, Kind::Decimal).unwrap(), "31.875");
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
        assert_eq!(date_text(day, Kind::Date, Lang::It).unwrap(), "30/11/2026");
        assert_eq!(
            date_text(day, Kind::DateFigure, Lang::En).unwrap(),
            "2026-11-30"
        );
        assert_eq!(
            date_text(day, Kind::Month, Lang::It).unwrap(),
            "November 2026"
        );
        assert_eq!(
            date_text(day, Kind::MonthCell, Lang::It).unwrap(),
            "Nov 2026"
        );
        assert_eq!(date_text(day, Kind::Amount, Lang::It), None);
    }

    #[test]
    fn headers_wrap_at_their_longest_word() {
        let short = header_width("Cluster");
        let long = header_width("Università e centri di ricerca");
        assert!(long > short);
        assert!(long < cell_autofit_width("Università e centri di ricerca") + 40);
    }
}
