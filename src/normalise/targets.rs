//! Targets sheets: one row per point of a cluster's target for an indicator.

use crate::location::Location;

/// One cell of a targets row: its content as text and where it is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TargetCell {
    pub(crate) text: String,
    pub(crate) at: Location,
}

/// One row of a targets sheet: a point of a cluster's target for one indicator.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TargetRow {
    pub(crate) cluster: TargetCell,
    pub(crate) indicator: TargetCell,
    pub(crate) month: TargetCell,
    pub(crate) value: TargetCell,
}
