"""An independent reader's view of a consolida workbook, with openpyxl.

Usage: python3 tests/xlsx_check.py WORKBOOK.xlsx SUMMARY.json

Checks what would make Excel "repair" the file or show something other than the
report: tables whose header cells differ from their column names, tables that
overlap each other or a sheet autofilter, totals rows whose formulas do not add up
their own column, formulas that do not parse, links to cells that do not exist,
names and texts beyond Excel's limits; then that the cached figures equal
summary.json (the monitoring sheet's expected values among them), and that panes, print setup, conditional formats, charts and the
creation time are in place. Any warning openpyxl raises while reading is an error.
Prints every problem found and exits 1 if there is any.
"""

import datetime
import json
import re
import sys
import warnings

warnings.simplefilter("error")

import openpyxl  # noqa: E402
from openpyxl.formula import Tokenizer  # noqa: E402
from openpyxl.utils import range_boundaries  # noqa: E402

CATEGORIES = [
    "consortium",
    "large_enterprise",
    "sme",
    "university_research",
    "trade_association",
    "public_body",
    "other",
]


def cells_of(ref):
    min_col, min_row, max_col, max_row = range_boundaries(ref)
    return {(r, c) for r in range(min_row, max_row + 1) for c in range(min_col, max_col + 1)}


def check_tables(wb, problems):
    names = set()
    for ws in wb.worksheets:
        if ws.auto_filter.ref and ws.tables:
            problems.append(f"{ws.title}: a sheet autofilter beside a table")
        taken = set()
        for table in ws.tables.values():
            where = f"{ws.title}: table {table.name}"
            if table.name.lower() in names:
                problems.append(f"{where}: the name is used twice")
            names.add(table.name.lower())
            if table.displayName != table.name:
                problems.append(f"{where}: displayName {table.displayName}")
            min_col, min_row, max_col, max_row = range_boundaries(table.ref)
            cells = cells_of(table.ref)
            if cells & taken:
                problems.append(f"{where}: overlaps another table")
            taken |= cells
            for merged in ws.merged_cells.ranges:
                if cells & cells_of(merged.coord):
                    problems.append(f"{where}: overlaps merged cells {merged.coord}")
            columns = table.tableColumns
            if len(columns) != max_col - min_col + 1:
                problems.append(f"{where}: {len(columns)} columns for {table.ref}")
            for offset, column in enumerate(columns):
                header = ws.cell(min_row, min_col + offset).value
                if header != column.name:
                    problems.append(f"{where}: header {header!r} is not column {column.name!r}")
            totals = table.totalsRowCount or 0
            if table.autoFilter is not None:
                expected = ws.cell(min_row, min_col).coordinate + ":" + ws.cell(max_row - totals, max_col).coordinate
                if table.autoFilter.ref != expected:
                    problems.append(f"{where}: autofilter {table.autoFilter.ref}, expected {expected}")
            if totals:
                check_totals_row(ws, table, min_col, max_row, problems)
    return names


def check_totals_row(ws, table, min_col, row, problems):
    for offset, column in enumerate(table.tableColumns):
        cell = ws.cell(row, min_col + offset)
        where = f"{ws.title}!{cell.coordinate}"
        if column.totalsRowLabel is not None and cell.value != column.totalsRowLabel:
            problems.append(f"{where}: label {cell.value!r}, table says {column.totalsRowLabel!r}")
        if column.totalsRowFunction == "sum":
            name = re.sub(r"([\[\]#'])", r"'\1", column.name)
            expected = f"=SUBTOTAL(109,{table.name}[{name}])"
            if cell.value != expected:
                problems.append(f"{where}: {cell.value!r}, expected {expected!r}")


CELL = r"[A-Z]+\d+"
COLUMN = r"\w+\[[^\]\"]+\]"
CRITERION = r"\"=\"&\$?[A-Z]+\$?\d+"
# A target's expected value: blank before the baseline month, then one segment
# of its path after the other, the target from the deadline on.
SEGMENT = (
    rf"IF\(\$B\$1<{CELL},{CELL}\+ROUND\(\({CELL}-{CELL}\)\*DATEDIF\({CELL},\$B\$1,\"m\"\)"
    rf"/DATEDIF\({CELL},{CELL},\"m\"\),[24]\),"
)
OWN_FORMULA = re.compile(
    r"^=(SUBTOTAL\(109,\w+\[.+\]\)|SUM\([A-Z]+\d+:[A-Z]+\d+\)"
    r"|IF\([A-Z]+\d+>0,ROUND\([A-Z]+\d+/[A-Z]+\d+,4\),\"\"\)|'[^']+'![A-Z]+\d+"
    rf"|IF\(\$B\$1<{CELL},\"\",({SEGMENT})+{CELL}\)+"
    rf"|IF\(OR\({CELL}=\"\",{CELL}=\"\"\),\"\",ROUND\({CELL}-{CELL},[24]\)\)"
    # Counts over a detail sheet's table, each criterion a cell of the table's own.
    rf"|COUNTIFS\({COLUMN},{CRITERION}(,{COLUMN},{CRITERION})?\)"
    rf"|SUMIFS\({COLUMN},{COLUMN},{CRITERION}\))$"
)


