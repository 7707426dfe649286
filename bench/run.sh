#!/usr/bin/env bash
# The benchmark harness behind `just bench`: builds the release binary and the
# bench examples, generates the missing workloads under bench/data/, runs every
# tool on every size RUNS times under /usr/bin/time, and writes the medians with
# the machine's description to bench/results.md (copied into BENCHMARKS.md by hand,
# with the analysis).
#
#   bash bench/run.sh [--sizes "10000 100000"] [--runs 3] [--with-1m] [--no-pandas-above N] [--no-build]
#
# --no-build uses the binaries already built. The floor is a package of its own
# (bench/floor: calamine alone, built into the same target/), and the generator
# is built in the dev profile with the tests: a release build of an example would
# unify the dev-dependencies' features and rebuild polars. READ_FLOOR=path
# overrides the floor binary.
set -euo pipefail
cd "$(dirname "$0")/.."

SIZES="10000 100000"
RUNS=3
PANDAS_MAX=1000000
BUILD=true
while [ $# -gt 0 ]; do
  case "$1" in
    --sizes) SIZES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --with-1m) SIZES="$SIZES 1000000"; shift ;;
    --no-pandas-above) PANDAS_MAX="$2"; shift 2 ;;
    --no-build) BUILD=false; shift ;;
    *) echo "bench/run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

if [ ! -x /usr/bin/time ]; then
  echo "bench/run.sh: /usr/bin/time is missing: apt-get install -y time" >&2
  exit 2
fi
if [ "$BUILD" = true ]; then
  cargo build --release --quiet --bin consolida
  cargo build --release --quiet --manifest-path bench/floor/Cargo.toml --target-dir target
  cargo build --quiet --example generate_inputs
fi
if [ ! -x bench/.venv/bin/python ]; then
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet -r bench/requirements.txt
fi
PY=bench/.venv/bin/python
BIN=target/release/consolida
GENERATE=target/debug/examples/generate_inputs
FLOOR=${READ_FLOOR:-target/release/read_floor}

for n in $SIZES; do
  [ -f "bench/data/xlsx-$n/progetti.xlsx" ] || "$GENERATE" "bench/data/xlsx-$n" --members "$n"
  [ -f "bench/data/csv-$n/progetti.csv" ] || "$GENERATE" "bench/data/csv-$n" --members "$n" --csv
done

SCRATCH=$(mktemp -d /tmp/consolida-bench.XXXXXX)
trap 'rm -rf "$SCRATCH"' EXIT
ROWS="$SCRATCH/rows.tsv"
: > "$ROWS"

# measure LABEL SIZE FORMAT CMD...: RUNS runs; one row of medians (wall s, CPU s,
# peak RSS MiB) and, when the command prints {"seconds": ...}, the median of that
# in-process time (the floors report the read alone, without process start).
measure() {
  local label=$1 size=$2 format=$3; shift 3
  local samples="$SCRATCH/samples"
  : > "$samples"
  for _ in $(seq "$RUNS"); do
    rm -rf "$SCRATCH/out"
    /usr/bin/time -f "%e %U %S %M" -o "$SCRATCH/time" "$@" > "$SCRATCH/stdout" 2> "$SCRATCH/stderr" || {
      echo "bench/run.sh: $label on $size ($format) failed:" >&2; cat "$SCRATCH/stderr" >&2; return 1; }
    local inner
    inner=$(sed -n 's/.*"seconds": \([0-9.]*\).*/\1/p' "$SCRATCH/stdout" | head -1)
    read -r wall user sys rss < <(tail -1 "$SCRATCH/time")
    echo "$wall $(awk -v u="$user" -v s="$sys" 'BEGIN { print u + s }') $rss ${inner:--}" >> "$samples"
  done
  local median
  median=$(awk -v n="$RUNS" '
    { w[NR]=$1; c[NR]=$2; r[NR]=$3; s[NR]=$4 }
    function med(a,   i, j, t, m) { m=n; for (i=1;i<=m;i++) for (j=i+1;j<=m;j++) if (a[j]+0 < a[i]+0) { t=a[i]; a[i]=a[j]; a[j]=t }
      return (m % 2) ? a[(m+1)/2] : (a[m/2] + a[m/2+1]) / 2 }
    END { inner = (s[1] == "-") ? "-" : sprintf("%.3f", med(s));
          printf "%.3f\t%.3f\t%.0f\t%s\n", med(w), med(c), med(r)/1024, inner }' "$samples")
  printf '%s\t%s\t%s\t%s\n' "$size" "$format" "$label" "$median" >> "$ROWS"
  echo "  $label $size $format: $median" >&2
}

CONSOLIDA=("$BIN" run --out "$SCRATCH/out" --period 2026-11 --quiet --format xlsx,pdf,csv --inputs)

echo "default inputs/ (xlsx + pdf + csv + json):" >&2
measure "consolida" "inputs/" xlsx "${CONSOLIDA[@]}" inputs
for n in $SIZES; do
  echo "size $n:" >&2
  x="bench/data/xlsx-$n"; c="bench/data/csv-$n"
  measure "floor: calamine read" "$n" xlsx "$FLOOR" "$x/soci.xlsx" "$x/progetti.xlsx"
  measure "consolida" "$n" xlsx "${CONSOLIDA[@]}" "$x"
  measure "polars + fastexcel" "$n" xlsx "$PY" bench/peers/polars_fastexcel.py "$x" "$SCRATCH/polars.xlsx"
  if [ "$n" -le "$PANDAS_MAX" ]; then
    measure "pandas + openpyxl" "$n" xlsx "$PY" bench/peers/pandas_openpyxl.py "$x" "$SCRATCH/pandas.xlsx"
  fi
  measure "floor: polars read_csv (Python)" "$n" csv "$PY" bench/floor_csv.py "$c/soci.csv" "$c/progetti.csv"
  measure "consolida" "$n" csv "${CONSOLIDA[@]}" "$c"
  measure "polars" "$n" csv "$PY" bench/peers/polars_fastexcel.py "$c" "$SCRATCH/polars.xlsx"
  if [ "$n" -le "$PANDAS_MAX" ]; then
    measure "pandas" "$n" csv "$PY" bench/peers/pandas_openpyxl.py "$c" "$SCRATCH/pandas.xlsx"
  fi
done

{
  echo "## Results ($(date -u +%Y-%m-%d), median of $RUNS runs)"
  echo
  echo "Machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)," \
    "$(free -h | awk '/^Mem:/ {print $2}') memory; $(uname -sr); load average at the end" \
    "$(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Versions: $(rustc --version), consolida $("$BIN" --version | awk '{print $2}')," \
    "$("$PY" --version), pandas $("$PY" -c 'import pandas; print(pandas.__version__)')," \
    "openpyxl $("$PY" -c 'import openpyxl; print(openpyxl.__version__)')," \
    "polars $("$PY" -c 'import polars; print(polars.__version__)')," \
    "fastexcel $("$PY" -c 'import fastexcel; print(fastexcel.__version__)')."
  echo
  echo "| size (member rows) | format | tool | wall s | CPU s | peak RSS MiB | read alone s | wall ÷ floor |"
  echo "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: |"
  awk -F'\t' '
    /floor/ { floor[$1 FS $2] = $7 }
    { key = $1 FS $2; ratio = (key in floor && $3 !~ /floor/) ? sprintf("%.1f×", $4 / floor[key]) : "";
      printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, ratio }' "$ROWS"
} > bench/results.md
cat bench/results.md
