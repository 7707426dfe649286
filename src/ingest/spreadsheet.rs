//! Workbooks through calamine: every sheet of an xlsx, xlsm, xlsb, xls or ods file.

use super::RawTable;
use crate::error::{Error, Result};
use crate::location::Location;
use calamine::{open_workbook_auto_from_rs, Reader};
use std::io::Cursor;

/// Reads every sheet of the workbook in `bytes`, in the workbook's order.
///
/// # Errors
/// [`Error::UnreadableInput`] when the bytes are not a workbook calamine can open,
/// or a sheet cannot be decoded.
pub fn read(bytes: Vec<u8>, display: &str) -> Result<Vec<RawTable>> {
    let mut workbook = open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| {
        Error::unreadable(
            Location::file(display),
            format!("cannot open the workbook: {e}."),
        )
    })?;
    let mut tables = Vec::new();
    for sheet in workbook.sheet_names() {
        let range = workbook.worksheet_range(&sheet).map_err(|e| {
            let location = Location {
                sheet: Some(sheet.clone()),
                ..Location::file(display)
            };
            Error::unreadable(location, format!("cannot read the sheet: {e}."))
        })?;
        tables.push(RawTable {
            file: display.to_string(),
            sheet: Some(sheet),
            range,
        });
    }
    Ok(tables)
}
