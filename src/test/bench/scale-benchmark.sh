#!/usr/bin/env bash
# Issue 15 §4: no blow-ups with many subjects or many names. Generates (src/test/java/.../bench/
# AuditLogGenerator.java) and times, through the launcher (process start included, its 512 MiB heap):
#   - diff --all-subjects over N service accounts with one RoleBinding each (target: 100 000 in < 60 s)
#   - generate --exact for one subject with M distinct resource names (target: 1 000 000 in < 60 s)
# and prints wall time, CPU time (user+sys: wall time is inflated when others share the machine), peak RSS
# and the load average before each run.
#
#   src/test/bench/scale-benchmark.sh [SERVICE_ACCOUNTS [NAMES]]     default: 100000 1000000
#   BENCH_DIR=/some/disk BENCH_BUILD=0 src/test/bench/scale-benchmark.sh 10000 100000
set -euo pipefail
cd "$(dirname "$0")/../../.."
accounts=${1:-100000}
names=${2:-1000000}
dir=${BENCH_DIR:-target/bench}
mkdir -p "$dir"
[ "${BENCH_BUILD:-1}" = 0 ] || mvn -B -q package -DskipTests
cp=target/test-classes
launcher=${BENCH_LAUNCHER:-target/rbac-synth}

sa_dir="$dir/service-accounts-$accounts"
[ -f "$sa_dir/audit.log" ] || java -cp "$cp" dev.rbacsynth.bench.AuditLogGenerator --service-accounts "$accounts" "$sa_dir"
distinct="$dir/distinct-$names.log"
[ -f "$distinct" ] || java -cp "$cp" dev.rbacsynth.bench.AuditLogGenerator --distinct "$names" "$distinct"

run() { # label, target seconds, command...: one table row
  local label=$1 target=$2 report load status
  shift 2
  report=$(mktemp)
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  status=0
  /usr/bin/time -f "%e %U %S %M" -o "$report" "$@" > "$dir/scale.out" 2> "$dir/scale.err" || status=$?
  read -r wall user sys rss < <(tail -1 "$report")
  rm -f "$report"
  printf '| %s | < %d s | %.1f s | %.1f s | %d MB | %s | %s |\n' "$label" "$target" "$wall" \
    "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$((rss / 1024))" "$load" \
    "$([ "$status" = 0 ] && echo "exit 0" || echo "exit $status: $(tail -1 "$dir/scale.err")")"
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
echo
echo "| run | target | wall | CPU (user+sys) | peak RSS | load average before | result |"
echo "|---|---:|---:|---:|---:|---|---|"
run "diff --all-subjects, $accounts service accounts, one RoleBinding each" 60 \
  "$launcher" diff --rbac "$sa_dir/rbac.yaml" -f "$sa_dir/audit.log" --all-subjects -o json --fail-on none
run "generate --exact, one subject, $names distinct names" 60 \
  "$launcher" generate -f "$distinct" --serviceaccount shop:web --exact -q
