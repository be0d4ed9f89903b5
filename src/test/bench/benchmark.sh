#!/usr/bin/env bash
# End-to-end benchmark of rbac-synth: generates seeded, realistic audit logs (src/test/java/.../bench/
# AuditLogGenerator.java), then times the launcher (process start included) on plain and gzipped input, next to
# `jq` doing a single-user filter and `gzip -dc` on the same files, and prints a Markdown table.
#
#   src/test/bench/benchmark.sh [SIZE_MB ...]      default: 1000
#   BENCH_DIR=/some/disk src/test/bench/benchmark.sh 1000 10000
#   BENCH_RUNS=5 src/test/bench/benchmark.sh      rbac-synth times are the median of BENCH_RUNS runs (default 3)
#   src/test/bench/benchmark.sh startup            only the start-up table (small inputs, next to a bare JVM)
#   BENCH_LAUNCHER=/other/build/rbac-synth BENCH_BUILD=0 src/test/bench/benchmark.sh startup
#                                                  another build's launcher (before/after), without building
#
# Start-up: --version, generate on demo.log, can-i on a small manifest (and generate --usage on a ledger of the
# real log when the build has it), each the median of 7 runs, taken in alternating rounds with a bare JVM
# start (`java -version` with the same JVM) so that the machine's drift hits them alike; then the same with a
# Java 25 JDK when the machine has one (BENCH_JAVA25=/path/to/jdk names it), on which the launcher keeps an
# AOT cache per command.
# Also measured: generate on 100 000 distinct requests of one subject.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"
[ "${BENCH_BUILD:-1}" = 0 ] || mvn -B -q package -DskipTests
cp=target/test-classes
subject=system:serviceaccount:shop:web
launcher=${BENCH_LAUNCHER:-target/rbac-synth}
"$launcher" -f testdata/demo.log --user alice -q > /dev/null   # creates the class-data archive once

measure() { # prints "seconds maxrss_kb" for a command; its own output is discarded
  local report
  report=$(mktemp)
  /usr/bin/time -f "%e %M" -o "$report" "$@" > /dev/null 2>&1 || true
  tail -1 "$report"
  rm -f "$report"
}
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }
runs=${BENCH_RUNS:-3}
measure_median() { # "seconds maxrss_kb" of the run with the median time
  for _ in $(seq "$runs"); do measure "$@"; done | median
}
rate() { awk -v a="$1" -v b="$2" -v s="$3" 'BEGIN {printf "%.0f", a / b / s}'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)," \
  "load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo

startup() { # [JAVA_HOME]: the machine's java, or the JDK given (through the launcher's JAVA_HOME)
  local rounds=7 flannel=testdata/rbac/flannel-v0.20.2 home=${1:-} run=$launcher
  [ -z "$home" ] || run="env JAVA_HOME=$home $launcher"
  local -a names=("bare JVM (java -version)" "rbac-synth --version" "generate -f demo.log --user alice"
    "can-i --rbac flannel-v0.20.2 ... patch nodes/status")
  local -a commands=("${home:+$home/bin/}java -version"
    "$run --version"
    "$run generate -f testdata/demo.log --user alice"
    "$run can-i --rbac $flannel --as system:serviceaccount:kube-flannel:flannel patch nodes/status")
  # grep reads to the end (no -q): an early exit would end the launcher with SIGPIPE, which pipefail reports
  if "$launcher" generate --help 2>/dev/null | grep -- '--usage' > /dev/null; then
    local ledger="$dir/hkerma.ledger.json"
    [ -f "$ledger" ] || "$launcher" collect -f "$(ledger_source)" --output-file "$ledger" -q > /dev/null 2>&1
    names+=("generate --usage (ledger of testdata/hkerma)")
    commands+=("$run generate --usage $ledger --serviceaccount ingress-nginx:my-ingress-nginx")
  fi
  local times i k
  # one run of each first: the class-data archive, and on Java 25 each command's AOT cache, are made by
  # a command's first run
  for k in "${!commands[@]}"; do
    # shellcheck disable=SC2086
    ${commands[$k]} > /dev/null 2>&1 || true
  done
  times=$(mktemp)
  # bash's own `time` (milliseconds; /usr/bin/time -f %e rounds the wall time to 10 ms, the size of the
  # changes measured here): wall, user and system time of the command and its children
  for i in $(seq "$rounds"); do
    for k in "${!commands[@]}"; do
      TIMEFORMAT="$k %3R %3U %3S"
      # shellcheck disable=SC2086
      { time ${commands[$k]} > /dev/null 2>&1 || true; } 2>> "$times"
    done
  done
  # CPU time (user + system, all threads) too: on a crowded machine it drifts far less than the wall time
  echo "| start-up, through the launcher, $("${home:+$home/bin/}java" -version 2>&1 | head -1) (median of $rounds, alternating rounds) | wall time | above the bare JVM | CPU time |"
  echo "|---|---:|---:|---:|"
  local bare
  bare=$(awk '$1 == 0 {print $2}' "$times" | median)
  for k in "${!commands[@]}"; do
    local t c
    t=$(awk -v k="$k" '$1 == k {print $2}' "$times" | median)
    c=$(awk -v k="$k" '$1 == k {print $3 + $4}' "$times" | median)
    printf '| %s | %.3f s | %+.3f s | %.3f s |\n' "${names[$k]}" "$t" \
      "$(awk -v a="$t" -v b="$bare" 'BEGIN {print a - b}')" "$c"
  done
  rm -f "$times"
  echo
}
# the real log of testdata/hkerma as audit events (the tests turn its CSV back into events)
ledger_source() {
  local events="$dir/hkerma-events.log"
  [ -f "$events" ] || java -cp "target/rbac-synth.jar:$cp" dev.rbacsynth.bench.HkermaEvents "$events"
  echo "$events"
}
# a JDK of Java 25 or later beside the machine's java (BENCH_JAVA25, else the first under /usr/lib/jvm):
# the launcher then keeps an AOT cache per command
java25() {
  if [ -n "${BENCH_JAVA25:-}" ]; then
    echo "$BENCH_JAVA25"
    return
  fi
  local d
  for d in /usr/lib/jvm/*/; do
    if grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$d/release" 2> /dev/null; then
      echo "${d%/}"
      return
    fi
  done
}
startup
jdk25=$(java25)
[ -z "$jdk25" ] || startup "$jdk25"
[ "${1:-}" = startup ] && exit 0

echo "| input | size | rbac-synth | MB/s | events/s | peak RSS | jq filter | gzip -dc |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for size in "${@:-1000}"; do
  log="$dir/audit-$size.log"
  [ -f "$log" ] || java -cp "$cp" dev.rbacsynth.bench.AuditLogGenerator "$log" "$size" 42 3
  [ -f "$log.gz" ] || gzip -k -1 "$log"
  lines=$(wc -l < "$log")
  bytes=$(stat -c %s "$log")
  read -r t rss < <(measure_median "$launcher" -f "$log" --serviceaccount shop:web -q)
  read -r tj _ < <(measure jq -c "select(.user.username==\"$subject\")" "$log")
  printf '| plain | %d MB | %.2f s | %.0f | %.0f | %d MB | %.2f s | |\n' "$((bytes / 1000000))" "$t" \
    "$(rate "$bytes" "$t" 1000000)" "$(rate "$lines" "$t" 1)" "$((rss / 1024))" "$tj"
  read -r tg rssg < <(measure_median "$launcher" -f "$log.gz" --serviceaccount shop:web -q)
  read -r tz _ < <(measure_median gzip -dc "$log.gz")
  printf '| gzip | %d MB (%d MB gz) | %.2f s | %.0f | %.0f | %d MB | | %.2f s |\n' "$((bytes / 1000000))" \
    "$(( $(stat -c %s "$log.gz") / 1000000 ))" "$tg" "$(rate "$bytes" "$tg" 1000000)" \
    "$(rate "$lines" "$tg" 1)" "$((rssg / 1024))" "$tz"
done
echo
distinct="$dir/distinct-100000.log"
[ -f "$distinct" ] || java -cp "$cp" dev.rbacsynth.bench.AuditLogGenerator --distinct 100000 "$distinct"
read -r td rssd < <(measure_median "$launcher" -f "$distinct" --serviceaccount shop:web --exact -q)
read -r te _ < <(measure_median "$launcher" -f "$distinct" --serviceaccount shop:web -q)
echo "100 000 distinct (resource, name, namespace) of one subject: --exact ${td} s (peak RSS $((rssd / 1024)) MB)," \
  "with expansions ${te} s"