def check_cells(wb, problems):
    for ws in wb.worksheets:
        if len(ws.title) > 31 or re.search(r"[\[\]:*?/\\]", ws.title):
            problems.append(f"sheet name {ws.title!r} breaks Excel's rules")
        for row in ws.iter_rows():
            for cell in row:
                value = cell.value
                where = f"{ws.title}!{cell.coordinate}"
                if isinstance(value, str) and len(value.encode("utf-16-le")) // 2 > 32767:
                    problems.append(f"{where}: text longer than 32,767")
                if cell.data_type == "f":
                    if not OWN_FORMULA.match(value):
                        problems.append(f"{where}: a formula the workbook does not write: {value!r}")
                    try:
                        Tokenizer(value)
                    except Exception as error:  # noqa: BLE001
                        problems.append(f"{where}: formula {value!r} does not parse: {error}")
                if cell.hyperlink is not None:
                    check_link(wb, where, cell.hyperlink, problems)


def check_link(wb, where, link, problems):
    if not link.location:
        problems.append(f"{where}: a link that is not internal: {link.target!r}")
        return
    sheet, _, cell = link.location.rpartition("!")
    sheet = sheet.strip("'").replace("''", "'")
    if sheet not in wb.sheetnames:
        problems.append(f"{where}: link to a missing sheet {sheet!r}")
        return
    target = wb[sheet]
    min_col, min_row, _, _ = range_boundaries(cell)
    if min_row > max(target.max_row, 1) or min_col > max(target.max_column, 1):
        problems.append(f"{where}: link to {link.location}, outside {sheet}'s data")


# The sheets by their index: the summary, the member and project tables, the
# financing audit, the de minimis and partner audits, the member sheet while
# the members are listed, the issues and the sources; the monitoring sheets
# last.
AUDIT, DE_MINIMIS, PARTNERS = 5, 6, 7
MONITORING, TREND, MOVEMENTS = -3, -2, -1


def check_layout(wb, summary, problems):
    targets = len(summary["monitoring"])
    total = summary["trend"]["total"]
    moves = sum(n or 0 for n in total["joined"] + total["left"])
    audit = summary["audit"]
    count = len(wb.worksheets)
    monitoring, trend, movements = (count + i for i in (MONITORING, TREND, MOVEMENTS))
    sources = movements - 3
    # The monitoring sheet has its header below the period; it and the trend
    # sheet keep the indicator in view.
    panes = {monitoring: "C6", trend: "C2"}
    titles = {monitoring: "$5:$5"}
    # Without targets, members who moved, members above the de minimis ceiling
    # or partners, those sheets say so below a plain header.
    plain = {
        monitoring: targets == 0,
        movements: moves == 0,
        DE_MINIMIS: not audit["de_minimis"],
        PARTNERS: partnerless(wb),
    }
    for index, ws in enumerate(wb.worksheets):
        setup = ws.page_setup
        if setup.orientation != "landscape" or str(setup.paperSize) != "9":
            problems.append(f"{ws.title}: not A4 landscape")
        if not ws.sheet_properties.pageSetUpPr.fitToPage or setup.fitToHeight not in (0, "0"):
            problems.append(f"{ws.title}: not fitted to the page width")
        if "&P" not in (ws.oddFooter.center.text or ""):
            problems.append(f"{ws.title}: no page number in the footer")
        if index > 0:
            if ws.freeze_panes != panes.get(index, "B2"):
                problems.append(f"{ws.title}: panes frozen at {ws.freeze_panes}")
            if ws.print_title_rows != titles.get(index, "$1:$1"):
                problems.append(f"{ws.title}: print titles {ws.print_title_rows}")
            tables = 0 if plain.get(index) else 1
            if len(ws.tables) != tables:
                problems.append(f"{ws.title}: {len(ws.tables)} tables")
    charts = [len(ws._charts) for ws in wb.worksheets]
    expected = [0, 1, 0, 1] + [0] * (trend - 4)
    if charts[:trend] != expected or charts[trend] not in (1, 2) or charts[movements:] != [0]:
        problems.append(f"charts per sheet: {charts}")
    rules = [sum(len(r.rules) for r in ws.conditional_formatting) for ws in wb.worksheets]
    if (
        rules[0] != 8
        or rules[AUDIT] != 2
        or rules[DE_MINIMIS] != (1 if audit["de_minimis"] else 0)
        or rules[PARTNERS] != (0 if plain[PARTNERS] else 2)
        or rules[sources] != 1
        or rules[monitoring] != (4 if targets else 0)
    ):
        problems.append(f"conditional format rules per sheet: {rules}")
    created = wb.properties.created
    if created != datetime.datetime(2026, 11, 30, 0, 0):
        problems.append(f"creation time {created}")


