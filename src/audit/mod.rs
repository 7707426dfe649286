//! The financing audit: each project and partner against the cap rule that
//! applies to it, members above the de minimis ceiling, and the figures of the
//! previous report that the data now restate.

pub mod caps;
pub mod de_minimis;
pub mod partners;
pub mod restate;
