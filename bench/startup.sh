#!/usr/bin/env bash
# Measures Stockade's cold start: a new JVM for every run of 'stockade --help' and of a small
# 'stockade fw analyze' (a node's IPv4 rules from examples/demo.yaml, 28 lines), under each JVM
# option tried for issue 15 (see BENCHMARKS.md, "Start-up"):
#
#   java -jar            the launcher's JVM options (serial GC, quick compiler only) and no archive
#   AppCDS               the same with a dynamic class-data sharing archive (-XX:SharedArchiveFile),
#                        written by a run of the README's first command (build examples/demo.yaml),
#                        as bin/stockade does on its first run
#   JDK 25               the same options on a JDK 25 (if one is found; JAVA25=/path/to/bin/java)
#   JDK 25 AOT cache     JDK 25's ahead-of-time cache (-XX:AOTCache, JEP 483/514) from the same run
#   bin/stockade         the launcher itself, with its archive (bash, its rebuild check and the JVM)
#
# For each: hyperfine (--warmup 3 --runs 20; wall and user+sys CPU), the classes loaded
# (-Xlog:class+load: all, and how many came from the jar rather than from a CDS archive), and a
# paired run (the configurations alternately, median CPU and median difference per pair against
# the first row), which is what to read on a busy machine: wall time there follows the load.
#
#   bench/startup.sh
#   BENCH_BASE=REV bench/startup.sh   adds commit REV's jar (a clean 'git archive' export) as the
#                                     first rows: java -jar and AppCDS, for before/after
#
# Needs java (17), mvn, hyperfine, jq, python3. Deletes and rewrites this tree's archive
# (target/stockade-*.jsa) so that bin/stockade's archive comes from the same run as the others.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
die() { echo "bench/startup.sh: $*" >&2; exit 2; }
for tool in hyperfine java mvn jq python3; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stockade-startup.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
runs=${RUNS:-20}
java25=${JAVA25:-}
if [ -z "$java25" ]; then
    for release in /usr/lib/jvm/*/release /opt/*/release; do
        if [ -f "$release" ] && grep -q '^JAVA_VERSION="25' "$release"; then
            java25=$(dirname "$release")/bin/java
            break
        fi
    done
fi
demo="$root/examples/demo.yaml"
opts="-XX:+UseSerialGC -Xshare:auto -XX:TieredStopAtLevel=1"
opts25="-XX:+UseSerialGC -XX:TieredStopAtLevel=1" # -Xshare:* and -XX:AOTCache exclude each other
quiet="-Xlog:cds*=off"

echo "== machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(java -version 2>&1 | head -1)${java25:+, $("$java25" -version 2>&1 | head -1)}, $(date -u '+%F %H:%M UTC')"
echo "== load average before: $(cut -d ' ' -f 1-3 /proc/loadavg)"

"$root/bin/stockade" --version >/dev/null # builds the jar first if needed
rm -f "$root"/target/stockade-*.jsa
# the launcher's first run: writes its archive, and the rules the fw analyze runs read
"$root/bin/stockade" build "$demo" -o "$tmp/out" --pki "$tmp/pki" >/dev/null
rules="$tmp/out/demo/core-1/iptables.rules"
[ -f "$rules" ] || die "the demo build wrote no $rules"

# configurations: a name and the command that starts Stockade (the words to add follow it)
names=()
starts=()
add() { names+=("$1"); starts+=("$2"); }
train() { # JAVA JAR JVM-OPTION...: one run of the README's first command, writing an archive or cache
    local java=$1 jar=$2 dir
    shift 2
    dir=$(mktemp -d "$tmp/train.XXXXXX")
    "$java" "$@" -jar "$jar" build "$demo" -o "$dir/out" --pki "$dir/pki" >/dev/null 2>&1
}
if [ -n "${BENCH_BASE:-}" ]; then
    rev=$(git -C "$root" rev-parse --verify --quiet "${BENCH_BASE}^{commit}") || die "BENCH_BASE: no such commit"
    mkdir "$tmp/base"
    git -C "$root" archive "$rev" | tar -x -C "$tmp/base"
    (cd "$tmp/base" && mvn -B -q -ntp -P '!checks' -DskipTests package >"$tmp/base.log" 2>&1) ||
        { tail -40 "$tmp/base.log"; die "building $rev failed"; }
    base="$tmp/base/target/stockade.jar"
    # shellcheck disable=SC2086
    train java "$base" $opts $quiet -XX:ArchiveClassesAtExit="$tmp/base.jsa"
    add "base ${rev:0:7}: java -jar" "java $opts -jar $base"
    add "base ${rev:0:7}: AppCDS" "java $opts $quiet -XX:SharedArchiveFile=$tmp/base.jsa -jar $base"
