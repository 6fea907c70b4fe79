#!/usr/bin/env bash
# HTTP throughput of bin/welfare next to nginx serving the same files on the same machine.
# Run from the repository root after `make build`:   bash bench/http/run.sh
# Environment: DURATION (10s), CONNECTIONS (64), THREADS (2 wrk threads), WARMUP (2s),
#              WELFARE_BIN (bin/welfare), KEEP_BENCH_DIR=1 keeps the temporary directory.
# It is a measurement: it exits 0 whether or not the goal is met, non-zero only if it could not run.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/bench/http"
BIN=${WELFARE_BIN:-$ROOT/bin/welfare}
NGINX=${NGINX:-/usr/sbin/nginx}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-2s}
GOAL_PERCENT=60

die() { echo "bench: $*" >&2; exit 1; }

[[ -x "$BIN" ]] || die "$BIN not found: run \`make build\` first (or set WELFARE_BIN)"
[[ -x "$NGINX" ]] || die "$NGINX not found: install nginx-light"
command -v wrk >/dev/null || die "wrk not found: install wrk"
command -v curl >/dev/null || die "curl not found: install curl"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/welfare-bench.XXXXXX")
WELFARE_PID=""
NGINX_PID=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local pid
  for pid in "$WELFARE_PID" "$NGINX_PID"; do
    if [[ -n "$pid" ]]; then kill "$pid" 2>/dev/null || true; fi
  done
  for pid in "$WELFARE_PID" "$NGINX_PID"; do
    if [[ -n "$pid" ]]; then wait "$pid" 2>/dev/null || true; fi
  done
  if [[ "${KEEP_BENCH_DIR:-0}" == 1 ]]; then
    echo "bench: kept $WORK" >&2
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

wait_for() {  # url, name, pid
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "$1" 2>/dev/null && return
    kill -0 "$3" 2>/dev/null || die "$2 exited during start-up; see $WORK (KEEP_BENCH_DIR=1 keeps it)"
    sleep 0.1
  done
  die "$2 did not answer $1 within 10 s"
}

# --- The static files both servers serve -----------------------------------------------------------
if [[ -f "$ROOT/web/dist/index.html" ]] && compgen -G "$ROOT/web/dist/assets/*.js" >/dev/null; then
  STATIC="$ROOT/web/dist"
  STATIC_NOTE="web/dist"
else
  STATIC="$WORK/static"
  STATIC_NOTE="generated test files (web/dist not built)"
  mkdir -p "$STATIC/assets"
  printf '<!doctype html>\n<html lang="zh-Hant"><head><meta charset="utf-8"><title>OpenWelfare</title>\n<script type="module" src="/assets/index-3f9a1c2b.js"></script></head><body><div id="app"></div></body></html>\n' \
    >"$STATIC/index.html"
  # About 100 KB of JavaScript-like text.
  for i in $(seq 1 1300); do
    printf 'export const row%04d = { id: %d, label: "welfare item %d", active: %s };\n' \
      "$i" "$i" "$i" "$([[ $((i % 2)) == 0 ]] && echo true || echo false)"
  done >"$STATIC/assets/index-3f9a1c2b.js"
fi
# The largest JavaScript file under assets/: a hashed, immutable bundle.
ASSET_FILE=$(find "$STATIC/assets" -maxdepth 1 -type f -name '*.js' -printf '%s %p\n' | sort -rn | head -n 1 | cut -d' ' -f2-)
ASSET_PATH="/assets/$(basename "$ASSET_FILE")"
ASSET_BYTES=$(wc -c <"$ASSET_FILE")

# --- welfare ---------------------------------------------------------------------------------------
WELFARE_PORT=$(free_port)
DB="sqlite://$WORK/welfare.db"
KEY="$WORK/secret.key"
"$BIN" migrate --database "$DB" --secret-key-file "$KEY" >"$WORK/migrate.log" 2>&1 ||
  die "migrate failed: $(tail -n 5 "$WORK/migrate.log")"
"$BIN" seed-demo --database "$DB" --secret-key-file "$KEY" >"$WORK/seed.log" 2>&1 ||
  die "seed-demo failed: $(tail -n 5 "$WORK/seed.log")"
"$BIN" serve --database "$DB" --secret-key-file "$KEY" --listen 127.0.0.1 --port "$WELFARE_PORT" \
  --web-root "$STATIC" --quiet >"$WORK/welfare.log" 2>&1 &
WELFARE_PID=$!
WELFARE_URL="http://127.0.0.1:$WELFARE_PORT"
wait_for "$WELFARE_URL/healthz" welfare "$WELFARE_PID"

