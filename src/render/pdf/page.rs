//! The page's geometry: A4 portrait, its margins, the box the body is laid out
//! in, and the lines of the running header and footer around it. In millimetres
//! from the page's top-left corner, as the layout places everything; the canvas
//! turns them into PDF points from the bottom-left.

/// A4 portrait, in millimetres.
pub(crate) const PAGE_WIDTH: f32 = 210.0;
pub(crate) const PAGE_HEIGHT: f32 = 297.0;
/// Left and right margin.
pub(crate) const MARGIN: f32 = 18.0;
/// The width between the margins.
pub(crate) const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// The right end of the text column.
pub(crate) const CONTENT_RIGHT: f32 = MARGIN + CONTENT_WIDTH;
/// Where the body starts, below the running header.
pub(crate) const CONTENT_TOP: f32 = 24.0;
/// Where the body must end, above the footer.
pub(crate) const CONTENT_BOTTOM: f32 = PAGE_HEIGHT - 22.0;

/// The running header's baseline, and the rule under it.
pub(crate) const HEADER_BASELINE: f32 = 12.5;
pub(crate) const HEADER_RULE: f32 = 14.5;
/// The rule over the footer, and the footer's baseline.
pub(crate) const FOOTER_RULE: f32 = PAGE_HEIGHT - 17.0;
pub(crate) const FOOTER_BASELINE: f32 = PAGE_HEIGHT - 12.5;