def partnerless(wb):
    """Whether the partner sheet says that no project has partners (its table's place empty)."""
    return wb.worksheets[PARTNERS].cell(2, 2).value is None


def number(value, where, problems):
    if not isinstance(value, (int, float)):
        problems.append(f"{where}: {value!r} is not a number")
        return None
    return value


def check_figures(values, summary, problems):
    """Cached figures (what a reader that does not recalculate shows) against summary.json."""
    members = summary["members"]
    ws = values.worksheets[1]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    for cluster, group in members["by_cluster"].items():
        row = rows.get(cluster)
        if row is None:
            problems.append(f"{ws.title}: no row {cluster}")
            continue
        shown = [row[i + 1] for i in range(7)] + [row[8]]
        expected = [group["by_category"][c] for c in CATEGORIES] + [group["total"]]
        if shown != expected:
            problems.append(f"{ws.title}: {cluster} {shown} != {expected}")
    last = list(ws.iter_rows(min_row=len(members["by_cluster"]) + 2, max_row=len(members["by_cluster"]) + 2, values_only=True))[0]
    expected = [members["by_category"][c] for c in CATEGORIES] + [members["total"]]
    if list(last[1:9]) != expected:
        problems.append(f"{ws.title}: totals {last[1:9]} != {expected}")
    projects = summary["projects"]
    ws = values.worksheets[3]
    total_row = len(projects["by_cluster"]) + 2
    total = [ws.cell(total_row, c).value for c in range(2, 6)]
    expected = [projects[k] for k in ("count", "project_value", "financing", "financing_ratio")]
    if total != expected:
        problems.append(f"{ws.title}: totals {total} != {expected}")
    check_targets(values.worksheets[MONITORING], summary["monitoring"], problems)
    check_de_minimis(values.worksheets[DE_MINIMIS], summary["audit"]["de_minimis"], problems)
    check_partner_breaches(values.worksheets[PARTNERS], summary["audit"]["partner_breaches"], problems)
    summary_sheet = values.worksheets[0]
    figure = number(summary_sheet["B7"].value, "summary B7", problems)
    if figure is not None and figure != members["total"]:
        problems.append(f"summary: members {figure} != {members['total']}")


def check_de_minimis(ws, members, problems):
    """Each member above the de minimis ceiling: id, financing, limit and excess, then their totals."""
    rows = list(ws.iter_rows(min_row=2, max_row=len(members) + 2, values_only=True))
    for number, (row, member) in enumerate(zip(rows, members), start=2):
        shown = [row[0], row[4], row[5], row[6]]
        expected = [member[k] for k in ("member_id", "financing", "limit", "excess")]
        if shown != expected:
            problems.append(f"{ws.title} row {number}: {shown} != {expected}")
    if members:
        totals = rows[len(members)]
        excess = round(sum(m["excess"] for m in members), 2)
        if round(totals[6], 2) != excess:
            problems.append(f"{ws.title}: total excess {totals[6]} != {excess}")


def check_partner_breaches(ws, breaches, problems):
    """Each partner above its own cap, first in the sheet, with its shares and excess."""
    rows = list(ws.iter_rows(min_row=2, max_row=len(breaches) + 1, values_only=True))
    for number, (row, partner) in enumerate(zip(rows, breaches), start=2):
        shown = [row[0], row[1], row[4], row[5], row[13]]
        keys = ("project_id", "member_id", "cost_share", "financing_share", "excess")
        expected = [partner[k] for k in keys]
        if shown != expected:
            problems.append(f"{ws.title} row {number}: {shown} != {expected}")


def check_targets(ws, targets, problems):
    """The cached expected values, actual values and gaps of the monitoring sheet."""
    rows = list(ws.iter_rows(min_row=6, values_only=True))[: len(targets)]
    if len(rows) != len(targets):
        problems.append(f"{ws.title}: {len(rows)} rows for {len(targets)} targets")
    for number, (row, target) in enumerate(zip(rows, targets), start=6):
        # Expected, actual and gap come before the status and the origin.
        shown = [None if v == "" else v for v in row[-5:-2]]
        expected = [target[k] for k in ("expected", "actual", "gap")]
        if shown != expected:
            problems.append(f"{ws.title} row {number}: {shown} != {expected}")


def main(path, summary_path):
    with open(summary_path, encoding="utf-8") as file:
        summary = json.load(file)
    problems = []
    try:
        wb = openpyxl.load_workbook(path)
        values = openpyxl.load_workbook(path, data_only=True)
    except Exception as error:  # noqa: BLE001
        print(f"{path}: openpyxl cannot read it: {error!r}")
        return 1
    tables = check_tables(wb, problems)
    check_cells(wb, problems)
    check_layout(wb, summary, problems)
    check_figures(values, summary, problems)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"{path}: {len(wb.worksheets)} sheets, {len(tables)} tables read by openpyxl {openpyxl.__version__}: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