# --- a signed-in caseworker ------------------------------------------------------------------------
SIGN_IN=$(curl -sS -D - -o "$WORK/session.json" -w '%{http_code}' -H 'Content-Type: application/json' \
  -d '{"username":"worker","password":"OpenWelfare-worker-2026"}' "$WELFARE_URL/api/v1/session")
[[ "$SIGN_IN" == *200 ]] || die "sign-in as worker failed: $(cat "$WORK/session.json")"
SESSION=$(printf '%s\n' "$SIGN_IN" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: *\(ow_session=[^;]*\).*/\1/p' | head -n 1)
[[ -n "$SESSION" ]] || die "sign-in answered without an ow_session cookie"
for path in /api/v1/units /api/v1/session; do
  status=$(curl -sS -o /dev/null -w '%{http_code}' -H "Cookie: $SESSION" "$WELFARE_URL$path")
  [[ "$status" == 200 ]] || die "GET $path with the session answered $status"
done
# nginx serves the very bytes welfare answers, as static files: the ceiling for those responses.
curl -fsS "$WELFARE_URL/healthz" >"$WORK/healthz.json"
curl -fsS -H "Cookie: $SESSION" "$WELFARE_URL/api/v1/units" >"$WORK/units.json"

# --- nginx -----------------------------------------------------------------------------------------
NGINX_PORT=$(free_port)
while [[ "$NGINX_PORT" == "$WELFARE_PORT" ]]; do NGINX_PORT=$(free_port); done
mkdir -p "$WORK/nginx"
USER_LINE=""
# Only root may switch users; its workers then run as the same user as welfare does.
[[ $(id -u) == 0 ]] && USER_LINE="user $(id -un) $(id -gn);"
cat >"$WORK/nginx/nginx.conf" <<EOF
$USER_LINE
worker_processes 1;
daemon off;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  types {
    text/html html;
    text/javascript js mjs;
    text/css css;
    application/json json map;
    image/svg+xml svg;
    image/png png;
    font/woff2 woff2;
  }
  default_type application/octet-stream;
  sendfile on;
  tcp_nopush on;
  tcp_nodelay on;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/client_body;
  proxy_temp_path $WORK/nginx/proxy;
  fastcgi_temp_path $WORK/nginx/fastcgi;
  uwsgi_temp_path $WORK/nginx/uwsgi;
  scgi_temp_path $WORK/nginx/scgi;
  server {
    listen 127.0.0.1:$NGINX_PORT;
    root $STATIC;
    location = /healthz {
      default_type application/json;
      alias $WORK/healthz.json;
    }
    location = /api/v1/units {
      default_type application/json;
      alias $WORK/units.json;
    }
    location /assets/ {
      add_header Cache-Control "public, max-age=31536000, immutable";
    }
    location / {
      try_files \$uri /index.html;
    }
  }
}
EOF
"$NGINX" -p "$WORK/nginx" -e "$WORK/nginx/error.log" -c "$WORK/nginx/nginx.conf" &
NGINX_PID=$!
NGINX_URL="http://127.0.0.1:$NGINX_PORT"
wait_for "$NGINX_URL/healthz" nginx "$NGINX_PID"

# Both servers must hand out the same asset.
cmp -s <(curl -fsS "$WELFARE_URL$ASSET_PATH") <(curl -fsS "$NGINX_URL$ASSET_PATH") ||
  die "welfare and nginx serve different bytes for $ASSET_PATH"

