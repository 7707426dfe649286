"""An independent reader's view of the blank workbooks of `consolida template`,
with openpyxl.

Usage: python3 tests/template_check.py FOLDER

Checks soci.xlsx, progetti.xlsx and obiettivi.xlsx in FOLDER: every date,
month, amount, number and list column has a data validation of its kind over
the rows below the header, with a message on entering the cell and one on a
wrong value (a stop, except the aid type's, a warning: another aid type may be
kept), and the number format of its kind (dd/mm/yyyy, mm/yyyy, #,##0.00); every
sheet prints one page wide and as many pages down as it takes. Any warning
openpyxl raises while reading is an error. Prints every problem found and exits
1 if there is any.
"""

import sys
import warnings

warnings.simplefilter("error")

import openpyxl  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

DATE, MONTH, AMOUNT, NUMBER, LIST, AID_TYPE = (
    "date",
    "month",
    "amount",
    "number",
    "list",
    "aid type",
)

# The number format each kind of column is given.
FORMAT = {DATE: "dd/mm/yyyy", MONTH: "mm/yyyy", AMOUNT: "#,##0.00", NUMBER: "General"}

# The columns that are validated, by header, in each workbook.
EXPECTED = {
    "soci.xlsx": {
        "Categoria": LIST,
        "Cluster": LIST,
        "Provincia": LIST,
        "Data adesione": DATE,
        "Data recesso": DATE,
    },
    "progetti.xlsx": {
        "Cluster": LIST,
        "Bando": LIST,
        "Valore progetto": AMOUNT,
        "Finanziamento": AMOUNT,
        "Data approvazione": DATE,
        "Data avvio": DATE,
        "Data fine": DATE,
        "Tipo aiuto": AID_TYPE,
    },
    "obiettivi.xlsx": {
        "Cluster": LIST,
        "Indicatore": LIST,
        "Mese": MONTH,
        "Valore": NUMBER,
    },
}


def validation_of(sheet, cell):
    """The data validation that covers `cell`, if any."""
    for validation in sheet.data_validations.dataValidation:
        if cell in validation.sqref:
            return validation
    return None


def check_validation(where, validation, kind):
    problems = []
    expected_type = {
        DATE: "date",
        MONTH: "date",
        AMOUNT: "decimal",
        NUMBER: "decimal",
        LIST: "list",
        AID_TYPE: "list",
    }[kind]
    if validation.type != expected_type:
        problems.append(f"{where}: a {validation.type} validation, not {expected_type}")
    if kind in (AMOUNT, NUMBER) and (validation.operator, validation.formula1) != ("greaterThanOrEqual", "0"):
        problems.append(f"{where}: amounts of {validation.operator} {validation.formula1}")
    if kind in (LIST, AID_TYPE) and not (validation.formula1 or "").startswith("Elenchi!"):
        problems.append(f"{where}: a list from {validation.formula1}")
    if not (validation.showInputMessage and validation.promptTitle and validation.prompt):
        problems.append(f"{where}: no input message")
    if not (validation.showErrorMessage and validation.errorTitle and validation.error):
        problems.append(f"{where}: no error message")
    style = validation.errorStyle or "stop"
    expected_style = "warning" if kind == AID_TYPE else "stop"
    if style != expected_style:
        problems.append(f"{where}: an error of style {style}, not {expected_style}")
    return problems


def column_format(sheet, column):
    """The number format of the column numbered `column` (from 1): that of the
    `<col>` range covering it, if any."""
    for dimension in sheet.column_dimensions.values():
        if dimension.min is not None and dimension.min <= column <= dimension.max:
            return dimension.number_format
    return None


def check_print(where, sheet):
    problems = []
    properties = sheet.sheet_properties.pageSetUpPr
    if properties is None or not properties.fitToPage:
        problems.append(f"{where}: not fitted to pages")
    # A missing fitToWidth is Excel's default, one page.
    if sheet.page_setup.fitToWidth not in (None, 1) or sheet.page_setup.fitToHeight != 0:
        problems.append(
            f"{where}: fitted {sheet.page_setup.fitToWidth} wide, "
            f"{sheet.page_setup.fitToHeight} tall, not one page wide"
        )
    return problems


def check_workbook(path, expected):
    problems = []
    workbook = openpyxl.load_workbook(path)
    data = workbook.worksheets[0]
    headers = {cell.value: cell.column for cell in data[1] if cell.value}
    for header, kind in expected.items():
        if header not in headers:
            problems.append(f"{path}: no column {header}")
            continue
        letter = get_column_letter(headers[header])
        where = f"{path}:{data.title}!{letter} ({header})"
        if kind in FORMAT and column_format(data, headers[header]) != FORMAT[kind]:
            problems.append(
                f"{where}: formatted {column_format(data, headers[header])!r}, not {FORMAT[kind]!r}"
            )
        for row in (2, 5000):
            validation = validation_of(data, f"{letter}{row}")
            if validation is None:
                problems.append(f"{where}: row {row} is not validated")
            else:
                problems.extend(check_validation(where, validation, kind))
    for sheet in workbook.worksheets:
        problems.extend(check_print(f"{path}:{sheet.title}", sheet))
    return problems


def main():
    folder = sys.argv[1]
    problems = []
    for name, expected in EXPECTED.items():
        problems.extend(check_workbook(f"{folder}/{name}", expected))
    for problem in problems:
        print(problem)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
