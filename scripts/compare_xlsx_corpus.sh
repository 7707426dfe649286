#!/usr/bin/env bash
# Compares consolida's own xlsx reader with calamine's on every .xlsx and
# .xlsm under a folder, cell by cell and merged region by merged region, then
# on damaged copies of each (one damage inside a part each: the workbook
# part, a worksheet, the shared strings, the styles).
#
#   scripts/compare_xlsx_corpus.sh FOLDER [--mutations N] [--seed S]
#
# FOLDER is the corpus, kept outside the repository (BENCHMARKS.md, "The xlsx
# reader against calamine", says how the one measured was gathered);
# tests/fixtures/xlsx_corpus is its committed subset. --mutations N damages
# each file N times (2 by default; 0 for none), --seed S picks the damages
# (21 by default), so that a run can be repeated. Prints the totals and every
# file where the readers disagree; exits 1 when there is one.
#
# CONSOLIDA_PROFILE=dev builds without optimisations (quicker to build, a
# few times slower to run; the checks are the same).
set -euo pipefail

if [ $# -lt 1 ] || [ ! -d "$1" ]; then
    echo "usage: $0 FOLDER [--mutations N] [--seed S]" >&2
    exit 2
fi
folder=$1
shift
case " $* " in
    *" --mutations "*) ;;
    *) set -- --mutations 2 "$@" ;;
esac

cd "$(dirname "$0")/.."
profile=${CONSOLIDA_PROFILE:-release}
cargo build --quiet --profile "$profile" --example compare_xlsx_readers
directory=$profile
[ "$profile" = dev ] && directory=debug
exec "target/$directory/examples/compare_xlsx_readers" "$folder" "$@"
