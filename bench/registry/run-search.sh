#!/usr/bin/env bash
# Interactive registry search and registration with the duplicate check, through the HTTP API, on a large
# generated registry: SQLite first, then PostgreSQL 15 in a throw-away cluster.
# Run from anywhere:   bash bench/registry/run-search.sh [PERSONS]
#   PERSONS   person records to load (default 5000000)
# Environment: SEED (1), CONNECTIONS (4), LOAD_THREADS (2), JOBS (2 build jobs), BUILD_DIR (build/release),
#              DATABASES ("sqlite postgresql"), BENCH_DIR (scratch space; default /tmp), KEEP_BENCH_DIR=1 keeps it,
#              REUSE_DIR (a scratch directory kept by an earlier run: measure again without loading),
#              PG_SHARED_BUFFERS (a quarter of the memory).
# It is a measurement: it exits 0 whether or not the goals are met, non-zero only if it could not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
PERSONS=${1:-5000000}
SEED=${SEED:-1}
CONNECTIONS=${CONNECTIONS:-4}
LOAD_THREADS=${LOAD_THREADS:-2}
JOBS=${JOBS:-2}
BUILD_DIR=${BUILD_DIR:-$ROOT/build/release}
DATABASES=${DATABASES:-sqlite postgresql}
# A quarter of the memory, the usual starting point for a dedicated database server.
PG_SHARED_BUFFERS=${PG_SHARED_BUFFERS:-$(awk '$1 == "MemTotal:" { printf "%dMB", $2 / 4096 }' /proc/meminfo)}
REUSE_DIR=${REUSE_DIR:-}

die() { echo "run-search: $*" >&2; exit 1; }
# shellcheck source=bench/registry/lib.sh
source "$ROOT/bench/registry/lib.sh"

cd "$ROOT"
bench_build "$BUILD_DIR" "$JOBS" welfare load_registry search_bench
WELFARE="$BUILD_DIR/src/app/welfare"
LOADER="$BUILD_DIR/bench/registry/load_registry"
BENCH="$BUILD_DIR/bench/registry/search_bench"

if [[ -n "$REUSE_DIR" ]]; then
  [[ -d "$REUSE_DIR" ]] || die "REUSE_DIR $REUSE_DIR is not a directory"
  WORK=$(cd "$REUSE_DIR" && pwd)
  KEEP_BENCH_DIR=1
else
  mkdir -p "${BENCH_DIR:-${TMPDIR:-/tmp}}"
  WORK=$(mktemp -d "${BENCH_DIR:-${TMPDIR:-/tmp}}/search-bench.XXXXXX")
fi
SERVER_PID=""

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_server
  pg_stop
  if [[ "${KEEP_BENCH_DIR:-0}" == 1 ]]; then
    echo "run-search: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$WORK/web"
echo '<!doctype html><title>OpenWelfare</title>' >"$WORK/web/index.html"

# run_one <name> <database URL> <directory>: migrate, seed, load, serve, measure.
run_one() {
  local name=$1 url=$2 dir=$3 key=$3/secret.key port
  echo
  echo "=== $name: $PERSONS persons ==="
  "$WELFARE" migrate --database "$url" --secret-key-file "$key" >"$dir/migrate.log" 2>&1 ||
    die "migrate failed: $(tail -n 5 "$dir/migrate.log")"
  if [[ -n "$REUSE_DIR" ]]; then
    [[ -s "$dir/queries.jsonl" ]] || die "$dir holds no query set from an earlier load"
    echo "reusing the database loaded earlier: $(head -n 1 "$dir/load.txt" 2>/dev/null)"
  else
    "$WELFARE" seed-demo --database "$url" --secret-key-file "$key" >"$dir/seed.log" 2>&1 ||
      die "seed-demo failed: $(tail -n 5 "$dir/seed.log")"
    echo "before the load: $(load)"
    "$LOADER" --database "$url" --secret-key-file "$key" --persons "$PERSONS" --seed "$SEED" --threads "$LOAD_THREADS" \
      --queries "$dir/queries.jsonl" --registrations "$dir/registrations.jsonl" | tee "$dir/load.txt" ||
      die "load_registry failed"
  fi

  port=$(free_port)
  "$WELFARE" serve --database "$url" --secret-key-file "$key" --listen 127.0.0.1 --port "$port" \
    --web-root "$WORK/web" --quiet >"$dir/server.log" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || die "the server exited during start-up: $(tail -n 5 "$dir/server.log")"
    sleep 0.1
  done
  echo
  echo "before the searches: $(load)"
  "$BENCH" --port "$port" --queries "$dir/queries.jsonl" --registrations "$dir/registrations.jsonl" \
    --connections "$CONNECTIONS" --label "$name, $PERSONS persons" --raw-database "$url" --secret-key-file "$key" \
    --dump "$dir/searches.jsonl" |
    tee "$dir/bench.txt" ||
    die "search_bench failed"
  echo "after the searches: $(load)"
  echo "server memory: $(awk '$1 == "VmHWM:" || $1 == "VmRSS:" { printf "%s %s kB  ", $1, $2 }' "/proc/$SERVER_PID/status")"
  stop_server
}

echo "run-search: $PERSONS persons, seed $SEED, $CONNECTIONS connections; scratch $WORK"
echo "source: $(source_version "$ROOT")"
echo "machine: $(machine)"

for database in $DATABASES; do
  case "$database" in
    sqlite)
      mkdir -p "$WORK/sqlite"
      run_one SQLite "sqlite://$WORK/sqlite/registry.sqlite" "$WORK/sqlite"
      echo "database files: $(du -sh "$WORK/sqlite" | cut -f1) (with the query files)"
      [[ "${KEEP_BENCH_DIR:-0}" == 1 ]] || rm -f "$WORK/sqlite"/registry.sqlite*
      ;;
    postgresql)
      dir="$WORK/postgresql"
      mkdir -p "$dir"
      pg_start "$dir" "$PG_SHARED_BUFFERS" "$([[ -n "$REUSE_DIR" ]] && echo reuse)"
      run_one PostgreSQL "$PG_URL" "$dir"
      echo "database size: $(pg_psql "$dir" "SELECT pg_size_pretty(pg_database_size('welfare'))" 2>/dev/null || echo unknown)"
      pg_stop
      [[ "${KEEP_BENCH_DIR:-0}" == 1 ]] || rm -rf "$dir/cluster"
      ;;
    *) die "unknown database '$database' (sqlite, postgresql)" ;;
  esac
done
