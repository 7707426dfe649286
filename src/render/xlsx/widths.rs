//! A sheet's column widths: what the sheet measured itself (headers, totals,
//! indented text), the limits of wrapping text columns, and how they are set on the
//! worksheet together with autofit's widths — rust_xlsxwriter's own `autofit()` in
//! memory, or, in constant memory, the same widths as [`Autofit`] measured them.

use super::autofit::Autofit;
use super::measure::{wrapped_lines, DIGIT_PX, HEADER_INSET_PX, INDENT_PX};
use rust_xlsxwriter::{ColNum, Worksheet, XlsxError};

/// The widest a column gets, in pixels (about 67 characters: a SHA-256 fits).
pub(crate) const MAX_COLUMN_PX: u32 = 480;
/// What Excel adds to a column's width in characters, each [`DIGIT_PX`] wide,
/// in pixels.
const COLUMN_MARGIN_PX: u32 = 5;

/// Measured widths and limits of a sheet's columns, in pixels.
#[derive(Debug, Default, Clone)]
pub(crate) struct Widths {
    measured: Vec<u32>,
    limits: Vec<(ColNum, u32)>,
}

impl Widths {
    /// Keeps column `col` at most `chars` characters wide (and never wider than
    /// [`MAX_COLUMN_PX`]); longer text wraps.
    pub(crate) fn limit(&mut self, col: ColNum, chars: u32) {
        let pixels = (chars * DIGIT_PX + COLUMN_MARGIN_PX + INDENT_PX).min(MAX_COLUMN_PX);
        self.limits.push((col, pixels));
    }

    /// Makes column `col` at least `pixels` wide.
    pub(crate) fn fit(&mut self, col: ColNum, pixels: u32) {
        let i = usize::from(col);
        if self.measured.len() <= i {
            self.measured.resize(i + 1, 0);
        }
        self.measured[i] = self.measured[i].max(pixels);
    }

    /// The widest column `col` may get.
    pub(crate) fn limit_px(&self, col: ColNum) -> u32 {
        self.limits
            .iter()
            .find(|(c, _)| *c == col)
            .map_or(MAX_COLUMN_PX, |(_, px)| *px)
    }

    /// The width the sheet measured for column `col`, within its limit.
    fn measured_px(&self, col: usize) -> u32 {
        let limit = ColNum::try_from(col).map_or(MAX_COLUMN_PX, |c| self.limit_px(c));
        self.measured.get(col).copied().unwrap_or(0).min(limit)
    }

    /// Sets the widths on `ws`: the measured ones first, then autofit's, which only
    /// widen a column or size one nobody measured, then the limits of wrapping text
    /// columns. `autofit` is `None` in memory, where rust_xlsxwriter's `autofit()`
    /// sees the cells itself.
    pub(crate) fn apply(
        &self,
        ws: &mut Worksheet,
        autofit: Option<&Autofit>,
    ) -> Result<(), XlsxError> {
        for col in 0..self.measured.len() {
            if self.measured[col] > 0 {
                ws.set_column_width_pixels(col as ColNum, self.measured_px(col))?;
            }
        }
        match autofit {
            None => {
                ws.set_autofit_max_width(MAX_COLUMN_PX).autofit();
            }
            // What `autofit()` does with the widths it finds.
            Some(autofit) => {
                for (col, width) in autofit.widths() {
                    let i = usize::from(col);
                    let measured = self.measured.get(i).copied().unwrap_or(0) > 0;
                    if !measured || width > self.measured_px(i) {
                        ws.set_column_autofit_width(col, width)?;
                    }
                }
            }
        }
        for (col, _) in &self.limits {
            let width = self.measured_px(usize::from(*col));
            if width > 0 {
                ws.set_column_width_pixels(*col, width)?;
            }
        }
        Ok(())
    }

    /// How many lines the tallest of these header titles takes, wrapped in its
    /// column beside the filter button.
    pub(crate) fn header_lines(&self, titles: &[String]) -> u32 {
        titles
            .iter()
            .enumerate()
            .map(|(col, title)| {
                let room = self.measured_px(col).saturating_sub(HEADER_INSET_PX);
                wrapped_lines(title, room, true)
            })
            .max()
            .unwrap_or(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_keep_the_widest_measure_within_their_limit() {
        let mut widths = Widths::default();
        widths.fit(1, 50);
        widths.fit(1, 80);
        widths.fit(2, 900);
        widths.limit(3, 10);
        assert_eq!(widths.measured_px(1), 80);
        assert_eq!(widths.measured_px(2), MAX_COLUMN_PX);
        assert_eq!(widths.limit_px(3), 10 * 7 + 5 + INDENT_PX);
        assert_eq!(widths.measured_px(3), 0);
        let titles = ["Breve".to_string(), "Un titolo assai lungo".to_string()];
        widths.fit(0, 200);
        assert_eq!(widths.header_lines(&titles[..1]), 1);
        assert!(
            widths.header_lines(&titles) > 1,
            "80 pixels wrap the long one"
        );
    }
}
