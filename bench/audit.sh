#!/usr/bin/env bash
# Benchmarks 'stockade audit', in one run, against what an operator would otherwise run:
#   - local: 'stockade audit --local' versus 'lynis audit system --quick' on the same host: a
#     network namespace holding node 1's rules from a 20-node build (bench/gen-spec.sh), its own
#     sshd and two more listeners (target: >= 20x faster; Stockade also crosses every listener
#     with the exact packet sets of the loaded rules, which Lynis does not);
#   - fleet: 'stockade audit --spec' of the 20 nodes, each a namespace with its own sshd and
#     host key and its rules loaded, audited over SSH from an operator namespace (collection,
#     every check, drift against the spec), versus OpenSSH alone running the collector script on
#     each node, one after another and 8 at a time (the collection only, no analysis).
# Prints hyperfine's means side by side.
#
#   bench/audit.sh
#
# Needs root (network namespaces), hyperfine, jq, lynis, sshd, ssh, ssh-keygen, java.
# Environment: BENCH_JSON=FILE keeps hyperfine's export; LYNIS_RUNS (default 3).
# Everything runs inside namespaces this script creates (10.250.0.0/24); nothing is added to the
# root namespace, and everything is removed on exit.
# Exit status: 0 when the run completed (whatever the ratios), 2 when it could not run.
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
stockade="$root/bin/stockade"
die() { echo "bench/audit.sh: $*" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || die "needs root for network namespaces"
for tool in hyperfine jq lynis /usr/sbin/sshd ssh ssh-keygen java ip iptables-restore timeout; do
    command -v "$tool" >/dev/null 2>&1 || die "missing tool: $tool"
done
nodes=20
prefix="stkb$$-"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/stockade-bench-audit.XXXXXX")
cleanup() {
    for pid in "$tmp"/sshd-*.pid; do [ -f "$pid" ] && kill "$(cat "$pid")" 2>/dev/null || true; done
    [ -f "$tmp/listen.pid" ] && kill "$(cat "$tmp/listen.pid")" 2>/dev/null || true
    for ns in $(ip netns list | awk '{print $1}' | grep "^$prefix" || true); do
        ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
        ip netns delete "$ns" 2>/dev/null || true
    done
    rm -rf "$tmp"
}
trap cleanup EXIT

echo "== preparing: a $nodes-node spec, its build, $nodes namespace nodes with sshd"
timeout 900 "$stockade" --version >/dev/null || die "'bin/stockade --version' failed"
timeout 300 "$root/bench/gen-spec.sh" "$nodes" "$tmp/spec.yaml"
# SSH also from the operator namespace (10.250.0.250), as a real deployment lists its bastion
sed -i 's/    from: \[office, vpn\]/    from: [office, vpn, 10.250.0.250\/32]/' "$tmp/spec.yaml"
timeout 600 "$stockade" build "$tmp/spec.yaml" -o "$tmp/out" --pki "$tmp/pki" >/dev/null 2>&1 || die "the build failed"
ssh-keygen -q -t ed25519 -N '' -C bench -f "$tmp/client"
cp "$tmp/client.pub" "$tmp/authorized_keys"
mkdir -p /run/sshd
ops="${prefix}ops"
ip netns add "$ops"
ip -n "$ops" link set lo up
ip -n "$ops" link add br0 type bridge
ip -n "$ops" addr add 10.250.0.250/24 dev br0
ip -n "$ops" link set br0 up
: >"$tmp/known_hosts"
: >"$tmp/hosts"
for i in $(seq 1 "$nodes"); do
    name=$(printf 'node-%04d' "$i")
    ns="${prefix}n$i"
    addr="10.250.0.$i"
    v4="$tmp/out/bench$nodes/$name/iptables.rules"
    v6="$tmp/out/bench$nodes/$name/ip6tables.rules"
    [ -f "$v4" ] && [ -f "$v6" ] || die "no rules for $name under $tmp/out"
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip link add "v$i$prefix" netns "$ops" type veth peer name eth1 netns "$ns"
    ip -n "$ops" link set "v$i$prefix" master br0 up
    ip -n "$ns" addr add "$addr/24" dev eth1
    ip -n "$ns" link set eth1 up
    ip netns exec "$ns" iptables-restore <"$v4"
    ip netns exec "$ns" ip6tables-restore <"$v6"
    ssh-keygen -q -t ed25519 -N '' -C "$name" -f "$tmp/host-$i"
    echo "$addr $(cat "$tmp/host-$i.pub")" >>"$tmp/known_hosts"
    echo "$addr" >>"$tmp/hosts"
    cat >"$tmp/sshd_config-$i" <<CONF
Port 22
ListenAddress $addr
HostKey $tmp/host-$i
AuthorizedKeysFile $tmp/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
MaxSessions 64
PidFile $tmp/sshd-$i.pid
CONF
    ip netns exec "$ns" /usr/sbin/sshd -f "$tmp/sshd_config-$i" -E "$tmp/sshd-$i.log"
done
# node 1 also runs two more services, as the local-audit host
ip netns exec "${prefix}n1" python3 -c '
import socket, time
ss = []
for port in (9100, 2375):
    s = socket.socket(socket.AF_INET6); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", port)); s.listen(); ss.append(s)
time.sleep(3600)' &
echo $! >"$tmp/listen.pid"
for i in $(seq 1 50); do
    ip netns exec "${prefix}n$nodes" ss -Htln | grep -q ":22 " && break
    sleep 0.1
done
ssh_opts="-o BatchMode=yes -o UserKnownHostsFile=$tmp/known_hosts -o StrictHostKeyChecking=yes -i $tmp/client"
"$stockade" audit --print-collector >"$tmp/collect.sh"
audit_fleet="$stockade audit --spec $tmp/spec.yaml --user root --known-hosts $tmp/known_hosts --identity $tmp/client --format json"
# both must work before they are timed
ip netns exec "$ops" $audit_fleet >"$tmp/fleet.json" 2>"$tmp/fleet.err" || [ $? -eq 1 ] || die "the fleet audit failed: $(tail -5 "$tmp/fleet.err")"
[ "$(jq '[.hosts[] | select(.factsCollected > 0)] | length' "$tmp/fleet.json")" -eq "$nodes" ] \
    || die "not every node was audited: $(jq -c '.hosts' "$tmp/fleet.json")"
ip netns exec "$ops" ssh $ssh_opts root@10.250.0.1 "sh -s /tmp/${prefix}facts-probe" <"$tmp/collect.sh" >/dev/null \
    || die "OpenSSH cannot run the collector"
rm -rf /tmp/"${prefix}"facts-probe*
ip netns exec "${prefix}n1" "$stockade" audit --local --format json >"$tmp/local.json" || [ $? -eq 1 ] || die "the local audit failed"

echo "== measuring (hyperfine)"
json="${BENCH_JSON:-$tmp/hyperfine.json}"
hyperfine --style basic --warmup 1 --runs 5 -i --export-json "$tmp/fleet-hf.json" \
    -n "stockade audit --spec, $nodes nodes over SSH" "ip netns exec $ops $audit_fleet" \
    -n "OpenSSH + collector, $nodes nodes, one at a time" \
    "ip netns exec $ops sh -c 'for h in \$(cat $tmp/hosts); do ssh $ssh_opts root@\$h \"sh -s /tmp/${prefix}facts-\$h\" <$tmp/collect.sh >/dev/null; done'" \
    -n "OpenSSH + collector, $nodes nodes, 8 at a time" \
    "ip netns exec $ops sh -c 'xargs -P 8 -I{} sh -c \"ssh $ssh_opts root@{} \\\"sh -s /tmp/${prefix}facts-{}\\\" <$tmp/collect.sh >/dev/null\" <$tmp/hosts'" \
    -n "stockade audit --local" "ip netns exec ${prefix}n1 $stockade audit --local --format json" >/dev/null
rm -rf /tmp/"${prefix}"facts-*
hyperfine --style basic --runs "${LYNIS_RUNS:-3}" -i --export-json "$tmp/lynis-hf.json" \
    -n "lynis audit system --quick" \
    "ip netns exec ${prefix}n1 lynis audit system --quick --no-colour --no-log" >/dev/null
jq -s '{results: (.[0].results + .[1].results)}' "$tmp/fleet-hf.json" "$tmp/lynis-hf.json" >"$json"
mean() { jq -r --arg n "$1" '.results[] | select(.command == $n) | .mean' "$json"; }
fleet=$(mean "stockade audit --spec, $nodes nodes over SSH")
seq1=$(mean "OpenSSH + collector, $nodes nodes, one at a time")
par8=$(mean "OpenSSH + collector, $nodes nodes, 8 at a time")
local=$(mean "stockade audit --local")
lynis=$(mean "lynis audit system --quick")
echo "== results ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores)"
printf 'local:  stockade audit --local %.2f s, lynis --quick %.2f s; %.1fx faster (target >= 20x)\n' \
    "$local" "$lynis" "$(awk -v a="$lynis" -v b="$local" 'BEGIN { print a / b }')"
printf 'fleet:  stockade audit --spec (%d nodes, SSH, all checks) %.2f s; OpenSSH running the collector: %.2f s one at a time, %.2f s 8 at a time\n' \
    "$nodes" "$fleet" "$seq1" "$par8"
printf 'findings of the fleet audit: %s\n' "$(jq -c '[.findings[].id] | group_by(.) | map({(.[0]): length}) | add' "$tmp/fleet.json")"
