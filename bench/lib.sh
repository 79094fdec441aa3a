# Shared helpers of bench/*.sh (sourced, not run). Loopback traffic only; every server started is stopped.

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LANYARD="$BENCH_ROOT/lanyard"
BENCH_TMP="$(mktemp -d "${TMPDIR:-/tmp}/lanyard-bench.XXXXXX")"
BENCH_PIDS=()

bench_cleanup() {
  local pid
  for pid in "${BENCH_PIDS[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${BENCH_PIDS[@]}"; do
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  rm -rf "$BENCH_TMP"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM

need() { command -v "$1" >/dev/null || { echo "bench: $1 is required" >&2; exit 2; }; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# A free TCP port on 127.0.0.1 (asks the kernel for one, then releases it).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()' 2>/dev/null \
    || echo $(( 20000 + RANDOM % 20000 ))
}

# Builds the jar and the class-data archive once, outside any timing (a `--help` run through the launcher).
prepare() {
  need java; need curl
  "$LANYARD" --help >/dev/null
}

# start_server DATA_DIR PORT: starts `./lanyard serve` in the background (same JVM flags as users get),
# listening on 127.0.0.1 only; sets SERVER_PID. Output goes to $BENCH_TMP/server.log.
start_server() {
  LANYARD_SERVER_HOST=127.0.0.1 LANYARD_ADMIN_PASSWORD="${LANYARD_ADMIN_PASSWORD:-bench-only-password}" \
    "$LANYARD" serve --port "$2" --data-dir "$1" >>"$BENCH_TMP/server.log" 2>&1 &
  SERVER_PID=$!
  BENCH_PIDS+=("$SERVER_PID")
}

# wait_ready SCHEME PORT TIMEOUT_S: polls /readyz until it answers 200; prints nothing, fails on timeout.
wait_ready() {
  local deadline=$(( $(now_ms) + $3 * 1000 ))
  while [ "$(now_ms)" -lt "$deadline" ]; do
    # A cheap connect test first, so curl only runs once something listens.
    if (exec 3<>"/dev/tcp/127.0.0.1/$2") 2>/dev/null; then
      [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 "$1://127.0.0.1:$2/readyz")" = 200 ] && return 0
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || { echo "bench: server exited; see log:" >&2; tail -20 "$BENCH_TMP/server.log" >&2; return 1; }
    sleep 0.005
  done
  echo "bench: /readyz not 200 within $3 s" >&2
  return 1
}

stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }

# stats: reads numbers, one a line; prints "median X (min Y, max Z, n N)".
stats() {
  sort -n | awk '{ v[NR] = $1 } END {
    if (NR == 0) { print "no data"; exit }
    m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "median %s (min %s, max %s, n %d)\n", m, v[1], v[NR], NR }'
}

machine_line() {
  echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'),"\
    "$(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "# $(java -version 2>&1 | head -2 | tr '\n' ' ')"
}

# Server CPU time so far (user + system), in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat"; }

# wrk_line LABEL OUTPUT [CPU_TICKS]: one summary line from wrk's output; with the server's CPU ticks spent
# during the run, also its CPU time per request (independent of how busy the machine is).
wrk_line() {
  local rps p50 p99 errors requests cpu=""
  rps="$(awk '/^Requests\/sec/ { print $2 }' <<<"$2")"
  p50="$(awk '$1 == "50%" { print $2 }' <<<"$2")"
  p99="$(awk '$1 == "99%" { print $2 }' <<<"$2")"
  requests="$(awk '/requests in/ { print $1 }' <<<"$2")"
  errors="$(grep -E 'Socket errors|Non-2xx' <<<"$2" | tr -s ' ' | tr '\n' ' ' || true)"
  [ -n "${3:-}" ] && [ "${requests:-0}" -gt 0 ] \
    && cpu="server CPU $(awk -v t="$3" -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t * 1e6 / hz / n }') us/req"
  printf '%-28s %10s req/s   p50 %-8s p99 %-8s load %-5s %s %s\n' "$1" "$rps" "$p50" "$p99" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$cpu" "$errors"
}
