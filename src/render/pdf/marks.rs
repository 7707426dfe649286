//! Status marks: the colour of each target status, and a line of marks, each a
//! coloured disc with its words (`● 8 in ritardo`), wrapping at the text
//! width.
//!
//! A mark is never the colour alone: the status's word is always beside it, so
//! that a black-and-white print, or a reader who does not tell red from
//! green, reads the same. The inks still step in lightness from the worst
//! status to the best, and a status without a judgement (not applicable, no
//! data) is grey or white.

use super::layout::Document;
use super::page::{CONTENT_WIDTH, MARGIN};
use super::style::{Ink, Stroke, TextStyle};
use crate::monitoring::path::Status;

/// The outline of every mark, so that a pale one shows on white.
pub(crate) const MARK_OUTLINE: Stroke = Stroke {
    thickness: 0.3,
    ink: Ink::Grey(0.3),
};

/// The colour of a target's status: dark red for missed, red for behind,
/// amber at risk, green on track, dark green achieved, grey and white for
/// the statuses that judge nothing.
pub(crate) fn status_ink(status: Status) -> Ink {
    match status {
        Status::Missed => Ink::Rgb(0.55, 0.04, 0.08),
        Status::Behind => Ink::Rgb(0.86, 0.24, 0.16),
        Status::AtRisk => Ink::Rgb(0.97, 0.71, 0.16),
        Status::OnTrack => Ink::Rgb(0.45, 0.76, 0.40),
        Status::Achieved => Ink::Rgb(0.10, 0.46, 0.27),
        Status::NotApplicable => Ink::Grey(0.78),
        Status::NoData => Ink::Grey(1.0),
    }
}

/// Space after a mark's disc, and between two marks.
const AFTER_DISC: f32 = 1.2;
const BETWEEN: f32 = 4.5;

impl Document {
    /// `lead` then each mark's disc and text, on as many lines as the text
    /// width needs, as one block kept with `keep` millimetres of what follows.
    pub(crate) fn marks_line(
        &mut self,
        lead: &str,
        marks: &[(Ink, String)],
        style: TextStyle,
        keep: f32,
    ) {
        let lead = self.clean(lead, style.weight);
        let marks: Vec<(Ink, String)> = marks
            .iter()
            .map(|(ink, text)| (*ink, self.clean(text, style.weight)))
            .collect();
        let diameter = 0.29 * style.size;
        let widths: Vec<f32> = marks
            .iter()
            .map(|(_, text)| diameter + AFTER_DISC + self.fonts.width(text, style))
            .collect();
        // Which marks go on which line, the lead first on the first.
        let lead_width = self.fonts.width(&lead, style) + 2.0;
        let mut lines: Vec<Vec<usize>> = vec![Vec::new()];
        let mut x = lead_width;
        for (i, width) in widths.iter().enumerate() {
            if x + width > CONTENT_WIDTH && x > 0.0 {
                lines.push(Vec::new());
                x = 0.0;
            }
            if let Some(line) = lines.last_mut() {
                line.push(i);
            }
            x += width + BETWEEN;
        }
        let height = lines.len() as f32 * style.line_height();
        self.begin_block(height + keep);
        for (k, line) in lines.iter().enumerate() {
            let baseline = style.baseline(self.y);
            let mut x = MARGIN;
            if k == 0 {
                self.canvas.text(x, baseline, &lead, style);
                x += lead_width;
            }
            for &i in line {
                let (ink, text) = &marks[i];
                let centre = (x + diameter / 2.0, self.y + style.line_height() / 2.0);
                self.canvas.disc(centre, diameter / 2.0, *ink, MARK_OUTLINE);
                self.canvas
                    .text(x + diameter + AFTER_DISC, baseline, text, style);
                x += widths[i] + BETWEEN;
            }
            self.y += style.line_height();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inks_grow_lighter_from_missed_to_on_track() {
        let lightness: Vec<f32> = [Status::Missed, Status::Behind, Status::AtRisk]
            .map(|s| status_ink(s).luminance())
            .to_vec();
        assert!(lightness.windows(2).all(|w| w[0] < w[1]), "{lightness:?}");
        assert!(status_ink(Status::Achieved).luminance() < status_ink(Status::OnTrack).luminance());
        assert_eq!(status_ink(Status::NoData).luminance(), 1.0);
    }
}
