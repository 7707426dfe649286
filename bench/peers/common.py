"""What the two Python peers share: the rules of the aggregation, stated once.

The peers do what `consolida` does on the same files, simplified as follows:
- members: a row counts when its category is one of the seven Italian labels (or a
  canonical key), its cluster is in `consolida.toml` (compared trimmed and
  case-insensitively), and it is active on the period end (joined on or before it,
  not left before it); a member listed twice in a cluster counts once;
- projects: a row counts when its cluster is known, its value is positive and it
  was approved on or before the period end (or has no approval date);
- caps: the rules of the shipped `consolida.toml`, by call prefix: Asse 1 0.70,
  Bando Ergon 0.50 (at most 200.000,00), Call Hub 0.70 (0.50 when the lead member is
  a large enterprise), Bando Tech Fast 0.60 (at most 500.000,00), anything else
  0.80; the excess is financing above min(value × ratio, grant), in euros;
- amounts are numbers or Italian text (`1.234,50 €`, `1234,50`); dates are date
  cells or text `dd/mm/yyyy` or ISO.
No de minimis check, no month-over-month, no issue list: those are consolida's own.
"""

import datetime
import sys
import tomllib
from pathlib import Path

PERIOD_END = datetime.date(2026, 11, 30)

CATEGORIES = {
    "consorzi di imprese": "consortium",
    "grandi imprese": "large_enterprise",
    "pmi": "sme",
    "università e centri di ricerca": "university_research",
    "associazioni di categoria": "trade_association",
    "enti di diritto pubblico": "public_body",
    "altro": "other",
}
CATEGORIES.update({key: key for key in list(CATEGORIES.values())})

MEMBER_COLUMNS = ["id", "name", "category", "cluster", "province", "joined", "left"]
PROJECT_COLUMNS = [
    "cup", "title", "cluster", "call", "lead", "value", "financing",
    "approved", "start", "end", "aid",
]


def arguments():
    """The inputs folder and the output workbook from the command line."""
    if len(sys.argv) != 3:
        sys.exit(f"usage: {sys.argv[0]} INPUTS_DIR OUT.xlsx")
    inputs = Path(sys.argv[1])
    config = tomllib.loads((inputs / "consolida.toml").read_text(encoding="utf-8"))
    clusters = {c.strip().lower(): c for c in config["clusters"]}
    return inputs, Path(sys.argv[2]), clusters


def input_file(inputs, stem):
    """`soci.xlsx` or `soci.csv`, whichever the folder has."""
    for ext in ("xlsx", "csv"):
        path = inputs / f"{stem}.{ext}"
        if path.exists():
            return path
    sys.exit(f"{inputs}: no {stem}.xlsx or {stem}.csv")


def cap_of(call, lead_category):
    """(max_ratio, max_grant in euros or None) for a project."""
    if call.startswith("Asse 1"):
        return 0.70, None
    if call.startswith("Bando Ergon"):
        return 0.50, 200000.0
    if call.startswith("Call Hub"):
        return (0.50 if lead_category == "large_enterprise" else 0.70), None
    if call.startswith("Bando Tech Fast"):
        return 0.60, 500000.0
    return 0.80, None