# --- load ------------------------------------------------------------------------------------------
# run_wrk <label> <url> [cookie]: prints "rps p50_us p99_us requests errors non2xx"
run_wrk() {
  local label=$1 url=$2 cookie=${3:-} out
  out=$(BENCH_COOKIE="$cookie" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$HERE/report.lua" "$url" 2>&1) ||
    die "wrk failed for $label: $out"
  local line
  line=$(printf '%s\n' "$out" | sed -n 's/^RESULT //p')
  [[ -n "$line" ]] || die "no result from wrk for $label: $out"
  printf '%s\n' "$line"
}

warm() {  # a short run whose figures are discarded: connections, caches and allocators settle
  BENCH_COOKIE="${2:-}" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$HERE/report.lua" "$1" >/dev/null 2>&1 || true
}

echo "OpenWelfare HTTP benchmark: wrk -t$THREADS -c$CONNECTIONS -d$DURATION (keep-alive), $(nproc) cores shared by wrk and the server"
echo "welfare: $BIN ($("$BIN" version 2>/dev/null || echo unknown)), SQLite, --quiet, port $WELFARE_PORT"
echo "nginx:   $("$NGINX" -v 2>&1 | sed 's/^nginx version: //'), worker_processes 1, access_log off, port $NGINX_PORT"
echo "static:  $STATIC_NOTE; asset $ASSET_PATH ($ASSET_BYTES bytes)"
echo

warm "$WELFARE_URL/healthz"
warm "$NGINX_URL/healthz"

declare -A RESULT
measure() {  # key label url [cookie]
  echo "  running $2 ..." >&2
  RESULT[$1]=$(run_wrk "$2" "$3" "${4:-}")
}
measure a_welfare "welfare GET /healthz" "$WELFARE_URL/healthz"
measure a_nginx "nginx GET /healthz (same bytes)" "$NGINX_URL/healthz"
measure b_welfare "welfare GET asset" "$WELFARE_URL$ASSET_PATH"
measure b_nginx "nginx GET asset" "$NGINX_URL$ASSET_PATH"
measure c_units "welfare GET /api/v1/units" "$WELFARE_URL/api/v1/units" "$SESSION"
measure c_nginx "nginx GET /api/v1/units (same bytes)" "$NGINX_URL/api/v1/units"
measure c_session "welfare GET /api/v1/session" "$WELFARE_URL/api/v1/session" "$SESSION"
echo >&2

field() { awk -v n="$2" '{print $n}' <<<"${RESULT[$1]}"; }
ms() { awk -v us="$1" 'BEGIN { printf "%.2f", us / 1000 }'; }
ratio() { awk -v w="$(field "$1" 1)" -v n="$(field "$2" 1)" 'BEGIN { if (n > 0) printf "%.0f%%", 100 * w / n; else print "-" }'; }

row() {  # key label ratio-text
  local errors non2xx note=""
  errors=$(field "$1" 5)
  non2xx=$(field "$1" 6)
  [[ "$errors" != 0 ]] && note+=" socket errors: $errors"
  [[ "$non2xx" != 0 ]] && note+=" non-2xx: $non2xx"
  printf '%-44s %12s %10s %10s %9s%s\n' "$2" "$(field "$1" 1)" "$(ms "$(field "$1" 2)")" "$(ms "$(field "$1" 3)")" "$3" "$note"
}

printf '%-44s %12s %10s %10s %9s\n' "scenario" "requests/s" "p50 ms" "p99 ms" "welfare/nginx"
printf '%-44s %12s %10s %10s %9s\n' "--------" "----------" "------" "------" "-------------"
row a_welfare "(a) welfare GET /healthz" "$(ratio a_welfare a_nginx)"
row a_nginx "(a) nginx   GET /healthz (same bytes)" ""
row b_welfare "(b) welfare GET $(basename "$ASSET_PATH")" "$(ratio b_welfare b_nginx)"
row b_nginx "(b) nginx   GET $(basename "$ASSET_PATH")" ""
row c_units "(c) welfare GET /api/v1/units (signed in)" "$(ratio c_units c_nginx)"
row c_nginx "(c) nginx   GET /api/v1/units (same bytes)" ""
row c_session "(c) welfare GET /api/v1/session" ""
echo

status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
echo "welfare memory after the runs: VmHWM $(status_kb "$WELFARE_PID" VmHWM) kB (peak), VmRSS $(status_kb "$WELFARE_PID" VmRSS) kB"
NGINX_WORKER=$(awk '{print $1}' "/proc/$NGINX_PID/task/$NGINX_PID/children" 2>/dev/null || true)
if [[ -n "$NGINX_WORKER" ]]; then
  echo "nginx memory after the runs:   master VmRSS $(status_kb "$NGINX_PID" VmRSS) kB, worker VmRSS $(status_kb "$NGINX_WORKER" VmRSS) kB"
fi
echo

verdict() {  # key-welfare key-nginx label
  local percent
  percent=$(awk -v w="$(field "$1" 1)" -v n="$(field "$2" 1)" 'BEGIN { if (n > 0) printf "%.0f", 100 * w / n; else print 0 }')
  if ((percent >= GOAL_PERCENT)); then
    echo "goal welfare >= ${GOAL_PERCENT}% of nginx, $3: met (${percent}%)"
  else
    echo "goal welfare >= ${GOAL_PERCENT}% of nginx, $3: NOT met (${percent}%)"
  fi
}
verdict a_welfare a_nginx "tiny responses (a)"
verdict b_welfare b_nginx "static asset (b)"
verdict c_units c_nginx "authenticated JSON (c)"