fi
jar="$root/target/stockade.jar"
# shellcheck disable=SC2086
train java "$jar" $opts $quiet -XX:ArchiveClassesAtExit="$tmp/this.jsa"
add "this tree: java -jar" "java $opts -jar $jar"
add "this tree: AppCDS" "java $opts $quiet -XX:SharedArchiveFile=$tmp/this.jsa -jar $jar"
if [ -n "$java25" ]; then
    # shellcheck disable=SC2086
    train "$java25" "$jar" $opts25 $quiet -XX:AOTCacheOutput="$tmp/this.aot"
    add "this tree: JDK 25" "$java25 $opts25 -jar $jar"
    add "this tree: JDK 25 AOT cache" "$java25 $opts25 -XX:AOTCache=$tmp/this.aot -jar $jar"
fi
add "this tree: bin/stockade" "$root/bin/stockade"

for what in "--help" "fw analyze $rules"; do
    short=${what%% /*}
    echo
    echo "== stockade $short"
    # classes loaded by one run: all, and those read from the jar (not mapped from an archive)
    declare -A counts=()
    for i in "${!names[@]}"; do
        log="$tmp/classes-$i.log"
        # shellcheck disable=SC2086
        JAVA_TOOL_OPTIONS="-Xlog:class+load=info:file=$log" ${starts[$i]} $what >/dev/null 2>&1 || true
        counts[$i]="$(grep -c . "$log") | $(grep -vc 'shared objects file' "$log")"
    done
    args=()
    for i in "${!names[@]}"; do args+=(-n "${names[$i]}" "${starts[$i]} $what"); done
    hyperfine -N --warmup 3 --runs "$runs" --export-json "$tmp/hf.json" "${args[@]}" >/dev/null
    echo "| configuration | wall mean ± σ | median | min | user+sys CPU | classes loaded | of them from the jar |"
    echo "|---|---|---|---|---|---|---|"
    i=0
    while IFS=$'\t' read -r name mean sd median min cpu; do
        echo "| $name | $mean ms ± $sd | $median ms | $min ms | $cpu ms | ${counts[$i]} |"
        i=$((i + 1))
    done < <(jq -r '.results[] | [.command, (.mean*1000|round), (.stddev*1000|round), (.median*1000|round),
        (.min*1000|round), ((.user+.system)*1000|round)] | @tsv' "$tmp/hf.json")
    echo
    echo "paired (each round runs every configuration once, alternating the order; $runs rounds):"
    cmds=()
    for i in "${!names[@]}"; do cmds+=("${names[$i]}" "${starts[$i]} $what"); done
    RUNS=$runs python3 - "${cmds[@]}" <<'EOF'
import os, shlex, statistics, sys, time

def run(argv):
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        null = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(null, fd)
        os.execvp(argv[0], argv)
    _, _, usage = os.wait4(pid, 0)
    return (time.perf_counter() - start) * 1000, (usage.ru_utime + usage.ru_stime) * 1000

pairs = sys.argv[1:]
names, argvs = pairs[0::2], [shlex.split(c) for c in pairs[1::2]]
rounds = int(os.environ["RUNS"])
for argv in argvs * 3:  # warm-up
    run(argv)
results = [[] for _ in argvs]
for r in range(rounds):
    order = range(len(argvs)) if r % 2 == 0 else reversed(range(len(argvs)))
    for k in order:
        results[k].append(run(argvs[k]))
print("| configuration | wall median | CPU median | CPU vs first row, median of pairs |")
print("|---|---|---|---|")
for k, name in enumerate(names):
    wall = statistics.median(w for w, _ in results[k])
    cpu = statistics.median(c for _, c in results[k])
    diff = "" if k == 0 else "%+.0f ms" % statistics.median(
        results[k][i][1] - results[0][i][1] for i in range(rounds))
    print("| %s | %.0f ms | %.0f ms | %s |" % (name, wall, cpu, diff))
EOF
done
echo
echo "== load average after: $(cut -d ' ' -f 1-3 /proc/loadavg)"
