"""The pandas peer: reads the members and projects with pandas (openpyxl for xlsx,
pandas' own reader for CSV), does the aggregation of common.py and writes the
workbook with xlsxwriter.

    python bench/peers/pandas_openpyxl.py INPUTS_DIR OUT.xlsx
"""

import pandas as pd

import common


def read(path, columns, first_header):
    """The table below its header row, with positional column names."""
    if path.suffix == ".csv":
        raw = pd.read_csv(path, sep=";", header=None, dtype=str)
    else:
        raw = pd.read_excel(path, header=None, dtype=object, engine="openpyxl")
    header = raw.iloc[:10, 0].tolist().index(first_header)
    table = raw.iloc[header + 1 :, : len(columns)].copy()
    table.columns = columns
    return table.reset_index(drop=True)


def amounts(series):
    """Euros from numbers or Italian text."""
    numbers = pd.to_numeric(series, errors="coerce")
    text = series[numbers.isna() & series.notna()].astype(str)
    cleaned = (
        text.str.replace("€", "", regex=False)
        .str.replace(".", "", regex=False)
        .str.replace(",", ".", regex=False)
        .str.strip()
    )
    numbers.loc[cleaned.index] = pd.to_numeric(cleaned, errors="coerce")
    return numbers


def dates(series):
    """Dates from date cells or text dd/mm/yyyy or ISO."""
    is_text = series.map(lambda v: isinstance(v, str))
    out = pd.to_datetime(series.where(~is_text), errors="coerce")
    text = series[is_text]
    parsed = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce").fillna(
        pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    )
    out.loc[parsed.index] = parsed
    return out


def main():
    inputs, out, clusters = common.arguments()
    end = pd.Timestamp(common.PERIOD_END)
    members = read(common.input_file(inputs, "soci"), common.MEMBER_COLUMNS, "Codice fiscale / P.IVA")
    projects = read(common.input_file(inputs, "progetti"), common.PROJECT_COLUMNS, "CUP")

    members["category"] = members["category"].str.strip().str.lower().map(common.CATEGORIES)
    members["cluster"] = members["cluster"].str.strip().str.lower().map(clusters)
    members = members.dropna(subset=["id", "category", "cluster"])
    members = members.drop_duplicates(subset=["cluster", "id"])
    members["joined"] = dates(members["joined"])
    members["left"] = dates(members["left"])
    active = members[(members["joined"] <= end) & (members["left"].isna() | (members["left"] >= end))]
    by_category = (
        active.pivot_table(index="cluster", columns="category", values="id", aggfunc="count", fill_value=0)
        .reset_index()
    )

    projects["cluster"] = projects["cluster"].str.strip().str.lower().map(clusters)
    projects["value"] = amounts(projects["value"])
    projects["financing"] = amounts(projects["financing"])
    projects["approved"] = dates(projects["approved"])
    projects = projects.dropna(subset=["cup", "cluster", "value", "financing"])
    projects = projects[(projects["value"] > 0) & (projects["approved"].isna() | (projects["approved"] <= end))]
    projects = projects.drop_duplicates(subset=["cup"])

    lead_category = members.drop_duplicates(subset=["id"]).set_index("id")["category"]
    projects["lead_category"] = projects["lead"].map(lead_category)
    caps = [common.cap_of(str(c), l) for c, l in zip(projects["call"], projects["lead_category"])]
    projects["max_ratio"] = [c[0] for c in caps]
    grant = pd.Series([c[1] for c in caps], index=projects.index, dtype="float64")
    allowed = (projects["value"] * projects["max_ratio"]).where(grant.isna(), (projects["value"] * projects["max_ratio"]).clip(upper=grant))
    projects["ratio"] = projects["financing"] / projects["value"]
    projects["excess"] = (projects["financing"] - allowed).clip(lower=0).round(2)

    def totals(key):
        table = projects.groupby(key).agg(
            projects=("cup", "count"), value=("value", "sum"), financing=("financing", "sum")
        )
        table["ratio"] = table["financing"] / table["value"]
        return table.reset_index()

    audit = projects[["cup", "cluster", "call", "value", "financing", "ratio", "max_ratio", "excess"]]
    with pd.ExcelWriter(out, engine="xlsxwriter") as writer:
        by_category.to_excel(writer, sheet_name="Soci per cluster", index=False)
        totals("cluster").to_excel(writer, sheet_name="Progetti per cluster", index=False)
        totals("call").to_excel(writer, sheet_name="Progetti per bando", index=False)
        audit.to_excel(writer, sheet_name="Verifica massimali", index=False)
    print(f"{len(active)} active members, {len(projects)} projects, {int((projects['excess'] > 0).sum())} breaches")


if __name__ == "__main__":
    main()
