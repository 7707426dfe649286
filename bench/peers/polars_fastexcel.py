"""The polars peer: reads the members and projects with polars (`read_excel` with
the calamine engine, that is fastexcel, for xlsx; polars' own reader for CSV),
does the aggregation of common.py and writes the workbook with `write_excel`.

    python bench/peers/polars_fastexcel.py INPUTS_DIR OUT.xlsx
"""

import polars as pl
import xlsxwriter

import common


def read(path, columns, first_header):
    """The table below its header row, every column as text, positional names."""
    if path.suffix == ".csv":
        raw = pl.read_csv(path, separator=";", has_header=False, infer_schema=False)
    else:
        raw = pl.read_excel(path, engine="calamine", has_header=False, infer_schema_length=0)
    first = raw.to_series(0).head(10).to_list()
    header = first.index(first_header)
    table = raw.slice(header + 1).select(raw.columns[: len(columns)])
    return table.rename(dict(zip(table.columns, columns)))


def amount(name):
    """Euros from numbers written as text or Italian text."""
    text = pl.col(name).str.strip_chars()
    italian = text.str.replace_all(r"[.€ ]", "").str.replace(",", ".", literal=True)
    return (
        pl.when(text.str.contains(",", literal=True)).then(italian).otherwise(text)
        .cast(pl.Float64, strict=False)
        .alias(name)
    )


def date(name):
    """Dates from ISO text (date cells read as text) or dd/mm/yyyy."""
    text = pl.col(name).str.strip_chars()
    return pl.coalesce(
        text.str.slice(0, 10).str.to_date("%Y-%m-%d", strict=False),
        text.str.to_date("%d/%m/%Y", strict=False),
    ).alias(name)


def main():
    inputs, out, clusters = common.arguments()
    end = common.PERIOD_END
    members = read(common.input_file(inputs, "soci"), common.MEMBER_COLUMNS, "Codice fiscale / P.IVA")
    projects = read(common.input_file(inputs, "progetti"), common.PROJECT_COLUMNS, "CUP")

    members = (
        members.with_columns(
            pl.col("category").str.strip_chars().str.to_lowercase().replace_strict(common.CATEGORIES, default=None),
            pl.col("cluster").str.strip_chars().str.to_lowercase().replace_strict(clusters, default=None),
            date("joined"),
            date("left"),
        )
        .drop_nulls(["id", "category", "cluster"])
        .unique(["cluster", "id"], keep="first", maintain_order=True)
    )
    active = members.filter((pl.col("joined") <= end) & (pl.col("left").is_null() | (pl.col("left") >= end)))
    by_category = active.pivot(on="category", index="cluster", values="id", aggregate_function="len").fill_null(0)

    lead_category = members.unique("id", keep="first").select(pl.col("id").alias("lead"), pl.col("category").alias("lead_category"))
    call = pl.col("call")
    max_ratio = (
        pl.when(call.str.starts_with("Asse 1")).then(0.70)
        .when(call.str.starts_with("Bando Ergon")).then(0.50)
        .when(call.str.starts_with("Call Hub") & (pl.col("lead_category") == "large_enterprise")).then(0.50)
        .when(call.str.starts_with("Call Hub")).then(0.70)
        .when(call.str.starts_with("Bando Tech Fast")).then(0.60)
        .otherwise(0.80)
    )
    grant = (
        pl.when(call.str.starts_with("Bando Ergon")).then(200000.0)
        .when(call.str.starts_with("Bando Tech Fast")).then(500000.0)
        .otherwise(None)
    )
    projects = (
        projects.with_columns(
            pl.col("cluster").str.strip_chars().str.to_lowercase().replace_strict(clusters, default=None),
            amount("value"),
            amount("financing"),
            date("approved"),
        )
        .drop_nulls(["cup", "cluster", "value", "financing"])
        .filter((pl.col("value") > 0) & (pl.col("approved").is_null() | (pl.col("approved") <= end)))
        .unique("cup", keep="first", maintain_order=True)
        .join(lead_category, on="lead", how="left")
        .with_columns(max_ratio.alias("max_ratio"), grant.alias("grant"))
        .with_columns(
            (pl.col("financing") / pl.col("value")).alias("ratio"),
            (pl.col("financing") - pl.min_horizontal(pl.col("value") * pl.col("max_ratio"), pl.col("grant")))
            .clip(lower_bound=0).round(2).alias("excess"),
        )
    )

    def totals(key):
        return (
            projects.group_by(key, maintain_order=True)
            .agg(pl.len().alias("projects"), pl.col("value").sum(), pl.col("financing").sum())
            .with_columns((pl.col("financing") / pl.col("value")).alias("ratio"))
            .sort(key)
        )

    audit = projects.select("cup", "cluster", "call", "value", "financing", "ratio", "max_ratio", "excess")
    with xlsxwriter.Workbook(out) as workbook:
        by_category.sort("cluster").write_excel(workbook, worksheet="Soci per cluster")
        totals("cluster").write_excel(workbook, worksheet="Progetti per cluster")
        totals("call").write_excel(workbook, worksheet="Progetti per bando")
        audit.write_excel(workbook, worksheet="Verifica massimali")
    print(f"{active.height} active members, {projects.height} projects, {projects.filter(pl.col('excess') > 0).height} breaches")


if __name__ == "__main__":
    main()
