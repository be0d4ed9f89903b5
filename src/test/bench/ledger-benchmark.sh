#!/usr/bin/env bash
# End-to-end benchmark of the usage ledger (issue 12): collect of every subject from the generated log,
# the ledger's size, generate --usage next to generate on demo.log, and merging 100 ledgers.
#
#   src/test/bench/ledger-benchmark.sh [SIZE_MB ...]       default: 1000
#   BENCH_DIR=/some/disk src/test/bench/ledger-benchmark.sh 1000 10000
#   BENCH_LAUNCHER=PATH  the launcher to measure (default target/rbac-synth, built when missing)
#   BENCH_PART_MB=3   size of each of the 100 logs whose ledgers are merged (about 1 MB of ledger each)
#   BENCH_COLLECT=0   reuse $BENCH_DIR/usage-SIZE.json when it is there (of this ledger format) instead of
#                     collecting the log again (the collect figures are then left out)
#   BENCH_ONLY=collect  only the collect table (no generate --usage, no merge of 100 ledgers)
#
# Every figure is given as wall time and CPU time (user + system, all threads), with the load average
# before and after: on a shared machine the wall time measures the other jobs too, the CPU time far less.
set -euo pipefail
cd "$(dirname "$0")/../../.."
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"
# BENCH_LAUNCHER=other/build/rbac-synth measures another build (a copy, while this tree is rebuilt)
launcher=${BENCH_LAUNCHER:-target/rbac-synth}
[ -x "$launcher" ] || mvn -B -q package -DskipTests
cp=target/test-classes
"$launcher" -f testdata/demo.log --user alice -q > /dev/null   # creates the class-data archive once

measure() { # "wall_seconds cpu_seconds maxrss_kb" of a command; its output is discarded
  local report
  report=$(mktemp)
  /usr/bin/time -f "%e %U %S %M" -o "$report" "$@" > /dev/null 2>&1 || true
  tail -1 "$report" | awk '{printf "%s %.2f %s\n", $1, $2 + $3, $4}'
  rm -f "$report"
}
load() { cut -d' ' -f1-3 /proc/loadavg; }
median() { sort -n | awk '{a[NR]=$0} END {print a[int((NR+1)/2)]}'; }

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo "load average at the start: $(load)"
echo
format=$("$launcher" collect -q -f testdata/demo.log --output-file "$dir/format.json" > /dev/null 2>&1 &&
  grep -o '"rbac-synth.dev/[a-z0-9]*"' "$dir/format.json" | head -1)
echo "ledger format: $format"
echo "| input | size | collect (all subjects): wall | MB/s | CPU | peak RSS | requests | open requests | ledger | bytes a row | ledger .gz |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in "${@:-1000}"; do
  log="$dir/audit-$size.log"
  [ -f "$log" ] || java -cp "$cp" dev.rbacsynth.bench.AuditLogGenerator "$log" "$size" 42 3
  bytes=$(stat -L -c %s "$log")
  ledger="$dir/usage-$size.json"
  if [ "${BENCH_COLLECT:-1}" = 0 ] && [ -f "$ledger" ] && grep -q "$format" "$ledger"; then
    t=0 cpu=0 rss=0
  else
    rm -f "$ledger"
    read -r t cpu rss < <(measure "$launcher" collect -q -f "$log" --output-file "$ledger")
  fi
  "$launcher" collect -q --usage "$ledger" --output-file "$ledger.gz"
  rows=$(grep -c '^        {"verb"' "$ledger" || true)
  pending=$(grep -c '^    {"auditID"' "$ledger" || true)
  # bytes a row: the lines of the request rows (with their indentation and line end) over their number
  row_bytes=$(grep '^        {"verb"' "$ledger" | awk '{n += length($0) + 1} END {printf "%.0f", n / NR}')
  printf '| plain | %d MB | %.2f s | %.0f | %.2f s | %d MB | %d | %d | %.2f MB | %d | %.2f MB |\n' \
    "$((bytes / 1000000))" "$t" "$(awk -v b="$bytes" -v s="$t" 'BEGIN {print (s > 0 ? b / s / 1e6 : 0)}')" \
    "$cpu" "$((rss / 1024))" "$rows" "$pending" \
    "$(awk -v b="$(stat -c %s "$ledger")" 'BEGIN {print b / 1e6}')" "$row_bytes" \
    "$(awk -v b="$(stat -c %s "$ledger.gz")" 'BEGIN {print b / 1e6}')"
done
# The floor under collect: the JSON parser alone (every line tokenised, every string decoded, nothing
# else) on the two reader threads collect splits a plain log into, with collect's heap and collector.
floor_log="$dir/audit-${1:-1000}.log"
read -r fs fm _ < <(java -XX:+UseParallelGC -XX:-UseAdaptiveSizePolicy -Xms256m -Xmn64m \
  -cp "$cp:$(dirname "$launcher")/rbac-synth.jar" dev.rbacsynth.bench.JsonParseFloor "$floor_log" 2)
echo
echo "the JSON parser alone over $(basename "$floor_log") (2 threads, JVM start-up left out): ${fs} s = ${fm} MB/s"
if [ "${BENCH_ONLY:-}" = collect ]; then
  echo "load average at the end: $(load)"
  exit 0
fi
ledger="$dir/usage-${1:-1000}.json"
median_of_5() { # "wall cpu" medians of 5 runs of a command
  local runs
  runs=$(for _ in 1 2 3 4 5; do measure "$@"; done)
  echo "$(cut -d' ' -f1 <<< "$runs" | median) $(cut -d' ' -f2 <<< "$runs" | median)"
}
read -r dw dc < <(median_of_5 "$launcher" -f testdata/demo.log --user alice -q)
read -r lw lc < <(median_of_5 "$launcher" generate --usage "$ledger" --serviceaccount shop:web -q)
echo
echo "generate -f testdata/demo.log: ${dw} s wall, ${dc} s CPU;" \
  "generate --usage (the ledger above) --serviceaccount shop:web: ${lw} s wall, ${lc} s CPU (medians of 5)"

# 100 ledgers of different (disjoint) logs, merged in one collect
# (kept per ledger format and part size, so that parts of another format or size are not measured)
part_mb=${BENCH_PART_MB:-3}
parts="$dir/ledger-parts-${format//[^a-z0-9]/}-${part_mb}mb"
mkdir -p "$parts"
args=()
for i in $(seq 1 100); do
  l="$parts/usage-$i.json"
  if [ ! -f "$l" ]; then
    java -cp "$cp" dev.rbacsynth.bench.AuditLogGenerator "$parts/audit-$i.log" "$part_mb" "$i" 3 \
      > /dev/null 2>&1
    "$launcher" collect -q -f "$parts/audit-$i.log" --output-file "$l"
    rm -f "$parts/audit-$i.log"
  fi
  args+=(--usage "$l")
done
avg=$(du -cb "$parts"/usage-*.json | tail -1 | awk '{printf "%.2f", $1 / 100 / 1e6}')
read -r tm cm rssm < <(measure "$launcher" collect -q "${args[@]}" --output-file "$dir/merged.json")
echo "merging 100 ledgers (${avg} MB each on average): ${tm} s wall, ${cm} s CPU, peak RSS $((rssm / 1024)) MB"
echo "load average at the end: $(load)"
