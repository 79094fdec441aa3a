#!/usr/bin/env bash
# Throughput and latency of the TokenReview webhook (POST /t/default/tokenreview?timeout=30s) with
# 1,000,000 tokens stored, alone and during a storm of password logins; wrk on the same machine.
#
#   bench/tokenreview.sh               HTTPS (default) then plain HTTP (LANYARD_TLS_ENABLED=false), quiet then storm
#   DURATION=20 WARMUP=15 CONNECTIONS=32 THREADS=2 RUNS=1 SCHEMES="https http" MODES="quiet storm" \
#     STORM_CONNECTIONS=200 TOKENS=1000000 bench/tokenreview.sh
#
# Seeding (once; kept in SEED_CACHE, default ${TMPDIR:-/tmp}/lanyard-bench-tokenreview-TOKENS, reused while
# the storage migrations are unchanged; delete it to re-seed): a first start of `./lanyard serve` on an
# empty data directory (tenant `default`, public client `kubernetes` with the password grant), then
# `lanyard import` of USERS users bench000.. (password bench-password-NNN, groups dev and bench), then
# bench/TokenReviewSeed.java on the stopped data directory: cluster `bench` and TOKENS tokens, 1,000 of them
# written out for wrk. Each scheme then runs on a private copy of that data directory.
#
# quiet: wrk -tTHREADS -cCONNECTIONS -dDURATIONs --latency with bench/tokenreview.lua, which POSTs the JSON a
#   kube-apiserver sends with the cluster's credential, rotating over the valid tokens (after WARMUP s of
#   the same load, not counted, so the JIT has compiled the path and the token cache is filled).
# paced: the same load with PACE_MS milliseconds between an answer and the connection's next request
#   (bench/tokenreview.lua's delay(); a comma-separated cycle, default 1,1,1,0, i.e. 0.75 ms on average): a
#   steady ~25,000-27,000 reviews/s with 32 connections, above the 20,000 target and below what the machine can
#   take, so the latencies are the webhook's rather than the wait in a saturated queue.
# paced-storm: storm with the webhook load of paced.
# storm: the same, while a second wrk (bench/login.lua, -t1 -cSTORM_CONNECTIONS, --timeout 60s) keeps
#   STORM_CONNECTIONS password logins (argon2id each) in flight at /t/default/token; reports the webhook's
#   figures, the logins' rate (over the whole storm, its STORM_WARMUP s of joint warm-up included; non-2xx:
#   refused by a full argon2 queue) and the server's peak RSS (VmHWM); then waits until the logins left in
#   argon2's queue are worked off. STORM_PASSWORDS=wrong (read by bench/login.lua) sends wrong passwords: the
#   same argon2id work per login, but no token stored or signed; every login then counts as non-2xx (400). Failed
#   logins count toward the login throttle (and each is audited): with STORM_PASSWORDS=wrong the servers start
#   with the throttle's thresholds out of reach, so every attempt is still hashed.
#   The first storm of a server warms up LOGIN_WARMUP s longer (default 150): C2 compiles a method after
#   5,000-15,000 calls (tiered thresholds), so at ~70 logins/s the JIT keeps compiling the login path for the
#   first few minutes of logins, and its compiler threads take the cores from the event loops (first runs after
#   25-65 s of logins measured 2.3-3.1 ms p99 where later ones gave 1.4-1.95 ms). A server that has been up a
#   while has compiled that path; set LOGIN_WARMUP=0 to see a fresh one.
# brute: the same as quiet, while a second wrk (bench/brute.lua, -t1 -cBRUTE_CONNECTIONS, default 32) sends
#   reviews of made-up tokens with a correct format and checksum (bench/RandomTokens.java, BRUTE_TOKENS of them,
#   default 300,000, each a database lookup) with the cluster's credential; reports the valid reviews' figures,
#   the guesses' rate and how many guesses authenticated (must be 0).
# First a curl checks that the webhook answers authenticated:true. RUNS repeats each measurement.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration="${DURATION:-20}" warmup="${WARMUP:-15}" conns="${CONNECTIONS:-32}" threads="${THREADS:-2}"
storm_warmup="${STORM_WARMUP:-$warmup}" login_warmup="${LOGIN_WARMUP:-150}"
runs="${RUNS:-1}" brute_conns="${BRUTE_CONNECTIONS:-32}" brute_tokens="${BRUTE_TOKENS:-300000}" storm_conns="${STORM_CONNECTIONS:-200}" tokens="${TOKENS:-1000000}" users="${USERS:-50}" pace_ms="${PACE_MS:-1,1,1,0}"
seed_cache="${SEED_CACHE:-${TMPDIR:-/tmp}/lanyard-bench-tokenreview-$tokens}"
bench_dir="$BENCH_ROOT/bench"
need wrk
prepare

