# shellcheck shell=bash disable=SC2034  # PG_URL and friends are read by the scripts that source this
# Shell functions shared by the registry benchmark scripts (sourced, not run): the release build, a free loopback
# port, the load average, and a throw-away PostgreSQL cluster. The caller sets `set -euo pipefail` and defines
# `die MESSAGE` (prints and exits non-zero).

# The newest PostgreSQL server binaries on this machine (empty when none).
# shellcheck disable=SC2012
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
PG_DATA=""
PG_PORT=""
PG_URL=""

# bench_build BUILD_DIR JOBS TARGET...: configures BUILD_DIR with the release preset when needed and builds targets.
bench_build() {
  local build_dir=$1 jobs=$2
  shift 2
  if [[ ! -f "$build_dir/build.ninja" ]]; then
    cmake --preset release -B "$build_dir" >/dev/null
  fi
  cmake --build "$build_dir" --target "$@" -j "$jobs"
}

# PostgreSQL refuses to run as root: run it as the postgres system user then.
as_pg_owner() {
  if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

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

# The load average and the time, to read the figures by.
load() { echo "load average $(cut -d' ' -f1-3 /proc/loadavg) ($(nproc) cores), $(date -u +%H:%M:%SZ)"; }

# The machine in one line.
machine() {
  echo "$(nproc) cores, $(awk '$1 == "MemTotal:" { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo) memory; $(load)"
}

# The commit the binaries were built from, and whether src or db differ from it.
source_version() {
  local root=$1
  echo "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$root" diff --quiet HEAD -- src db \
    2>/dev/null || echo ' (src or db changed since)')"
}

# Huge pages for PostgreSQL's shared memory. Without them every backend maps each 4 KiB page of shared_buffers with
# a page fault of its own the first time it touches it: with gigabytes of shared buffers and a registry read at
# random, that took more CPU time than the queries on this (virtual) machine. Reserved only when run as root, and
# given back by pg_stop; otherwise PostgreSQL runs with huge_pages=try without them.
HUGEPAGES_BEFORE=""
reserve_huge_pages() {
  local size=$1 megabytes pages
  [[ $(id -u) == 0 && -w /proc/sys/vm/nr_hugepages ]] || return 0
  [[ "$(awk '$1 == "Hugepagesize:" { print $2 }' /proc/meminfo)" == 2048 ]] || return 0
  megabytes=$(awk -v size="$size" 'BEGIN {
    value = size + 0; unit = toupper(substr(size, length(value "") + 1));
    if (unit == "GB") value *= 1024; else if (unit == "KB") value /= 1024; else if (unit == "B" || unit == "") value /= 1048576;
    printf "%d", value }')
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

# pg_start DIR SHARED_BUFFERS [reuse]: makes a cluster in DIR/cluster with initdb (as the postgres user when run as
# root) — or, with `reuse`, starts the one an earlier run left there — on a free loopback port and its unix socket in
# DIR/cluster, creates the database `welfare` (not when reused), and sets PG_DATA, PG_PORT and PG_URL. Tuned as a
# dedicated server of this size would be: the given shared_buffers on huge pages, autoprewarm (pg_prewarm) so that a
# restart keeps the buffers warm; durability settings stay at their defaults.
pg_start() {
  local dir=$1 shared_buffers=$2 reuse=${3:-}
  [[ -x "$PG_BIN/initdb" ]] || die "PostgreSQL server binaries not found: run scripts/bootstrap.sh"
  if [[ "$reuse" != reuse ]]; then
    mkdir -p "$dir/cluster"
    if [[ $(id -u) == 0 ]]; then
      chown postgres:postgres "$dir/cluster"
      chmod 755 "$dir" "$(dirname "$dir")"
    fi
    as_pg_owner "$PG_BIN/initdb" -D "$dir/cluster/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
      >"$dir/initdb.log" 2>&1 || die "initdb failed: $(tail -n 5 "$dir/initdb.log")"
  fi
  [[ -d "$dir/cluster/data" ]] || die "no PostgreSQL cluster in $dir/cluster/data"
  PG_PORT=$(free_port)
  PG_DATA="$dir/cluster/data"
  reserve_huge_pages "$shared_buffers"
  as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -l "$dir/cluster/server.log" -w -t 300 -o "-c listen_addresses=127.0.0.1 \
-c port=$PG_PORT -c unix_socket_directories=$dir/cluster -c shared_buffers=$shared_buffers -c work_mem=16MB \
-c maintenance_work_mem=512MB -c effective_cache_size=8GB -c max_wal_size=8GB -c max_connections=100 \
-c shared_preload_libraries=pg_prewarm -c huge_pages=try" start >/dev/null ||
    die "PostgreSQL did not start: $(tail -n 5 "$dir/cluster/server.log")"
  [[ "$reuse" == reuse ]] || as_pg_owner "$PG_BIN/createdb" -h "$dir/cluster" -p "$PG_PORT" -U postgres welfare
  PG_URL="postgresql://postgres@/welfare?host=$dir/cluster&port=$PG_PORT"
  echo "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}'): shared_buffers $shared_buffers, work_mem 16MB, \
maintenance_work_mem 512MB, effective_cache_size 8GB, max_wal_size 8GB, pg_prewarm (autoprewarm); unix socket; \
huge_pages=try; $(awk '$1 ~ /^HugePages_(Total|Free|Rsvd):$/ { printf "%s %s ", $1, $2 }' /proc/meminfo)"
}

# pg_psql DIR SQL: one query on the cluster of pg_start, unaligned output.
pg_psql() {
  as_pg_owner "$PG_BIN/psql" -h "$1/cluster" -p "$PG_PORT" -U postgres -d welfare -Atc "$2"
}

# Stops the cluster pg_start started (if any) and gives back the huge pages.
pg_stop() {
  if [[ -n "$PG_DATA" ]]; then
    as_pg_owner "$PG_BIN/pg_ctl" -D "$PG_DATA" -m fast -w stop >/dev/null 2>&1 || true
    PG_DATA=""
  fi
  release_huge_pages
}
