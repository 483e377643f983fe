#!/usr/bin/env bash
# Benchmarks 'stockade build' on a generated N-node spec (default 100) with hyperfine, next to
# the start-up cost (--help) and the cost of checking the output with the real tools:
# ignition-validate over every ignition.json and 'iptables-restore --test' over every
# iptables.rules (one process per file, inside a throw-away network namespace); with
# FIREWALL=nftables (passed to bench/gen-spec.sh, as is ETCD_MEMBERS) 'nft -c -f' over every
# nftables.conf instead.
#
#   bench/build.sh [N]
#
# Needs root (ip netns), hyperfine, jq, ignition-validate, iptables-restore, java.
# Environment:
#   BENCH_REV=REV   benchmark a committed revision (e.g. HEAD) from a clean 'git archive' export
#                   in the temp dir, instead of the working tree: pins the figures to a commit and
#                   keeps them clear of edits in progress. Default: the working tree.
#   BENCH_JSON=FILE keep hyperfine's JSON export (otherwise it is deleted with the temp dir).
# Exit status: 0 when the run completed and every generated file passed its check (whatever the
# build target says); 1 when the run completed but a check rejected some files (the figures are
# printed all the same); 2 when it could not run or its figures are not valid (the build failed,
# a step timed out, or the jar was rebuilt during the run).
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
stockade="$root/bin/stockade"
target_s=3            # the target: a 100-node build in under 3 s (mean)
warmup=2 runs=10

die() { echo "bench/build.sh: $*" >&2; exit 2; }

