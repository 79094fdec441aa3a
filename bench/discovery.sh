#!/usr/bin/env bash
# Throughput of the discovery document and JWKS of tenant `default`, with wrk on the same machine.
#
#   bench/discovery.sh                 HTTPS (Lanyard's default) and plain HTTP (LANYARD_TLS_ENABLED=false)
#   DURATION=20 WARMUP=5 CONNECTIONS=32 THREADS=2 SCHEMES="https http" bench/discovery.sh
#
# For each scheme a new `./lanyard serve` (the launcher's JVM flags) is started on a fresh data directory and
# a free loopback port; each endpoint gets WARMUP seconds of load that are not counted (the JIT compiles the
# hot path), then `wrk -tTHREADS -cCONNECTIONS -dDURATIONs --latency`. wrk speaks HTTP/1.1 with keep-alive and
# does not verify the certificate. wrk and Lanyard share the machine's cores. Bounded: about
# 2 x 2 x (WARMUP + DURATION) seconds plus start-ups.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

duration="${DURATION:-20}" warmup="${WARMUP:-5}" conns="${CONNECTIONS:-32}" threads="${THREADS:-2}"
need wrk
prepare
machine_line
echo "# wrk -t$threads -c$conns -d${duration}s --latency (after ${warmup}s warm-up), ./lanyard serve"

for scheme in ${SCHEMES:-https http}; do
  tls=true; [ "$scheme" = http ] && tls=false
  port=$(free_port)
  LANYARD_TLS_ENABLED=$tls start_server "$BENCH_TMP/data-$scheme" "$port"
  wait_ready "$scheme" "$port" 60
  for path in /t/default/.well-known/openid-configuration /t/default/jwks; do
    url="$scheme://127.0.0.1:$port$path"
    [ "$(curl -sk -o /dev/null -w '%{http_code}' "$url")" = 200 ] || { echo "bench: $url is not 200" >&2; exit 1; }
    wrk -t"$threads" -c"$conns" -d"${warmup}s" "$url" >/dev/null
    out="$(wrk -t"$threads" -c"$conns" -d"${duration}s" --latency "$url")"
    rps="$(awk '/^Requests\/sec/ { print $2 }' <<<"$out")"
    p50="$(awk '$1 == "50%" { print $2 }' <<<"$out")"
    p99="$(awk '$1 == "99%" { print $2 }' <<<"$out")"
    errors="$(grep -E 'Socket errors|Non-2xx' <<<"$out" | tr -s ' ' | tr '\n' ' ' || true)"
    printf '%-5s %-42s %10s req/s   p50 %-8s p99 %-8s %s\n' "$scheme" "$path" "$rps" "$p50" "$p99" "$errors"
  done
  echo "$scheme: RSS after load $(rss_mib "$SERVER_PID") MiB"
  stop_server
done
