#!/usr/bin/env bash
# Runs one coverage-guided fuzz campaign (Jazzer, libFuzzer's engine) against one parser of user input
# and everything that runs after it parses. The targets are the @FuzzTest methods of the test sources;
# in the ordinary test run (bin/test) they only replay their seed and crash inputs.
#
#   bench/fuzz.sh                  lists the targets
#   bench/fuzz.sh TARGET SECONDS   fuzzes TARGET for SECONDS, then prints inputs tried and crashes found
#
# Seeds: the target's inputs under src/test/resources (…/<Class>Inputs/), and for the fw-* targets
# the smaller real-world dumps of the shared corpus (set SHARED, default ../shared beside the
# repository), copied into a scratch corpus: they are never added to the repository.
# Work files (corpus, crash inputs, log) go to target/fuzz/TARGET/. A crash input that should become a
# regression test is copied into the target's inputs directory after the bug is fixed.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
shared=${SHARED:-$root/../shared}
die() { echo "bench/fuzz.sh: $*" >&2; exit 2; }

# target -> class, method, maximum input length in bytes
declare -A class=(
    [spec]=dev.stockade.spec.SpecLoaderFuzzTest
    [build]=dev.stockade.cli.BuildFuzzTest
    [csr]=dev.stockade.pki.cfssl.CfsslFuzzTest
    [ca-config]=dev.stockade.pki.cfssl.CfsslFuzzTest
    [pem]=dev.stockade.pki.PemFuzzTest
    [ipassmt]=dev.stockade.cli.IpassmtFuzzTest
    [fw-lint]=dev.stockade.cli.FwFuzzTest
    [fw-analyze]=dev.stockade.cli.FwFuzzTest
    [fw-matrix]=dev.stockade.cli.FwFuzzTest
    [fw-query]=dev.stockade.cli.FwFuzzTest
)
declare -A method=(
    [spec]=load_anyBytes_specOrLocatedErrors
    [build]=build_anySpec_exitContract
    [csr]=csr_anyText_requestOrLocatedErrors
    [ca-config]=config_anyText_profilesOrLocatedErrors
    [pem]=inspect_anyBlock_descriptionOrLocatedError
    [ipassmt]=matrix_anyAssignment_exitContract
    [fw-lint]=lint_anyRuleset_exitContract
    [fw-analyze]=analyze_anyRuleset_exitContract
    [fw-matrix]=matrix_anyRuleset_exitContract
    [fw-query]=query_anyRuleset_exitContract
)
declare -A about=(
    [spec]="spec YAML: SpecLoader.load, a model or located errors"
    [build]="spec YAML through 'build SPEC --dry-run': load, compile, prove, render"
    [csr]="cfssl csr.json: CfsslCsr.parse and the X.500 subject"
    [ca-config]="cfssl ca-config.json: CfsslConfig.parse"
    [pem]="PEM blocks of any type and DER: pki inspect, certificates, keys, CSRs"
    [ipassmt]="fffuu IP assignment through 'fw matrix --ipassmt' (exact and fffuu modes)"
    [fw-lint]="iptables-save text through 'fw lint'"
    [fw-analyze]="iptables-save text through 'fw analyze'"
    [fw-matrix]="iptables-save text through 'fw matrix --chain INPUT'"
    [fw-query]="iptables-save text through 'fw query --src 10.0.0.1 --dst 10.0.0.2 --dport 22'"
)

if [ $# -eq 0 ]; then
    echo "usage: bench/fuzz.sh TARGET SECONDS"
    echo "targets:"
    for t in spec build csr ca-config pem ipassmt fw-lint fw-analyze fw-matrix fw-query; do
        printf '  %-11s %s\n' "$t" "${about[$t]}"
    done
    exit 0
fi
[ $# -eq 2 ] || die "usage: bench/fuzz.sh TARGET SECONDS (no arguments: list the targets)"
target=$1
seconds=$2
[ -n "${class[$target]:-}" ] || die "unknown target '$target' (run without arguments for the list)"
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive whole number, not '$seconds'"
for tool in java mvn; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done

work=$root/target/fuzz/$target
rm -rf "$work"
mkdir -p "$work/corpus" "$work/crashes"

echo "== building the tests"
(cd "$root" && mvn -B -q -ntp test-compile \
    dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/classpath" \
    > "$work/build.log" 2>&1) || { tail -40 "$work/build.log"; die "build failed"; }

# seeds: class-level inputs (shared by the class's targets) and the method's own
cls=${class[$target]}
inputs=$root/src/test/resources/$(echo "${cls%.*}" | tr . /)/${cls##*.}Inputs
find "$inputs" -maxdepth 1 -type f -exec cp {} "$work/corpus/" \;
[ -d "$inputs/${method[$target]}" ] && find "$inputs/${method[$target]}" -type f -exec cp {} "$work/corpus/" \;
max_len=8192
# coverage of the parser library a target feeds also guides the fuzzer
case $target in
    spec | build) libs=org.yaml.snakeyaml.** ;;
    csr | ca-config) libs=com.fasterxml.jackson.core.** ;;
    pem) libs=org.bouncycastle.** ;;
    *) libs= ;;
esac
includes="dev.stockade.**${libs:+:$libs}"
if [[ "$target" == fw-* ]]; then
    max_len=16384
    if [ -d "$shared/data/net-network" ]; then
        # the shared dumps are CC BY-NC-SA: used from the scratch corpus only, never committed
        find "$shared/data/net-network" -type f -size -16k ! -name 'README*' ! -name 'LICENSE*' \
            -exec sh -c 'cp "$1" "$2/shared-$(echo "$1" | md5sum | cut -c1-12)"' _ {} "$work/corpus" \;
    fi
fi
echo "== target $target: $cls#${method[$target]}, $(find "$work/corpus" -type f | wc -l) seed inputs, $seconds s"

set +e
java -Xmx3g -Xss4m -Djazzer.hooks=true \
    -cp "$root/target/test-classes:$root/target/classes:$(cat "$work/classpath")" \
    com.code_intelligence.jazzer.Jazzer \
    --target_class="$cls" --target_method="${method[$target]}" \
    --instrumentation_includes="$includes" --custom_hook_includes="$includes" \
    --keep_going=1000 --reproducer_path="$work/crashes" \
    -max_total_time="$seconds" -timeout=30 -rss_limit_mb=6144 -max_len="$max_len" \
    -print_final_stats=1 -artifact_prefix="$work/crashes/" \
    "$work/corpus" > "$work/log" 2>&1
status=$?
set -e

tried=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/log" | tail -1)
added=$(sed -n 's/^stat::new_units_added: *//p' "$work/log" | tail -1)
echo "== results ($(date -u +%F), $(nproc) cores)"
echo "inputs tried:    ${tried:-unknown (see $work/log)}"
echo "corpus added:    ${added:-0} new inputs (kept in $work/corpus)"
crashes=$(find "$work/crashes" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'slow-unit-*' \) | sort)
echo "crashes found:   $(printf '%s' "$crashes" | grep -c . || true) input(s), $(grep -c '^== Java Exception' "$work/log" || true) distinct finding(s)"
grep -A2 '^== Java Exception' "$work/log" | grep -v '^--$' | sed 's/^/  /' | head -60 || true
for f in $crashes; do
    echo "  input: $f ($(wc -c < "$f") bytes)"
done
if [ -z "$tried" ]; then
    tail -30 "$work/log"
    die "the fuzzer did not finish normally (exit $status); see $work/log"
fi