[ $# -le 1 ] || die "usage: bench/build.sh [N]"
n=${1:-100}
[[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 64000 ] || die "N must be an integer from 1 to 64000"
[ "$(id -u)" -eq 0 ] || die "needs root (the iptables check runs in its own network namespace)"
for tool in hyperfine jq ignition-validate iptables-restore nft ip java timeout sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/stockade-bench.XXXXXX")
ns="stk-bench-$$"
cleanup() {
    ip netns delete "$ns" 2>/dev/null || true
    rm -rf "$tmp"
}
# Long steps run in the background under 'timeout' (which signals its whole process group) so
# that a signal to this script stops them before the temp dir goes.
child=""
in_bg() {       # in_bg COMMAND...: runs COMMAND (or a function) in the background and waits for it
    local rc=0
    "$@" &
    child=$!
    wait "$child" || rc=$?
    child=""
    return "$rc"
}
bounded() {     # bounded SECONDS COMMAND...
    local limit=$1; shift
    in_bg timeout -k 10 "$limit" "$@"
}
on_signal() {
    trap - INT TERM HUP
    if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null || true; wait "$child" 2>/dev/null || true; fi
    exit "$1"
}
trap cleanup EXIT
trap 'on_signal 130' INT
trap 'on_signal 143' TERM
trap 'on_signal 129' HUP

spec="$tmp/spec-$n.yaml"
out="$tmp/out"
json="$tmp/hyperfine.json"

# Seconds since the epoch, with fractions.
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

# 1. The tool (bin/stockade builds the jar when it is missing or older than the sources).
echo "== preparing (N=$n)"
src="$root"
rev=""
if [ -n "${BENCH_REV:-}" ]; then
    rev=$(git -C "$root" rev-parse --verify --quiet "${BENCH_REV}^{commit}") || die "BENCH_REV: no such commit: $BENCH_REV"
    src="$tmp/src"
    mkdir "$src"
    bounded 300 sh -c 'git -C "$1" archive "$2" | tar -x -C "$3"' sh "$root" "$rev" "$src"
    stockade="$src/bin/stockade"
    echo "   benchmarking commit ${rev:0:7} (clean export in $src)"
fi
bounded 900 "$stockade" --version >/dev/null || die "'bin/stockade --version' failed or timed out"
jar="$src/target/stockade.jar"
[ -f "$jar" ] || die "no $jar after 'bin/stockade --version'"
jar_sum=$(sha256sum "$jar" | cut -d' ' -f1)

# 2. The spec.
bounded 300 "$root/bench/gen-spec.sh" "$n" "$spec"

# 3. One plain pass of every command: it must succeed, it produces the files the checks read,
#    and its duration bounds the hyperfine run below.
ip netns add "$ns"
q() { printf '%q' "$1"; }
cmd_build="$(q "$stockade") build $(q "$spec") -o $(q "$out")"
cmd_help="$(q "$stockade") --help"
# The timed loops run every file whatever its verdict (an operator's loop); the verdicts are
# counted once, in the single pass below.
cmd_ign="sh -c 'for f in \"\$1\"/*/*/ignition.json; do ignition-validate \"\$f\" || :; done' sh $(q "$out")"
# the firewall loader's own check: iptables-restore --test, or nft -c -f with FIREWALL=nftables
if [ "${FIREWALL:-iptables}" = nftables ]; then
    fw_file=nftables.conf; fw_name="nft -c -f"; fw_check=(nft -c -f)
else
    fw_file=iptables.rules; fw_name="iptables-restore --test"; fw_check=(iptables-restore --test)
fi
cmd_ipt="ip netns exec $ns sh -c 'for f in \"\$1\"/*/*/$fw_file; do ${fw_check[*]} \"\$f\" || :; done' sh $(q "$out")"

# check NAME GLOB CMD...: runs CMD on every file of the output matching GLOB, one process per
# file, with a bound; prints "rejected/total" and keeps the first rejection in $tmp/NAME.first.
check() {
    local name=$1 glob=$2 f bad=0 total=0; shift 2
    : >"$tmp/$name.first"
    for f in "$out"/*/*/$glob; do
        total=$((total + 1))
        if ! timeout -k 5 120 "$@" "$f" >"$tmp/$name.log" 2>&1; then
            bad=$((bad + 1))
            [ -s "$tmp/$name.first" ] || { echo "${f#"$out"/}:"; head -c 600 "$tmp/$name.log"; } >"$tmp/$name.first"
        fi
    done
    echo "$bad/$total"
}

t0=$(now)
bounded $((600 + 2 * n)) sh -c "$cmd_build" >"$tmp/build.out" 2>"$tmp/build.err" || {
    tail -n 20 "$tmp/build.err" >&2; die "the build failed"; }
t_build=$(elapsed "$t0")
files=$(find "$out" -mindepth 3 -maxdepth 3 -name ignition.json | wc -l)
rules=$(find "$out" -mindepth 3 -maxdepth 3 -name "$fw_file" | wc -l)
[ "$files" -eq "$n" ] && [ "$rules" -eq "$n" ] || die "expected $n ignition.json and $fw_file, found $files and $rules"
t0=$(now)
in_bg check ignition ignition.json ignition-validate >"$tmp/ignition.count"
bad_ign=$(cat "$tmp/ignition.count")
t_ign=$(elapsed "$t0")
t0=$(now)
in_bg check iptables "$fw_file" ip netns exec "$ns" "${fw_check[@]}" >"$tmp/iptables.count"
bad_ipt=$(cat "$tmp/iptables.count")
t_ipt=$(elapsed "$t0")
echo "   single pass: build ${t_build}s, ignition-validate x$n ${t_ign}s, $fw_name x$n ${t_ipt}s"
echo "   rejected files: ignition-validate $bad_ign, $fw_name $bad_ipt"
size_out=$(du -sh "$out" | cut -f1)

# 4. The measurement, all four commands in one hyperfine run; bounded by three times the
#    expected duration (plus start-up and a margin).
budget=$(awk -v b="$t_build" -v i="$t_ign" -v p="$t_ipt" -v r=$((warmup + runs)) \
    'BEGIN { printf "%d", 3 * r * (b + i + p + 1) + 120 }')
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "== hyperfine (--warmup $warmup --runs $runs, bounded to ${budget}s; load average $load_before)"
bounded "$budget" hyperfine --style basic --warmup "$warmup" --runs "$runs" --export-json "$json" \
    --command-name "stockade build ($n nodes)" "$cmd_build" \
    --command-name "stockade --help" "$cmd_help" \
    --command-name "ignition-validate x$n" "$cmd_ign" \
    --command-name "$fw_name x$n" "$cmd_ipt" \
    || die "hyperfine failed or timed out"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

if [ "$(sha256sum "$jar" | cut -d' ' -f1)" != "$jar_sum" ]; then
    die "target/stockade.jar changed during the run (the sources changed and bin/stockade rebuilt it): figures discarded"
fi
[ -z "${BENCH_JSON:-}" ] || cp "$json" "$BENCH_JSON"

# 5. Report.
if [ -n "$rev" ]; then
    commit="${rev:0:7} (clean export)"
else
    commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown) (working tree"
    if [ -n "$(git -C "$root" status --porcelain -- src pom.xml bin 2>/dev/null)" ]; then
        commit="$commit, with uncommitted changes in src/, pom.xml or bin/)"
    else
        commit="$commit, clean)"
    fi
fi
echo
echo "== results"
echo "date:     $(date -u '+%F %T UTC')"
echo "machine:  $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), Linux $(uname -r)"
echo "java:     $(java -version 2>&1 | head -n 1)"
echo "tools:    $(hyperfine --version), $(ignition-validate --version 2>&1 | head -n 1), $(iptables-restore --version 2>&1 | head -n 1), $(nft --version 2>&1 | head -n 1)"
echo "stockade: commit $commit, jar sha256 ${jar_sum:0:12}"
echo "load:     $load_before before, $load_after after (1/5/15 min; includes this benchmark and any other work on the machine)"
echo "spec:     FIREWALL=${FIREWALL:-iptables} ETCD_MEMBERS=${ETCD_MEMBERS:-all} bench/gen-spec.sh $n ($(wc -l <"$spec") lines); output $size_out for $n nodes"
echo
jq -r --argjson n "$n" '.results[] | [.command, .mean, .stddev, .median, .min, .max, .user + .system,
        (if (.command | startswith("stockade --help")) then -1 else .mean / $n end)] | @tsv' "$json" |
awk -F'\t' '
    function t(s) { return s >= 1 ? sprintf("%.2f s", s) : sprintf("%.1f ms", s * 1000) }
    BEGIN { printf "%-30s %10s   %-10s %10s %10s %10s %10s %10s\n", "command", "mean", "± stddev", "median", "min", "max", "cpu", "mean/node" }
    { printf "%-30s %10s ± %-10s %10s %10s %10s %10s %10s\n", $1, t($2), t($3), t($4), t($5), t($6), t($7), ($8 < 0 ? "-" : t($8)) }'
echo "(cpu: mean user + system time per run, less sensitive than wall time to other load on the machine)"
echo
mean=$(jq -r '.results[0].mean' "$json")
verdict=$(awk -v m="$mean" -v t="$target_s" 'BEGIN { print (m < t ? "PASS" : "FAIL") }')
note=""
[ "$n" -eq 100 ] || note=" (the target is set for 100 nodes; this run has $n)"
printf 'build target < %d s (mean): %s, mean %.2f s%s\n' "$target_s" "$verdict" "$mean" "$note"
echo "output check: ignition-validate rejected $bad_ign files, $fw_name rejected $bad_ipt files"
status=0
for name in ignition iptables; do
    if [ -s "$tmp/$name.first" ]; then
        echo "  first rejection ($name):"
        sed 's/^/    /' "$tmp/$name.first"
        status=1
    fi
done
[ "$status" -eq 0 ] || echo "output check: FAIL (timings above are still valid; the loops timed the same files)"
exit "$status"
