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

cd "$ROOT"
if [[ ! -f "$BUILD_DIR/build.ninja" ]]; then
  cmake --preset release -B "$BUILD_DIR" >/dev/null
fi
cmake --build "$BUILD_DIR" --target welfare load_registry search_bench -j "$JOBS"
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
PG_DATA=""
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)

# PostgreSQL refuses to run as root: run it as the postgres system user then.
as_pg_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

stop_server() {
  if [[ -n "$SERVER_PID" ]]; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  fi
}

stop_postgres() {
  if [[ -n "$PG_DATA" ]]; then
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    PG_DATA=""
  fi
}

# Huge pages for PostgreSQL's shared memory. Without them every backend maps each 4 KiB page of shared_buffers
# with a page fault of its own the first time it touches it: with gigabytes of shared buffers and a registry read
# at random, that took more CPU time than the queries on this (virtual) machine. Set up only when run as root and
# given back at the end; otherwise PostgreSQL runs with huge_pages=try and says so.
HUGEPAGES_BEFORE=""
reserve_huge_pages() {
  local megabytes=$1 pages
  [[ $(id -u) == 0 && -w /proc/sys/vm/nr_hugepages ]] || return 0
  [[ "$(awk '$1 == "Hugepagesize:" { print $2 }' /proc/meminfo)" == 2048 ]] || return 0
  pages=$((megabytes / 2 + megabytes / 40 + 64))
  HUGEPAGES_BEFORE=$(cat /proc/sys/vm/nr_hugepages)
  ((HUGEPAGES_BEFORE >= pages)) && return 0
  echo 1 >/proc/sys/vm/compact_memory 2>/dev/null || true
  echo "$pages" >/proc/sys/vm/nr_hugepages
}
release_huge_pages() {
  if [[ -n "$HUGEPAGES_BEFORE" ]]; then
    echo "$HUGEPAGES_BEFORE" >/proc/sys/vm/nr_hugepages 2>/dev/null || true
    HUGEPAGES_BEFORE=""
  fi
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_server
  stop_postgres
  release_huge_pages
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

# A loopback port nobody listens on (a connection attempt is refused).
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free port found"
}

load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores), $(date -u +%H:%M:%SZ)"; }

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
echo "source: $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src db 2>/dev/null || echo ' (src or db changed since)')"
echo "machine: $(nproc) cores, $(awk '$1 == "MemTotal:" { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory; $(load)"

for database in $DATABASES; do
  case "$database" in
    sqlite)
      mkdir -p "$WORK/sqlite"
      run_one SQLite "sqlite://$WORK/sqlite/registry.sqlite" "$WORK/sqlite"
      echo "database files: $(du -sh "$WORK/sqlite" | cut -f1) (with the query files)"
      [[ "${KEEP_BENCH_DIR:-0}" == 1 ]] || rm -f "$WORK/sqlite"/registry.sqlite*
      ;;
    postgresql)
      [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL server binaries not found: run scripts/bootstrap.sh"
      dir="$WORK/postgresql"
      pg_port=$(free_port)
      if [[ -z "$REUSE_DIR" ]]; then
        mkdir -p "$dir/cluster"
        if [[ $(id -u) == 0 ]]; then chown postgres:postgres "$dir/cluster"; chmod 755 "$WORK" "$dir"; fi
        as_pg_owner "$PG_BIN/initdb" -D "$dir/cluster/data" -U postgres --auth=trust --encoding=UTF8 \
          --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
      fi
      [[ -d "$dir/cluster/data" ]] || die "no PostgreSQL cluster in $dir/cluster/data"
      PG_DATA="$dir/cluster/data"
      reserve_huge_pages "$(awk -v size="$PG_SHARED_BUFFERS" 'BEGIN {
        value = size + 0; unit = toupper(substr(size, length(value "") + 1));
        if (unit == "GB") value *= 1024; else if (unit == "KB") value /= 1024; else if (unit == "B") value /= 1048576;
        printf "%d", value }')"
      # Modest tuning for a machine of this size; durability settings stay at their defaults (the loader turns
      # synchronous_commit off for its own session only).
      as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/cluster/server.log" -w -t 120 -o "-c listen_addresses=127.0.0.1 \
-c port=$pg_port -c unix_socket_directories=$dir/cluster -c shared_buffers=$PG_SHARED_BUFFERS -c work_mem=16MB \
-c maintenance_work_mem=512MB -c effective_cache_size=8GB -c max_wal_size=8GB -c max_connections=100 \
-c shared_preload_libraries=pg_prewarm -c huge_pages=try" start >/dev/null ||
        die "PostgreSQL did not start: $(tail -n 5 "$dir/cluster/server.log")"
      [[ -n "$REUSE_DIR" ]] || as_pg_owner "$PG_BIN/createdb" -h "$dir/cluster" -p "$pg_port" -U postgres welfare
      echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'): shared_buffers $PG_SHARED_BUFFERS, work_mem 16MB, \
maintenance_work_mem 512MB, effective_cache_size 8GB, max_wal_size 8GB, pg_prewarm (autoprewarm); unix socket; \
huge_pages=try; $(awk '$1 ~ /^HugePages_(Total|Free|Rsvd):$/ { printf "%s %s ", $1, $2 }' /proc/meminfo)"
      run_one PostgreSQL "postgresql://postgres@/welfare?host=$dir/cluster&port=$pg_port" "$dir"
      echo "database size: $(as_pg_owner "$PG_BIN/psql" -h "$dir/cluster" -p "$pg_port" -U postgres -d welfare -Atc \
        "SELECT pg_size_pretty(pg_database_size('welfare'))" 2>/dev/null || echo unknown)"
      stop_postgres
      [[ "${KEEP_BENCH_DIR:-0}" == 1 ]] || rm -rf "$dir/cluster"
      ;;
    *) die "unknown database '$database' (sqlite, postgresql)" ;;
  esac
done