# seed: fills $seed_cache/data (a stopped data directory) and $seed_cache/out (tokens, cluster-credential).
seed() {
  local stamp
  stamp="$tokens $users $(cat "$BENCH_ROOT"/storage/src/main/resources/db/migration/*.sql | cksum)"
  if [ -f "$seed_cache/stamp" ] && [ "$(cat "$seed_cache/stamp")" = "$stamp" ]; then
    echo "# seed: reusing $seed_cache"
    return
  fi
  echo "# seed: $tokens tokens into $seed_cache (once) ..."
  rm -rf "$seed_cache"
  mkdir -p "$seed_cache"
  local port
  port=$(free_port)
  start_server "$seed_cache/data" "$port"
  wait_ready https "$port" 60
  stop_server
  {
    echo "tenants:"
    echo "  - id: default"
    echo "    users:"
    for ((u = 0; u < users; u++)); do
      printf '      - {username: bench%03d, password: bench-password-%03d, groups: [dev, bench]}\n' "$u" "$u"
    done
  } >"$BENCH_TMP/users.yaml"
  "$LANYARD" import "$BENCH_TMP/users.yaml" --data-dir "$seed_cache/data" >>"$BENCH_TMP/server.log" 2>&1
  java -cp "$BENCH_ROOT/idp/target/lanyard.jar" "$bench_dir/TokenReviewSeed.java" "$seed_cache/data" \
    "$seed_cache/out" "$tokens" 1000 "$users" 2>&1 | grep '^seed:' >&2
  echo "$stamp" >"$seed_cache/stamp"
}

seed
if [ "${STORM_PASSWORDS:-}" = wrong ]; then
  export LANYARD_LOGIN_FREE_FAILURES=1000000000 LANYARD_LOGIN_LOCKOUT_THRESHOLD=1000000001 \
    LANYARD_LOGIN_ADDRESS_LOCKOUT_THRESHOLD=1000000001
fi
machine_line
echo "# webhook: wrk -t$threads -c$conns -d${duration}s --latency -s bench/tokenreview.lua (after ${warmup}s warm-up);" \
  "storm: + wrk -t1 -c$storm_conns --timeout 60s -s bench/login.lua (${storm_warmup}s joint warm-up, the first storm ${login_warmup}s more); brute: + wrk -t1 -c$brute_conns -s bench/brute.lua;" \
  "$(wc -l <"$seed_cache/out/tokens") tokens rotated," \
  "$tokens stored"
export TOKENS_FILE="$seed_cache/out/tokens" CREDENTIAL_FILE="$seed_cache/out/cluster-credential" USERS="$users"

