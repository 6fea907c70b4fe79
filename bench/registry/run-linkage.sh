#!/usr/bin/env bash
# Duplicate finding on a generated population: builds the release binaries and runs linkage_bench.
# Run from anywhere:   bash bench/registry/run-linkage.sh [PERSONS] [extra linkage_bench options]
#   PERSONS   records to generate (default 1000000; about 10 % are extra records of a person)
# Environment: SEED (1), THREADS (2), JOBS (2, build jobs), BUILD_DIR (build/release).
# It is a measurement: it exits 0 whether or not the goals are met, non-zero only if it could not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PERSONS=${1:-1000000}
shift || true
SEED=${SEED:-1}
THREADS=${THREADS:-2}
JOBS=${JOBS:-2}
BUILD_DIR=${BUILD_DIR:-$ROOT/build/release}

cd "$ROOT"
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  cmake --preset release -B "$BUILD_DIR" >/dev/null
fi
cmake --build "$BUILD_DIR" --target linkage_bench generate -j "$JOBS"

OUT=$(mktemp "${TMPDIR:-/tmp}/linkage-bench.XXXXXX")
trap 'rm -f "$OUT"' EXIT
echo
echo "linkage_bench --persons $PERSONS --seed $SEED --threads $THREADS $*"
"$BUILD_DIR/bench/registry/linkage_bench" --persons "$PERSONS" --seed "$SEED" --threads "$THREADS" "$@" | tee "$OUT"

f1=$(awk '$1 == "F1" { print $2 }' "$OUT")
linkage_seconds=$(awk '$1 == "linkage" { print $2 }' "$OUT")
total_seconds=$(awk '/ total / { print $(NF - 1) }' "$OUT")
peak_mib=$(awk '$1 == "peak" { print $3 }' "$OUT")
[[ -n "$f1" ]] || { echo "run-linkage: no F1 in the output" >&2; exit 1; }
verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "NOT met"; fi; }
echo
echo "goals (set for 1,000,000 records):"
echo "  F1 >= 0.97: $f1, $(verdict "$f1 >= 0.97")"
echo "  under 600 s: linkage $linkage_seconds s, whole run $total_seconds s, $(verdict "$total_seconds < 600")"
echo "  peak memory under 4096 MiB: $peak_mib MiB, $(verdict "$peak_mib < 4096")"
