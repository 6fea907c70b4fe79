-- wrk script: after the run, prints one machine-readable line that run.sh parses:
--   RESULT <requests/s> <p50 µs> <p99 µs> <requests> <socket errors> <non-2xx/3xx responses>
-- Optional environment: BENCH_COOKIE adds a Cookie header to every request.
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

function done(summary, latency, requests)
  local seconds = summary.duration / 1e6
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  io.write(string.format("RESULT %.1f %d %d %d %d %d\n",
    summary.requests / seconds,
    latency:percentile(50), latency:percentile(99),
    summary.requests, errors, summary.errors.status))
end