for scheme in ${SCHEMES:-https http}; do
  tls=true; [ "$scheme" = http ] && tls=false
  data="$BENCH_TMP/data-$scheme"
  cp -a "$seed_cache/data" "$data"
  port=$(free_port)
  LANYARD_TLS_ENABLED=$tls start_server "$data" "$port"
  login_warmed=""  # a new server: its first storm warms up longer (LOGIN_WARMUP)
  wait_ready "$scheme" "$port" 60
  base="$scheme://127.0.0.1:$port"
  url="$base/t/default/tokenreview?timeout=30s"
  answer="$(curl -sk -H "Authorization: Bearer $(cat "$CREDENTIAL_FILE")" -H 'Content-Type: application/json' \
    --data-binary '{"apiVersion":"authentication.k8s.io/v1","kind":"TokenReview","spec":{"token":"'"$(head -1 "$TOKENS_FILE")"'","audiences":["https://kubernetes.default.svc"]}}' \
    "$url")"
  grep -q '"authenticated":true' <<<"$answer" || { echo "bench: webhook did not authenticate: $answer" >&2; exit 1; }
  wrk -t"$threads" -c"$conns" -d"${warmup}s" -s "$bench_dir/tokenreview.lua" "$url" >/dev/null
  for mode in ${MODES:-quiet storm}; do
    for ((run = 1; run <= runs; run++)); do
      if [ "$mode" = quiet ] || [ "$mode" = paced ]; then
        pace=""
        [ "$mode" = paced ] && pace="$pace_ms"
        before=$(cpu_ticks)
        out="$(PACE_MS="$pace" wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -s "$bench_dir/tokenreview.lua" "$url")"
        wrk_line "$scheme $mode${pace:+ ${pace}ms}" "$out" "$(( $(cpu_ticks) - before ))"
        continue
      fi
      if [ "$mode" = brute ]; then
        [ -s "$seed_cache/out/brute-tokens" ] \
          || java -cp "$BENCH_ROOT/idp/target/lanyard.jar" "$bench_dir/RandomTokens.java" "$seed_cache/out/brute-tokens" "$brute_tokens"
        BRUTE_FILE="$seed_cache/out/brute-tokens" wrk -t1 -c"$brute_conns" -d"$((duration + 4))s" \
          -s "$bench_dir/brute.lua" "$url" >"$BENCH_TMP/brute.out" 2>&1 &
        brute_pid=$!
        BENCH_PIDS+=("$brute_pid")
        sleep 2
        wrk_line "$scheme brute (valid)" "$(wrk -t"$threads" -c"$conns" -d"${duration}s" --latency \
          -s "$bench_dir/tokenreview.lua" "$url")"
        wait "$brute_pid" || true
        wrk_line "$scheme brute (guesses)" "$(cat "$BENCH_TMP/brute.out")"
        grep '^brute:' "$BENCH_TMP/brute.out"
        continue
      fi
      # The storm starts 3 s early (so argon2's queue is full), runs STORM_WARMUP s together with the webhook
      # load before anything is counted (so the JIT has compiled the login path too, as on a server that has
      # seen logins before), and outlasts the measurement.
      this_warmup=$storm_warmup
      [ -n "${login_warmed:-}" ] || this_warmup=$((storm_warmup + login_warmup))
      login_warmed=1
      wrk -t1 -c"$storm_conns" -d"$((this_warmup + duration + 6))s" --timeout 60s -s "$bench_dir/login.lua" \
        "$base/t/default/token" >"$BENCH_TMP/storm.out" 2>&1 &
      storm_pid=$!
      BENCH_PIDS+=("$storm_pid")
      sleep 3
      # paced-storm: the webhook load of "paced" instead of a saturating one.
      storm_pace=""
      [ "$mode" = paced-storm ] && storm_pace="$pace_ms"
      if [ "$this_warmup" -gt 0 ]; then
        PACE_MS="$storm_pace" wrk -t"$threads" -c"$conns" -d"${this_warmup}s" -s "$bench_dir/tokenreview.lua" "$url" >/dev/null
      fi
      wrk_line "$scheme $mode (webhook${storm_pace:+, paced ${storm_pace}ms})" "$(PACE_MS="$storm_pace" wrk -t"$threads" -c"$conns" \
        -d"${duration}s" --latency -s "$bench_dir/tokenreview.lua" "$url")"
      wait "$storm_pid" || true
      wrk_line "$scheme $mode (logins)" "$(cat "$BENCH_TMP/storm.out")"
      # Logins still queued for argon2 when wrk hung up are worked off before the next run (a login then
      # gets 200 rather than a refusal of a full queue).
      for ((i = 0; i < 120; i++)); do
        [ "$(curl -sk -o /dev/null -w '%{http_code}' --max-time 60 -d grant_type=password -d client_id=kubernetes \
          -d username=bench000 -d password=bench-password-000 "$base/t/default/token")" = 200 ] && break
        sleep 1
      done
    done
  done
  echo "$scheme: RSS after load $(rss_mib "$SERVER_PID") MiB, peak (VmHWM)" \
    "$(awk '/^VmHWM:/ { printf "%.1f", $2 / 1024 }' "/proc/$SERVER_PID/status") MiB"
  stop_server
done
