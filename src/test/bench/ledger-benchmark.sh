#!/usr/bin/env bash
# End-to-end benchmark of the usage ledger (issue 12): collect of every subject from the generated log,
# the ledger's size, generate --usage next to generate on demo.log, and merging 100 ledgers.
#
#   src/test/bench/ledger-benchmark.sh [SIZE_MB ...]       default: 1000
#   BENCH_DIR=/some/disk src/test/bench/ledger-benchmark.sh 1000 10000
#   BENCH_LAUNCHER=PATH  the launcher to measure (default target/rbac-synth, built when missing)
#   BENCH_PART_MB=4   size of each of the 100 logs whose ledgers are merged (about 1 MB of ledger each)
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
echo "| input | size | collect (all subjects): wall | MB/s | CPU | peak RSS | requests | ledger | ledger .gz |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
for size in "${@:-1000}"; do
  log="$dir/audit-$size.log"
  [ -f "$log" ] || java -cp "$cp" dev.rbacsynth.bench.AuditLogGenerator "$log" "$size" 42 3
  bytes=$(stat -c %s "$log")
  ledger="$dir/usage-$size.json"
  rm -f "$ledger"
  read -r t cpu rss < <(measure "$launcher" collect -q -f "$log" --output-file "$ledger")
  "$launcher" collect -q --usage "$ledger" --output-file "$ledger.gz"
  rows=$(grep -c '^        {"verb"' "$ledger" || true)
  printf '| plain | %d MB | %.2f s | %.0f | %.2f s | %d MB | %d | %.2f MB | %.2f MB |\n' "$((bytes / 1000000))" \
    "$t" "$(awk -v b="$bytes" -v s="$t" 'BEGIN {print b / s / 1e6}')" "$cpu" "$((rss / 1024))" "$rows" \
    "$(awk -v b="$(stat -c %s "$ledger")" 'BEGIN {print b / 1e6}')" \
    "$(awk -v b="$(stat -c %s "$ledger.gz")" 'BEGIN {print b / 1e6}')"
done
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
parts="$dir/ledger-parts"
mkdir -p "$parts"
args=()
for i in $(seq 1 100); do
  l="$parts/usage-$i.json"
  if [ ! -f "$l" ]; then
    java -cp "$cp" dev.rbacsynth.bench.AuditLogGenerator "$parts/audit-$i.log" "${BENCH_PART_MB:-4}" "$i" 3 \
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
