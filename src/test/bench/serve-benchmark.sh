#!/usr/bin/env bash
# Load and fault benchmark of `rbac-synth serve` (issue 13), on loopback, over TLS with a client certificate:
#  1. sustained load: the bundled load generator (src/test/java/dev/rbacsynth/bench/WebhookLoad.java) posts
#     EventList batches of ~400 realistic ~1 KB events (AuditLogGenerator's events, watches with all their
#     stages) from BENCH_CONNECTIONS connections for BENCH_SECONDS; it prints events/s (overall and per 10 s),
#     acknowledgement latency percentiles, and the server's peak RSS is read from /proc (VmHWM);
#  2. crash: the same load again; after CRASH_AFTER seconds the server is killed with SIGKILL, restarted on the
#     same state directory, and the load generator resends every batch that was not acknowledged (as the
#     apiserver does); then GET /usage must count every request of every batch exactly once.
#
# Figures printed: events/s and latency from the load generator; the server's CPU time (user+sys from
# /proc/PID/stat, so that a shared machine's wall time can be told apart) and peak RSS; the load generator's
# CPU time; the load average before and after. Every wait has a time limit, so the script ends.
#
#   src/test/bench/serve-benchmark.sh
#   BENCH_WARMUP=20 BENCH_SECONDS=60 BENCH_CONNECTIONS=4 CRASH_SECONDS=20 CRASH_AFTER=8 \
#     src/test/bench/serve-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/../../.."
dir=${BENCH_DIR:-target/bench-serve}
seconds=${BENCH_SECONDS:-60}
warmup=${BENCH_WARMUP:-20} # seconds of load first, not measured: the JIT compiles the server's paths
connections=${BENCH_CONNECTIONS:-4}
crash_seconds=${CRASH_SECONDS:-20}
crash_after=${CRASH_AFTER:-8}
port=${BENCH_PORT:-18443}
rm -rf "$dir"
mkdir -p "$dir/pki"
mvn -B -q package -DskipTests
mvn -B -q test-compile

# certificates, as the README's "Running serve" makes them
(
  cd "$dir/pki"
  openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj /CN=rbac-synth-ca 2>/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out server.key 2>/dev/null
  openssl req -new -key server.key -out server.csr -subj /CN=localhost
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > server.ext
  openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out server.crt -days 2 \
    -extfile server.ext 2>/dev/null
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out client.key 2>/dev/null
  openssl req -new -key client.key -out client.csr -subj /CN=kube-apiserver
  openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out client.crt -days 2 2>/dev/null
)
pki=$dir/pki
url=https://127.0.0.1:$port
curl_tls=(--silent --show-error --cacert "$pki/ca.crt" --cert "$pki/client.crt" --key "$pki/client.key")

pid=
# never leave a server behind
trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; true' EXIT
start_server() {
  target/rbac-synth serve --listen "127.0.0.1:$port" --state-dir "$dir/state" --cluster bench \
    --tls-cert-file "$pki/server.crt" --tls-private-key-file "$pki/server.key" --client-ca-file "$pki/ca.crt" \
    2>> "$dir/server.log" &
  pid=$!
  for _ in $(seq 600); do # 60 s: a loaded machine starts a JVM slowly
    curl "${curl_tls[@]}" --max-time 5 -o /dev/null --fail "$url/readyz" 2>/dev/null && return 0
    kill -0 "$pid" 2>/dev/null || { echo "the server exited; see $dir/server.log" >&2; exit 1; }
    sleep 0.1
  done
  echo "the server did not become ready; see $dir/server.log" >&2
  exit 1
}
load() { # SECONDS FIRST_BATCH: at most 10 minutes past its time (it resends until acknowledged)
  timeout $(($1 + 600)) /usr/bin/time -f "load generator CPU: user %U s, sys %S s, wall %e s" \
    java -Xmx512m -cp target/test-classes dev.rbacsynth.bench.WebhookLoad "$url/audit" "$pki/ca.crt" \
    "$pki/client.crt" "$pki/client.key" "$1" "$connections" "$2"
}
# the server's CPU time so far (user+sys, seconds) from /proc/PID/stat, fields 14 and 15
server_cpu() { awk -v t="$(getconf CLK_TCK)" '{printf "user %.1f s, sys %.1f s", $14/t, $15/t}' "/proc/$pid/stat"; }
# the ledger counts audit records (every stage) in observation.events: each acknowledged one exactly once
counted() { curl "${curl_tls[@]}" --max-time 600 "$url/usage" | jq '.observation.events'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)," \
  "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
start_server
first=0
warm=0
if [ "$warmup" -gt 0 ]; then
  echo "== warm-up: ${warmup}s of the same load, not measured (counted in the exactness check)"
  load "$warmup" 0 > "$dir/warmup.txt" 2>&1
  grep -E '^(batches|ack_latency)' "$dir/warmup.txt"
  first=$(sed -n 's/^next_batch=//p' "$dir/warmup.txt")
  warm=$(sed -n 's/.* events=\([0-9]*\) .*/\1/p' "$dir/warmup.txt")
fi
echo "== sustained load: ${seconds}s, $connections connections, batches of ~400 events"
cpu_before=$(awk '{print $14+$15}' "/proc/$pid/stat")
load "$seconds" "$first" 2>&1 | tee "$dir/load.txt"
measured=$(sed -n 's/.* events=\([0-9]*\) .*/\1/p' "$dir/load.txt")
echo "server CPU during the load: $(awk -v t="$(getconf CLK_TCK)" -v b="$cpu_before" -v n="$measured" \
  '{c=($14+$15-b)/t; printf "%.1f s (user+sys), %.0f us per event", c, c*1e6/n}' "/proc/$pid/stat");" \
  "since its start: $(server_cpu)"
echo "server peak RSS: $(awk '/VmHWM/{printf "%.0f MB", $2/1024}' "/proc/$pid/status")"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
expected=$(($(sed -n 's/.* events=\([0-9]*\) .*/\1/p' "$dir/load.txt") + warm))
next=$(sed -n 's/^next_batch=//p' "$dir/load.txt")
got=$(counted)
echo "records acknowledged: $expected, counted by the server: $got"
[ "$expected" = "$got" ] || { echo "MISMATCH" >&2; exit 1; }

echo "== crash: load for ${crash_seconds}s, kill -9 after ${crash_after}s, restart, resend what was not acknowledged"
load "$crash_seconds" "$next" > "$dir/crash-load.txt" 2>&1 &
loader=$!
sleep "$crash_after"
acknowledged_before_kill=$(curl "${curl_tls[@]}" --max-time 5 "$url/metrics" 2>/dev/null \
  | awk '$1 == "rbac_synth_batches_total{result=\"stored\"}" {print $2}' || true)
kill -9 "$pid"
wait "$pid" 2>/dev/null || true
echo "killed the server (SIGKILL) at ${crash_after}s, after about ${acknowledged_before_kill:-?} stored batches"
start_server
echo "restarted; the load generator resends what was not acknowledged"
wait "$loader" || { cat "$dir/crash-load.txt"; echo "the load generator failed" >&2; exit 1; }
cat "$dir/crash-load.txt"
more=$(sed -n 's/.* events=\([0-9]*\) .*/\1/p' "$dir/crash-load.txt")
got=$(counted)
echo "records acknowledged in both runs: $((expected + more)), counted by the server: $got"
kill -TERM "$pid"
wait "$pid" 2>/dev/null || true
pid=
tail -1 "$dir/server.log"
[ "$((expected + more))" = "$got" ] || { echo "MISMATCH" >&2; exit 1; }
echo "exact: every record of every acknowledged batch counted once"
