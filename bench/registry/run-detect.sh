#!/usr/bin/env bash
# Batch duplicate detection through the database: a generated registry loaded into SQLite and into PostgreSQL 15 (a
# throw-away cluster), then `welfare registry detect-duplicates`, timed, its peak memory taken, and the pairs it put
# in the review queue measured against the truth.
# Run from anywhere:   bash bench/registry/run-detect.sh [PERSONS]
#   PERSONS   person records to load (default 1000000; about 10 % are extra records of a person)
# Environment: SEED (1), THRESHOLD (0.9), LOAD_THREADS (2), JOBS (2 build jobs), BUILD_DIR (build/release),
#              DATABASES ("sqlite postgresql"), BENCH_DIR (scratch space; default /tmp), KEEP_BENCH_DIR=1 keeps it,
#              PG_SHARED_BUFFERS (1GB), EXPLAIN (0: print this many missed and wrong pairs and what they share),
#              MODEL=1 (estimate the job's model again on the records it read and print it).
# It is a measurement: it exits 0 whether or not the goals are met, non-zero only if it could not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PERSONS=${1:-1000000}
SEED=${SEED:-1}
THRESHOLD=${THRESHOLD:-0.9}
LOAD_THREADS=${LOAD_THREADS:-2}
JOBS=${JOBS:-2}
BUILD_DIR=${BUILD_DIR:-$ROOT/build/release}
DATABASES=${DATABASES:-sqlite postgresql}
PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-1GB}
EXPLAIN=${EXPLAIN:-0}
MODEL=${MODEL:-0}
GOAL_SECONDS=600
GOAL_MIB=4096

die() { echo "run-detect: $*" >&2; exit 1; }
# shellcheck source=bench/registry/lib.sh
source "$ROOT/bench/registry/lib.sh"

