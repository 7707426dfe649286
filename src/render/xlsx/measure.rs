//! Text and figure widths as Excel shows them in Calibri 11, in pixels: what
//! autofit cannot see (bold totals, indented text, wrapping headers) and how many
//! lines a wrapped text takes.

use super::style::Tone;
use crate::money::{group_thousands, Cents};
use rust_xlsxwriter::cell_autofit_width;

/// A header is wrapped rather than widening its column beyond this, in pixels.
const HEADER_MIN_PX: u32 = 90;
/// Room for the autofilter drop-down button in a header cell, in pixels.
pub const FILTER_BUTTON_PX: u32 = 16;
/// The width of one level of indentation, which keeps text clear of a number
/// right-aligned in the column before it, in pixels.
pub const INDENT_PX: u32 = 10;

/// A count as Excel shows it with `#,##0`.
pub fn count_text(n: u64) -> String {
    group_thousands(n, ',')
}

/// An amount as Excel shows it with `#,##0.00 "€"`, to size its column.
pub fn amount_text(amount: Cents) -> String {
    format!("{} €", amount.english())
}

/// The width a figure needs, a little more when bold.
pub fn shown_width(text: &str, tone: Tone) -> u32 {
    let width = cell_autofit_width(text) + 4;
    if tone == Tone::Total {
        width * 11 / 10
    } else {
        width
    }
}

/// Text width in pixels without cell padding.
fn text_width(text: &str, bold: bool) -> u32 {
    let width = cell_autofit_width(text).saturating_sub(7);
    if bold {
        width * 11 / 10
    } else {
        width
    }
}

pub fn bold_width(text: &str) -> u32 {
    text_width(text, true)
}

/// The width a header asks for: its whole text when short, else enough for its
/// longest word, plus the filter button.
pub fn header_width(title: &str) -> u32 {
    let longest_word = title.split_whitespace().map(bold_width).max().unwrap_or(0);
    bold_width(title).min(longest_word.max(HEADER_MIN_PX)) + 7 + INDENT_PX + FILTER_BUTTON_PX
}

/// How many lines one line of `text` takes when wrapped at word boundaries into
/// `room` pixels; a word wider than the room is broken, as spreadsheets do.
pub fn wrapped_lines(text: &str, room: u32, bold: bool) -> u32 {
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
    fn headers_wrap_at_their_longest_word() {
        let short = header_width("Cluster");
        let long = header_width("Università e centri di ricerca");
        assert!(long > short);
        assert!(long < cell_autofit_width("Università e centri di ricerca") + 40);
    }
}
