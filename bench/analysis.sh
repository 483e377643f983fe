#!/usr/bin/env bash
# Benchmarks the packet-set analysis on the largest IPv4 dump of the Iptables_Semantics corpus
# (5,529 filter rules), FORWARD chain:
#   1. JMH, in-process after warm-up: parsing; fw analyze + service matrices for ports 22 and 80;
#      the matrices in fffuu-compatible mode; fw lint's work;
#   2. whole processes with hyperfine: 'fw analyze --chain FORWARD', 'fw matrix --port 22 --port 80'
#      (exact and --mode fffuu), 'fw lint', next to 'stockade --help' (start-up alone) and
#      'iptables-restore --test' on the same file (in a throw-away network namespace) measured in
#      the same run. Wall times and CPU times (user + system, all threads) are printed: on a shared
#      machine the CPU time moves less.
# The reference tool (fffuu) needed 116 s for the same analysis (recorded in the corpus README).
#
#   bench/analysis.sh [RULES_FILE]
#   BENCH_BASE=REV bench/analysis.sh   also measures commit REV (a clean 'git archive' export) in the
#                                      same run: its JMH figures and its processes beside this tree's,
#                                      to tell whether a change made anything slower.
#
# Needs root (ip netns), hyperfine, java, mvn, iptables-restore. Set SHARED to the shared data dir
# (default: ../shared beside the repository).
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
shared=${SHARED:-$root/../shared}
rules=${1:-$shared/data/net-network/configs_chair_for_Network_Architectures_and_Services/iptables-save-2016-06-27_16-29-01}
die() { echo "bench/analysis.sh: $*" >&2; exit 2; }
[ -f "$rules" ] || die "no rules file at $rules (set SHARED or give a file)"
[ "$(id -u)" -eq 0 ] || die "needs root (iptables-restore runs in its own network namespace)"
for tool in hyperfine java mvn iptables-restore ip jq; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stockade-bench.XXXXXX")
ns="stk-bench-$$"
cleanup() { ip netns delete "$ns" 2>/dev/null || true; rm -rf "$tmp"; }
trap cleanup EXIT
rules=$(readlink -f "$rules")
echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1), $(date -u +%F)"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== rules: $rules ($(awk '/^\*filter/,/^COMMIT/' "$rules" | grep -c '^-A') filter rules)"

jmh() { # DIR LABEL: the JMH benchmarks of the tree in DIR
    echo "== JMH (in-process, after warm-up): $2"
    (cd "$1" && mvn -B -q -ntp -Pjmh test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
        "-Dexec.args=-Dstockade.bench.rules=$rules -cp %classpath org.openjdk.jmh.Main AnalysisBenchmark" \
        > "$tmp/jmh.log" 2>&1) || { tail -40 "$tmp/jmh.log"; die "JMH run failed ($2)"; }
    grep -E "^Benchmark|^AnalysisBenchmark" "$tmp/jmh.log"
}
base_rows=()
if [ -n "${BENCH_BASE:-}" ]; then
    rev=$(git -C "$root" rev-parse --verify --quiet "${BENCH_BASE}^{commit}") || die "BENCH_BASE: no such commit"
    base="$tmp/base"
    mkdir "$base"
    git -C "$root" archive "$rev" | tar -x -C "$base"
    "$base/bin/stockade" --version >/dev/null   # builds the base jar
    jmh "$base" "commit ${rev:0:7}"
    base_rows=(-n "base ${rev:0:7}: fw analyze --chain FORWARD" "$base/bin/stockade fw analyze --chain FORWARD $rules"
        -n "base ${rev:0:7}: fw matrix --port 22 --port 80" "$base/bin/stockade fw matrix --chain FORWARD $rules --port 22 --port 80"
        -n "base ${rev:0:7}: fw lint" "$base/bin/stockade fw lint $rules")
fi
jmh "$root" "this tree"

echo "== whole process (hyperfine)"
"$root/bin/stockade" --version >/dev/null   # builds the jar first if needed
sed 's/XX:XX:XX:XX:XX:XX/02:00:00:00:00:01/g' "$rules" > "$tmp/rules"   # censored MACs: give the kernel valid ones
ip netns add "$ns"
hyperfine -N -i --warmup 2 --runs 10 --export-markdown "$tmp/hf.md" --export-json "$tmp/hf.json" \
    -n "stockade --help (start-up alone)" "$root/bin/stockade --help" \
    -n "stockade fw analyze --chain FORWARD" "$root/bin/stockade fw analyze --chain FORWARD $rules" \
    -n "stockade fw matrix --port 22 --port 80" "$root/bin/stockade fw matrix --chain FORWARD $rules --port 22 --port 80" \
    -n "stockade fw matrix --mode fffuu (22, 80)" "$root/bin/stockade fw matrix --chain FORWARD --mode fffuu $rules --port 22 --port 80" \
    -n "stockade fw lint" "$root/bin/stockade fw lint $rules" \
    "${base_rows[@]}" \
    -n "iptables-restore --test" "ip netns exec $ns iptables-restore --test $tmp/rules" >/dev/null
cat "$tmp/hf.md"
echo "== CPU time per run (user + system, all threads), mean"
jq -r '.results[] | "\(.command): \(((.user + .system) * 1000) | round) ms"' "$tmp/hf.json"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== reference: fffuu (Iptables_Semantics) needed 116 s for this analysis on a quiet 2-core machine"