cd "$ROOT"
[[ "$BUILD_DIR" == /* ]] || BUILD_DIR="$ROOT/$BUILD_DIR"
bench_build "$BUILD_DIR" "$JOBS" welfare load_registry detect_score
WELFARE="$BUILD_DIR/src/app/welfare"
LOADER="$BUILD_DIR/bench/registry/load_registry"
SCORE="$BUILD_DIR/bench/registry/detect_score"

mkdir -p "${BENCH_DIR:-${TMPDIR:-/tmp}}"
WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/detect-bench.XXXXXX")
JOB_PID=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$JOB_PID" ]]; then
    kill "$JOB_PID" 2>/dev/null || true
    wait "$JOB_PID" 2>/dev/null || true
  fi
  pg_stop
  if [[ "${KEEP_BENCH_DIR:-0}" == 1 ]]; then
    echo "run-detect: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

verdict() { if awk "BEGIN { exit !($1) }"; then echo met; else echo "NOT met"; fi; }

# detect <url> <dir>: runs the job, prints its wall time and peak memory (the welfare process's maximum resident set
# size: from /usr/bin/time -v when installed, otherwise VmHWM sampled every 0.1 s while it runs).
detect() {
  local url=$1 dir=$2 started finished status=0 peak_kib="" measured
  echo "before the detection: $(load)"
  started=$(date +%s.%N)
  if [[ -x /usr/bin/time ]]; then
    measured="maximum resident set size (getrusage, /usr/bin/time -v)"
    /usr/bin/time -v -o "$dir/time.txt" "$WELFARE" registry detect-duplicates --database "$url" \
      --secret-key-file "$dir/secret.key" --threshold "$THRESHOLD" --json >"$dir/detect.json" 2>"$dir/detect.log" &
    JOB_PID=$!
    wait "$JOB_PID" || status=$?
    JOB_PID=""
    peak_kib=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$dir/time.txt" 2>/dev/null || true)
  else
    measured="VmHWM sampled every 0.1 s"
    "$WELFARE" registry detect-duplicates --database "$url" --secret-key-file "$dir/secret.key" \
      --threshold "$THRESHOLD" --json >"$dir/detect.json" 2>"$dir/detect.log" &
    JOB_PID=$!
    local sample
    while kill -0 "$JOB_PID" 2>/dev/null; do
      sample=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$JOB_PID/status" 2>/dev/null || true)
      [[ -n "$sample" ]] && peak_kib=$sample
      sleep 0.1
    done
    wait "$JOB_PID" || status=$?
    JOB_PID=""
  fi
  finished=$(date +%s.%N)
  [[ $status == 0 ]] || die "detect-duplicates failed (exit $status): $(tail -c 600 "$dir/detect.log")"
  echo "after the detection: $(load)"
  DETECT_SECONDS=$(awk -v a="$started" -v b="$finished" 'BEGIN { printf "%.1f", b - a }')
  DETECT_MIB=$(awk -v k="${peak_kib:-0}" 'BEGIN { printf "%.0f", k / 1024 }')
  echo
  echo "detect-duplicates     wall time $DETECT_SECONDS s, peak memory $DETECT_MIB MiB ($measured)"
}

# run_one <name> <database URL> <directory>: migrate, seed, load with the truth, detect, score.
run_one() {
  local name=$1 url=$2 dir=$3 key=$3/secret.key
  echo
  echo "=== $name: $PERSONS persons ==="
  "$WELFARE" migrate --database "$url" --secret-key-file "$key" >"$dir/migrate.log" 2>&1 ||
    die "migrate failed: $(tail -n 5 "$dir/migrate.log")"
  "$WELFARE" seed-demo --database "$url" --secret-key-file "$key" >"$dir/seed.log" 2>&1 ||
    die "seed-demo failed: $(tail -n 5 "$dir/seed.log")"
  echo "before the load: $(load)"
  "$LOADER" --database "$url" --secret-key-file "$key" --persons "$PERSONS" --seed "$SEED" --threads "$LOAD_THREADS" \
    --truth "$dir/truth.csv" | tee "$dir/load.txt" || die "load_registry failed"
  echo
  detect "$url" "$dir"
  local model_flag=()
  [[ "$MODEL" == 1 ]] && model_flag=(--model)
  "$SCORE" --database "$url" --truth "$dir/truth.csv" --summary "$dir/detect.json" --threshold "$THRESHOLD" \
    --explain "$EXPLAIN" "${model_flag[@]}" | tee "$dir/score.txt" || die "detect_score failed"
  local f1
  f1=$(awk '$1 == "F1" { print $2 }' "$dir/score.txt")
  echo
  echo "goals on $name (set for 1,000,000 persons):"
  echo "  detection under $GOAL_SECONDS s: $DETECT_SECONDS s, $(verdict "$DETECT_SECONDS < $GOAL_SECONDS")"
  echo "  peak memory under $GOAL_MIB MiB: $DETECT_MIB MiB, $(verdict "$DETECT_MIB < $GOAL_MIB")"
  echo "  (F1 $f1; the in-memory engine, run-linkage.sh, is the reference for quality)"
  SUMMARY+=("$(printf '%-10s  %8s s  %6s MiB  precision %s  recall %s  F1 %s' "$name" "$DETECT_SECONDS" "$DETECT_MIB" \
    "$(awk '$1 == "precision" { print $2 }' "$dir/score.txt")" "$(awk '$1 == "recall" { print $2 }' "$dir/score.txt")" \
    "$f1")")
}

SUMMARY=()
echo "run-detect: $PERSONS persons, seed $SEED, threshold $THRESHOLD; scratch $WORK"
echo "source: $(source_version "$ROOT")"
echo "machine: $(machine)"

for database in $DATABASES; do
  case "$database" in
    sqlite)
      mkdir -p "$WORK/sqlite"
      run_one SQLite "sqlite://$WORK/sqlite/registry.sqlite" "$WORK/sqlite"
      echo "database files: $(du -sh "$WORK/sqlite" | cut -f1)"
      [[ "${KEEP_BENCH_DIR:-0}" == 1 ]] || rm -f "$WORK/sqlite"/registry.sqlite*
      ;;
    postgresql)
      dir="$WORK/postgresql"
      mkdir -p "$dir"
      pg_start "$dir" "$PG_SHARED_BUFFERS"
      run_one PostgreSQL "$PG_URL" "$dir"
      echo "database size: $(pg_psql "$dir" "SELECT pg_size_pretty(pg_database_size('welfare'))" 2>/dev/null ||
        echo unknown)"
      pg_stop
      [[ "${KEEP_BENCH_DIR:-0}" == 1 ]] || rm -rf "$dir/cluster"
      ;;
    *) die "unknown database '$database' (sqlite, postgresql)" ;;
  esac
done

echo
echo "summary ($PERSONS persons; wall time and peak memory of detect-duplicates):"
printf '  %s\n' "${SUMMARY[@]}"
