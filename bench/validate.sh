#!/usr/bin/env bash
# Benchmarks 'stockade validate' against Debian's ignition-validate, in the same run:
#   - 1,000 Ignition files in one 'stockade validate' run versus ignition-validate run once per
#     file (how an operator checks a directory with it); the files are the 100 ignition.json of a
#     generated 100-node build (bench/gen-spec.sh), each copied ten times;
#   - the 100 distinct files alone, the same way: one run sees each ruleset once, so this is the
#     figure without the reuse of identical rules between files (see docs/validate.md);
#   - one file, cold: 'stockade validate FILE' versus 'ignition-validate FILE'.
# Prints hyperfine's means side by side and the throughput ratio (target: >= 5x).
#
#   bench/validate.sh
#
# Needs hyperfine, jq, ignition-validate, java. Environment: BENCH_JSON=FILE keeps hyperfine's export.
# Exit status: 0 when the run completed (whatever the ratio), 2 when it could not run.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
stockade="$root/bin/stockade"
die() { echo "bench/validate.sh: $*" >&2; exit 2; }
for tool in hyperfine jq ignition-validate java timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stockade-bench-validate.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

echo "== preparing"
timeout 900 "$stockade" --version >/dev/null || die "'bin/stockade --version' failed"
timeout 300 "$root/bench/gen-spec.sh" 100 "$tmp/spec.yaml"
timeout 600 "$stockade" build "$tmp/spec.yaml" -o "$tmp/out" --pki "$tmp/pki" >/dev/null 2>&1 || die "the build failed"
mkdir "$tmp/files"
for i in $(seq 1 10); do
    for f in "$tmp"/out/*/*/ignition.json; do
        cp "$f" "$tmp/files/$(basename "$(dirname "$f")")-$i.json"
    done
done
count=$(find "$tmp/files" -name '*.json' | wc -l)
[ "$count" -eq 1000 ] || die "expected 1000 files, found $count"
one=$(find "$tmp/files" -name '*.json' | sort | head -1)
# both must accept every file; stockade's only finding on build output is the key-in-user-data warning
timeout 600 "$stockade" validate "$tmp"/files/*.json >"$tmp/stockade.out" || die "stockade validate refused the files"
bad=0
for f in "$tmp"/files/*.json; do ignition-validate "$f" >/dev/null 2>&1 || bad=$((bad + 1)); done
[ "$bad" -eq 0 ] || die "ignition-validate refused $bad files"

echo "== measuring (hyperfine)"
json="${BENCH_JSON:-$tmp/hyperfine.json}"
hyperfine --style basic --warmup 1 --runs 5 --export-json "$json" \
    -n "stockade validate x1000 (one run)" "$stockade validate --format json $tmp/files/*.json" \
    -n "ignition-validate x1000 (one per file)" "sh -c 'for f in $tmp/files/*.json; do ignition-validate \"\$f\"; done'" \
    -n "stockade validate x100 distinct (one run)" "$stockade validate --format json $tmp/out/*/*/ignition.json" \
    -n "ignition-validate x100 distinct (one per file)" "sh -c 'for f in $tmp/out/*/*/ignition.json; do ignition-validate \"\$f\"; done'" \
    -n "stockade validate x1 (cold)" "$stockade validate $one" \
    -n "ignition-validate x1" "ignition-validate $one" >/dev/null
mean() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean' "$json"; }
s1000=$(mean "stockade validate x1000 (one run)")
i1000=$(mean "ignition-validate x1000 (one per file)")
s100=$(mean "stockade validate x100 distinct (one run)")
i100=$(mean "ignition-validate x100 distinct (one per file)")
s1=$(mean "stockade validate x1 (cold)")
i1=$(mean "ignition-validate x1")
echo "== results ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
printf '1,000 files:   stockade validate %.2f s, ignition-validate %.2f s; throughput ratio %.2fx (target >= 5x)\n' \
    "$s1000" "$i1000" "$(awk -v a="$i1000" -v b="$s1000" 'BEGIN { print a / b }')"
printf '100 distinct:  stockade validate %.2f s, ignition-validate %.2f s; throughput ratio %.2fx\n' \
    "$s100" "$i100" "$(awk -v a="$i100" -v b="$s100" 'BEGIN { print a / b }')"
printf 'one file cold: stockade validate %.0f ms, ignition-validate %.0f ms\n' \
    "$(awk -v a="$s1" 'BEGIN { print a * 1000 }')" "$(awk -v a="$i1" 'BEGIN { print a * 1000 }')"
