#!/usr/bin/env bash
# A larger kernel differential campaign for 'fw query': QueryDifferentialIT with N random rulesets
# (default 2000) of P random packets (default 50) per family (IPv4 and IPv6), each ruleset loaded into
# a throw-away server namespace, each packet sent to it (INPUT) or through it (FORWARD), its verdict,
# deciding rule, path and conntrack state read from the kernel, and compared with fw query, the
# packet-set analysis and 'fw query --packets'. CI runs the same test with 200 x 50.
#
#   bench/diff-kernel.sh [N [P]]
#
# Needs root (network namespaces), mvn, java, iptables, iproute2, python3.
# Environment:
#   SEED=S        campaign seed (default: a fresh random one, printed, so repeated runs explore)
#   FIRST=K       start at ruleset K (default 0); a failure names the seed and ruleset that reproduce it
#   KNOWN_BUGS=L  which features Stockade got or gets wrong to generate (see QueryDifferentialIT.knownBugs):
#                 fixed (the default), all (the open ones too), none, or a comma-separated list of names
#   CHUNK=C       rulesets per Maven run (default 5000; each run keeps one lab of namespaces per family)
# Exit status: 0 when every packet agreed, 1 when the test failed (the report says which packet, with
# the ruleset), 2 when it could not run.
set -euo pipefail
root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)

die() { echo "bench/diff-kernel.sh: $*" >&2; exit 2; }
int() { [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -ge "$2" ] && [ "$1" -le "$3" ]; }

[ $# -le 2 ] || die "usage: bench/diff-kernel.sh [N [P]]"
n=${1:-2000}
p=${2:-50}
first=${FIRST:-0}
chunk=${CHUNK:-5000}
int "$n" 1 10000000 || die "N must be an integer from 1 to 10000000"
int "$p" 1 1000 || die "P must be an integer from 1 to 1000"
int "$first" 0 1000000000 || die "FIRST must be a non-negative integer"
int "$chunk" 1 10000 || die "CHUNK must be an integer from 1 to 10000 (a lab's listeners live 30 minutes)"
seed=${SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
[[ $seed =~ ^-?[0-9]+$ ]] || die "SEED must be an integer"
[ "$(id -u)" -eq 0 ] || die "needs root (network namespaces)"
for tool in mvn java ip iptables-restore ip6tables-restore python3; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done

echo "== $n rulesets x $p packets per family, seed $seed, from ruleset $first" >&2
start=$(date +%s)
done_=0
while [ "$done_" -lt "$n" ]; do
    this=$(( n - done_ < chunk ? n - done_ : chunk ))
    from=$(( first + done_ ))
    echo "== rulesets $from..$(( from + this - 1 ))" >&2
    rc=0
    mvn -B -ntp -q -f "$root/pom.xml" verify -Dit.test=QueryDifferentialIT -Dtest=none -Djacoco.skip=true \
        -Dsurefire.failIfNoSpecifiedTests=false -Dstockade.diff.rulesets="$this" -Dstockade.diff.packets="$p" \
        -Dstockade.diff.seed="$seed" -Dstockade.diff.first="$from" ${KNOWN_BUGS:+-Dstockade.diff.knownBugs="$KNOWN_BUGS"} \
        || rc=$?
    if [ "$rc" -ne 0 ]; then
        echo "== FAILED after $(( $(date +%s) - start )) s (seed $seed; see the report above and" \
             "$root/target/failsafe-reports)" >&2
        exit 1
    fi
    done_=$(( done_ + this ))
done
echo "== $n rulesets x $p packets per family agreed with the kernel in $(( $(date +%s) - start )) s (seed $seed)" >&2
