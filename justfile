# Conveniences; nothing here is required: `cargo run --release` and `cargo test` do everything.

# The whole job on the shipped inputs, for the current month.
run *ARGS:
    cargo run --release -- {{ARGS}}

test:
    cargo test

# Exactly what CI runs (keep equal to .ci/run).
ci:
    cargo fmt --check
    cargo clippy --all-targets -- -D warnings
    bash .ci/test-tools
    cargo test

# Rewrite inputs/soci.xlsx, progetti.xlsx, partner.xlsx and obiettivi.xlsx from the seeded generator.
generate-inputs:
    cargo run --example generate_inputs -- inputs

# The benchmark against the calamine floor and the Python peers (bench/run.sh):
# `just bench --with-1m` adds the 1M-row workload, `--runs N` sets the repetitions.
bench *ARGS:
    bash bench/run.sh {{ARGS}}

# Look at the reports: PDF pages and the workbook rendered to PNG in /tmp/consolida-look.
look PERIOD="2026-11":
    cargo run --release -- --period {{PERIOD}}
    mkdir -p /tmp/consolida-look
    pdftoppm -png -r 60 reports/{{PERIOD}}/consolida-{{PERIOD}}.pdf /tmp/consolida-look/pdf
    soffice --headless --convert-to pdf --outdir /tmp/consolida-look reports/{{PERIOD}}/consolida-{{PERIOD}}.xlsx
