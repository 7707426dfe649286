#!/usr/bin/env bash
# What the monitoring's twelve-month trend adds to a run at 1M member rows
# (issue 22's 15 % target), in alternating rounds: a binary from before
# monitoring (OLD, on the workload's config without its [[target]]s), this
# checkout's release binary (NEW) with the default 12-month trend, and NEW
# with --trend-months 1. Each round runs the three one after another RUNS
# times and prints the medians of wall time and of user + sys CPU, the peak
# memory, and what NEW adds to OLD's wall time.
#
#   bash bench/trend_cost.sh OLD_BINARY [ROUNDS=3] [RUNS=5]
#
# OLD_BINARY: a release build of a commit before monitoring (e.g. 5d8dabf,
# built from `git worktree add --detach`). The workload is
# bench/data/xlsx-1000000 (`bash bench/run.sh --with-1m` generates it); its
# files are hard-linked (consolida refuses links out of the inputs folder)
# into $WORK (default /tmp/consolida-trend-cost), where the outputs go too.
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=${1:?usage: bash bench/trend_cost.sh OLD_BINARY [ROUNDS] [RUNS]}
ROUNDS=${2:-3}
RUNS=${3:-5}
NEW=${NEW:-target/release/consolida}
DATA=bench/data/xlsx-1000000
WORK=${WORK:-/tmp/consolida-trend-cost}
[ -f "$DATA/consolida.toml" ] || { echo "no $DATA: run bash bench/run.sh --with-1m first" >&2; exit 2; }
rm -rf "$WORK/old-in" "$WORK/new-in"
mkdir -p "$WORK/old-in"
cp -al "$DATA" "$WORK/new-in"
for f in "$DATA"/*; do
  [ "$(basename "$f")" = consolida.toml ] || ln "$f" "$WORK/old-in/"
done
# The config up to its first [[target]]: the old binary does not know them.
awk '/^\[\[target\]\]/ { exit } { print }' "$DATA/consolida.toml" > "$WORK/old-in/consolida.toml"
LOG=$WORK/rounds-$(date +%Y%m%d-%H%M%S).log
run() { # name binary inputs extra...
  local name=$1 bin=$2 inputs=$3; shift 3
  /usr/bin/time -f "$name %e %U %S %M" -a -o "$LOG" \
    "$bin" run --format xlsx,pdf,csv --quiet --inputs "$inputs" \
    --out "$WORK/out-$name" --period 2026-11 "$@" >/dev/null
}
touch "$LOG"
echo "old: $OLD  new: $NEW  log: $LOG"
for round in $(seq "$ROUNDS"); do
  echo "round $round, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  start=$(wc -l < "$LOG")
  for _ in $(seq "$RUNS"); do
    run old "$OLD" "$WORK/old-in"
    run new "$NEW" "$WORK/new-in"
    run new-1 "$NEW" "$WORK/new-in" --trend-months 1
  done
  tail -n +$((start + 1)) "$LOG" | python3 -c '
import sys, statistics as st
rows = {}
for line in sys.stdin:
    name, wall, user, sys_, rss = line.split()
    rows.setdefault(name, []).append((float(wall), float(user) + float(sys_), int(rss)))
med = {n: (st.median(r[0] for r in v), st.median(r[1] for r in v), max(r[2] for r in v) / 1024) for n, v in rows.items()}
base = med["old"][0]
for n in ("old", "new", "new-1"):
    wall, cpu, rss = med[n]
    added = "" if n == "old" else f"  {100 * (wall / base - 1):+.1f} % wall"
    print(f"  {n:6} wall {wall:6.2f} s  cpu {cpu:6.2f} s  peak {rss:5.0f} MiB{added}")
'
  echo "  load after: $(cut -d' ' -f1-3 /proc/loadavg)"
done
