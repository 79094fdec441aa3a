#!/usr/bin/env bash
# Cold start to /readyz 200 and idle resident memory of `./lanyard serve`.
#
#   bench/startup.sh [RUNS]        (default 7; env TLS=false measures plain HTTP)
#
# Each run starts a new JVM and times from just before the launcher is started until /readyz answers 200
# (the launcher's own checks included). "First start" runs use a new, empty data directory (schema
# migration, CA, RSA signing key and argon2 admin password are created); "restart" runs reuse one data
# directory that already exists. After each restart the server gets a little traffic (20 requests each
# to discovery and JWKS), rests 2 s, and its VmRSS (from /proc/PID/status) is read as the idle RSS.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

runs="${1:-7}"
scheme=https
if [ "${TLS:-true}" = false ]; then scheme=http; export LANYARD_TLS_ENABLED=false; fi

prepare
machine_line
echo "# ./lanyard serve over $scheme, $runs runs each; times in ms, RSS in MiB"

first=() restart=() rss=()
# One warm-up start (not counted) so that the page cache holds the JDK and the jar.
port=$(free_port); start_server "$BENCH_TMP/warm" "$port"; wait_ready "$scheme" "$port" 60; stop_server

for ((i = 1; i <= runs; i++)); do
  port=$(free_port)
  t0=$(now_ms); start_server "$BENCH_TMP/first-$i" "$port"; wait_ready "$scheme" "$port" 60; t1=$(now_ms)
  first+=($((t1 - t0)))
  stop_server
  rm -rf "$BENCH_TMP/first-$i"
done

data="$BENCH_TMP/restart"
port=$(free_port); start_server "$data" "$port"; wait_ready "$scheme" "$port" 60; stop_server # creates it
for ((i = 1; i <= runs; i++)); do
  port=$(free_port)
  t0=$(now_ms); start_server "$data" "$port"; wait_ready "$scheme" "$port" 60; t1=$(now_ms)
  restart+=($((t1 - t0)))
  for _ in $(seq 20); do
    curl -sk -o /dev/null "$scheme://127.0.0.1:$port/t/default/.well-known/openid-configuration"
    curl -sk -o /dev/null "$scheme://127.0.0.1:$port/t/default/jwks"
  done
  sleep 2
  rss+=("$(rss_mib "$SERVER_PID")")
  stop_server
done

echo "first start to /readyz (ms): $(printf '%s\n' "${first[@]}" | stats)   runs: ${first[*]}"
echo "restart to /readyz (ms):     $(printf '%s\n' "${restart[@]}" | stats)   runs: ${restart[*]}"
echo "idle RSS (MiB):              $(printf '%s\n' "${rss[@]}" | stats)   runs: ${rss[*]}"
