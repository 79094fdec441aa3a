#!/usr/bin/env bash
# Latency of a password login (one argon2id verify with the configured parameters, then an RS256 ID token) with
# 16 concurrent users: the resource owner password grant at POST /t/default/token for the first start's public
# client `kubernetes`, which is the same hashing path the login page takes.
#
#   bench/login.sh                     HTTPS; CONNECTIONS=16 DURATION=20 WARMUP=10 RUNS=1 USERS=16 bench/login.sh
#
# Setup: a first start of `./lanyard serve` on a fresh data directory, `lanyard import` of USERS users
# bench000.. (password bench-password-NNN), then wrk -t1 -cCONNECTIONS -dDURATIONs --latency with
# bench/login.lua (each connection one user logging in again and again) after WARMUP s not counted.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration="${DURATION:-20}" warmup="${WARMUP:-10}" conns="${CONNECTIONS:-16}" runs="${RUNS:-1}" users="${USERS:-16}"
bench_dir="$BENCH_ROOT/bench"
need wrk
prepare

data="$BENCH_TMP/data"
port=$(free_port)
start_server "$data" "$port"; wait_ready https "$port" 60; stop_server
{
  echo "tenants:"
  echo "  - id: default"
  echo "    users:"
  for ((u = 0; u < users; u++)); do
    printf '      - {username: bench%03d, password: bench-password-%03d, groups: [dev]}\n' "$u" "$u"
  done
} >"$BENCH_TMP/users.yaml"
"$LANYARD" import "$BENCH_TMP/users.yaml" --data-dir "$data" >>"$BENCH_TMP/server.log" 2>&1
port=$(free_port)
start_server "$data" "$port"; wait_ready https "$port" 60
url="https://127.0.0.1:$port/t/default/token"
answer="$(curl -sk -d grant_type=password -d client_id=kubernetes -d username=bench000 -d password=bench-password-000 \
  -d scope=openid "$url")"
grep -q '"id_token"' <<<"$answer" || { echo "bench: login failed: $answer" >&2; exit 1; }

machine_line
echo "# password logins: wrk -t1 -c$conns -d${duration}s --latency -s bench/login.lua (after ${warmup}s warm-up), $users users;" \
  "argon2id (conf/lanyard.yaml):" $(awk '/^passwords:/ { p = 1; next } /^[^ #]/ { p = 0 } p && /^  [a-zA-Z]+:/ { printf "%s ", $0 }' "$BENCH_ROOT/conf/lanyard.yaml")
export USERS="$users"
wrk -t1 -c"$conns" -d"${warmup}s" --timeout 30s -s "$bench_dir/login.lua" "$url" >/dev/null
for ((run = 1; run <= runs; run++)); do
  before=$(cpu_ticks)
  out="$(wrk -t1 -c"$conns" -d"${duration}s" --timeout 30s --latency -s "$bench_dir/login.lua" "$url")"
  ticks=$(( $(cpu_ticks) - before ))
  requests="$(awk '/requests in/ { print $1 }' <<<"$out")"
  printf 'https logins   %8s req/s   p50 %-8s p90 %-8s p99 %-8s load %-5s server CPU %s ms/login %s\n' \
    "$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")" "$(awk '$1 == "50%" { print $2 }' <<<"$out")" \
    "$(awk '$1 == "90%" { print $2 }' <<<"$out")" "$(awk '$1 == "99%" { print $2 }' <<<"$out")" \
    "$(cut -d' ' -f1 /proc/loadavg)" \
    "$(awk -v t="$ticks" -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.1f", t * 1e3 / hz / n }')" \
    "$(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)"
done
stop_server
