#!/usr/bin/env bash
# Throughput and latency of the token endpoint (POST /t/default/token) for the two grants that sign an RS256 ID
# token on every answer without any password hashing: refresh_token (rotation included) and client_credentials.
#
#   bench/token-endpoint.sh            HTTPS (default) then plain HTTP (LANYARD_TLS_ENABLED=false), both grants
#   DURATION=20 WARMUP=15 CONNECTIONS=32 THREADS=2 RUNS=1 SCHEMES="https http" GRANTS="refresh client_credentials" \
#     FAMILIES=128 bench/token-endpoint.sh
#
# Setup, per scheme, on a fresh data directory: a first start of `./lanyard serve` (tenant `default`), then
# `lanyard import` of user bench000 (groups dev, bench) and the public client `bench-cli` (password,
# refresh_token); on the running server the admin API creates robot `ci-bot` (group bench) and the confidential
# client `bench-ci` (client_credentials) acting as it. FAMILIES password logins with scope
# "openid profile groups offline_access" (one argon2id each, before any timing) give FAMILIES independent refresh
# token families.
#
# refresh: wrk -tTHREADS -cCONNECTIONS -dDURATIONs --latency with bench/refresh.lua, which sends each refresh
#   token once and carries on with the successor its answer holds (so every request rotates a family, as
#   kubelogin does). Warm-up and measurement use disjoint halves of the families.
# client_credentials: the same with bench/client-credentials.lua (client_secret_basic, scope openid).
# Every answer of both is checked by curl once first (it must carry an id_token). The server's CPU time per
# request is printed beside each figure, and the load average, since the machine is shared.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration="${DURATION:-20}" warmup="${WARMUP:-15}" conns="${CONNECTIONS:-32}" threads="${THREADS:-2}"
runs="${RUNS:-1}" families="${FAMILIES:-128}"
bench_dir="$BENCH_ROOT/bench"
admin_password="bench-only-password"
need wrk
prepare

# json_field NAME: the string value of NAME in the JSON on stdin (flat objects only).
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# logins BASE COUNT FILE: COUNT password logins of bench000 for bench-cli; their refresh tokens into FILE.
logins() {
  : >"$3"
  for ((i = 0; i < $2; i++)); do
    curl -sk -d grant_type=password -d client_id=bench-cli -d username=bench000 -d password=bench-password-000 \
      --data-urlencode "scope=openid profile groups offline_access" "$1/t/default/token" | json_field refresh_token >>"$3"
  done
}

machine_line
echo "# wrk -t$threads -c$conns -d${duration}s --latency (after ${warmup}s warm-up); refresh: $families families per" \
  "run, half for the warm-up; client_credentials: scope openid"

for scheme in ${SCHEMES:-https http}; do
  tls=true; [ "$scheme" = http ] && tls=false
  data="$BENCH_TMP/data-$scheme"
  port=$(free_port)
  LANYARD_ADMIN_PASSWORD=$admin_password start_server "$data" "$port"
  wait_ready https "$port" 60
  stop_server
  cat >"$BENCH_TMP/seed.yaml" <<YAML
tenants:
  - id: default
    users:
      - {username: bench000, password: bench-password-000, groups: [dev, bench]}
    clients:
      - {id: bench-cli, public: true, redirectUris: ["http://localhost:8000"], grants: [password, refresh_token]}
YAML
  "$LANYARD" import "$BENCH_TMP/seed.yaml" --data-dir "$data" >>"$BENCH_TMP/server.log" 2>&1
  LANYARD_TLS_ENABLED=$tls LANYARD_ADMIN_PASSWORD=$admin_password start_server "$data" "$port"
  wait_ready "$scheme" "$port" 60
  base="$scheme://127.0.0.1:$port"
  admin_token="$(curl -sk -H 'Content-Type: application/json' \
    -d '{"tenant":"default","username":"admin","password":"'"$admin_password"'"}' "$base/admin/api/v1/login" | json_field token)"
  api() { curl -sk -H "Authorization: Bearer $admin_token" -H 'Content-Type: application/json' -d "$2" "$base/admin/api/v1$1"; }
  robot_id="$(api /tenants/default/robots '{"name":"ci-bot","groups":["bench"]}' | json_field id)"
  secret="$(api /tenants/default/clients '{"id":"bench-ci","type":"confidential","grantTypes":["client_credentials"],"robot":"'"$robot_id"'"}' \
    | json_field secret)"
  export CLIENT_BASIC="$(printf 'bench-ci:%s' "$secret" | base64 -w0)" THREADS="$threads"
  curl -sk -H "Authorization: Basic $CLIENT_BASIC" -d grant_type=client_credentials -d scope=openid "$base/t/default/token" \
    | grep -q '"id_token"' || { echo "bench: client_credentials gave no id_token" >&2; exit 1; }

  for grant in ${GRANTS:-refresh client_credentials}; do
    script="$bench_dir/client-credentials.lua"
    [ "$grant" = refresh ] && script="$bench_dir/refresh.lua"
    for ((run = 1; run <= runs; run++)); do
      if [ "$grant" = refresh ]; then
        logins "$base" "$families" "$BENCH_TMP/families"
        curl -sk -d grant_type=refresh_token -d client_id=bench-cli -d "refresh_token=$(head -1 "$BENCH_TMP/families")" \
          "$base/t/default/token" | grep -q '"id_token"' || { echo "bench: refresh gave no id_token" >&2; exit 1; }
        sed -n '2~2p' "$BENCH_TMP/families" >"$BENCH_TMP/warm"   # the first family was just rotated by curl
        sed -n '3~2p' "$BENCH_TMP/families" >"$BENCH_TMP/measure"
      fi
      if [ "$run" = 1 ] || [ "$grant" = refresh ]; then
        REFRESH_FILE="$BENCH_TMP/warm" wrk -t"$threads" -c"$conns" -d"${warmup}s" -s "$script" \
          "$base/t/default/token" >/dev/null
      fi
      before=$(cpu_ticks)
      out="$(REFRESH_FILE="$BENCH_TMP/measure" wrk -t"$threads" -c"$conns" -d"${duration}s" --latency -s "$script" \
        "$base/t/default/token")"
      wrk_line "$scheme $grant" "$out" "$(( $(cpu_ticks) - before ))"
    done
  done
  echo "$scheme: RSS after load $(rss_mib "$SERVER_PID") MiB"
  stop_server
done
