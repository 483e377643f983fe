#!/usr/bin/env bash
# Benchmarks issuing every certificate of an N-node cluster (default 1000): Stockade's built-in
# CA against cfssl used the usual way, for ECDSA P-256 and RSA 2048, in the same run.
#
#   bench/pki.sh [N]                  # 1 <= N <= 64000
#
# Certificates per run: N peer certificates (EKU server+client, SANs: node name, localhost, every
# node address, 127.0.0.1, ::1) plus one client certificate, "operator": N+1 in all.
#
#   stockade   bin/stockade pki issue --spec SPEC --dir DIR         (one process for all N+1)
#   cfssl      per certificate: cfssl gencert -ca ca.pem -ca-key ca-key.pem -config ca-config.json
#                -profile peer|client NAME.json | cfssljson -bare NAME   (bench/pki/cfssl-loop.sh)
#
# Not timed, for either tool: creating the CA (stockade pki init --key K / cfssl gencert -initca,
# same key type as the leaves), writing the spec, the cfssl CSR JSON files and ca-config.json.
# Before every timed run (hyperfine --prepare) the output directory is replaced by an empty one
# (the old one is moved aside and deleted after the measurement): Stockade gets a fresh
# directory holding only a copy of its CA, cfssl an empty one. Output is discarded (hyperfine's
# default) for both. After timing, the last run's output is sanity-checked (file counts,
# openssl verify, key types, EKUs, SANs compared between the tools, stockade pki verify).
#
# Environment (optional):
#   RUNS=3 WARMUP=1           hyperfine runs / warmup runs for ECDSA
#   RSA_RUNS=1 RSA_WARMUP=0   the same for RSA (slow: about 1000 RSA key generations per run)
#   KEYS="ecdsa rsa"          which key types to measure
#   STOCKADE="bin/stockade"   the Stockade command (e.g. to try other JVM flags); default bin/stockade
#   STOCKADE_SNAPSHOT=1       time a copy of target/stockade.jar, run with the JVM flags of bin/stockade's
#                             exec line, instead of bin/stockade (which rebuilds the jar whenever src/ is
#                             newer: use this while someone is editing src/, or the build is broken)
#   BENCH_BASE=REV            also time commit REV's Stockade (a clean 'git archive' export, built once,
#                             run through its own bin/stockade) in the same hyperfine run, as
#                             "stockade-base": before/after and cfssl side by side (not sanity-checked)
#   JMH=1                     afterwards, run the JMH benchmark of the issuance hot path (PkiBenchmark,
#                             in-process after warm-up, bin/stockade's JVM flags; Maven profile jmh) and
#                             print its table; JMH=only runs just that (no cfssl, hyperfine or openssl needed)
set -euo pipefail

root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)
usage() { echo "usage: $0 [N]   (1 <= N <= 64000, default 1000)" >&2; exit 2; }
[ $# -le 1 ] || usage
n=${1:-1000}
[[ $n =~ ^[0-9]+$ ]] && [ "$n" -ge 1 ] && [ "$n" -le 64000 ] || usage

RUNS=${RUNS:-3}; WARMUP=${WARMUP:-1}; RSA_RUNS=${RSA_RUNS:-1}; RSA_WARMUP=${RSA_WARMUP:-0}
KEYS=${KEYS:-ecdsa rsa}
for v in "$RUNS" "$WARMUP" "$RSA_RUNS" "$RSA_WARMUP"; do
    [[ $v =~ ^[0-9]+$ ]] && [ "$v" -le 20 ] || { echo "pki.sh: runs/warmups must be 0..20" >&2; exit 2; }
done
[ "$RUNS" -ge 1 ] && [ "$RSA_RUNS" -ge 1 ] || { echo "pki.sh: RUNS and RSA_RUNS must be >= 1" >&2; exit 2; }
for k in $KEYS; do
    case $k in ecdsa|rsa) ;; *) echo "pki.sh: KEYS: unknown key type '$k' (ecdsa, rsa)" >&2; exit 2 ;; esac
done
if [ -n "${STOCKADE:-}" ]; then stockade=$STOCKADE; else stockade="$root/bin/stockade"; fi
snapshot=${STOCKADE_SNAPSHOT:-0}
jmh_mode=${JMH:-0}
case $jmh_mode in 0|1|only) ;; *) echo "pki.sh: JMH must be 0, 1 or only" >&2; exit 2 ;; esac

# JMH: PkiBenchmark (src/jmh/java/dev/stockade/pki), per operation, microseconds.
jmh() {
    command -v mvn >/dev/null 2>&1 || { echo "pki.sh: JMH needs 'mvn'" >&2; exit 3; }
    local log
    log=$(mktemp "${TMPDIR:-/tmp}/stockade-pki-jmh.XXXXXX")
    echo "== JMH: issuance hot path, ECDSA P-256, in-process after warm-up (load average $(cut -d' ' -f1-3 /proc/loadavg))"
    if ! (cd "$root" && mvn -B -q -ntp -Pjmh test-compile exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
            "-Dexec.args=-cp %classpath org.openjdk.jmh.Main PkiBenchmark" >"$log" 2>&1); then
        tail -n 40 "$log" >&2; rm -f "$log"; echo "pki.sh: the JMH run failed" >&2; exit 1
    fi
    grep -E "^Benchmark|^PkiBenchmark" "$log"
    echo "(issueBatch: one batch of 64 certificates on all cores; divide by 64 for a certificate)"
    rm -f "$log"
    echo
}
if [ "$jmh_mode" = only ]; then jmh; exit 0; fi
bench_base=${BENCH_BASE:-}

for tool in hyperfine jq cfssl cfssljson openssl java awk; do
    command -v "$tool" >/dev/null 2>&1 || { echo "pki.sh: '$tool' is needed" >&2; exit 3; }
done

T=$(mktemp -d "${TMPDIR:-/tmp}/stockade-pki-bench.XXXXXX")
cleanup() { rm -rf "$T"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

certs=$((n + 1))
fails=0
check() {   # check DESCRIPTION COMMAND...: runs the command, reports and counts failures
    local what=$1; shift
    if "$@" >/dev/null 2>&1; then printf '  ok    %s\n' "$what"
    else printf '  FAIL  %s\n' "$what"; fails=$((fails + 1)); fi
}

# ---------------------------------------------------------------------------------------------
echo "== machine"
echo "date:      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
echo "nproc:     $(nproc)"
echo "load:      $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min, at the start)"
echo "cpu:       $(awk -F': *' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
echo "java:      $(java -version 2>&1 | head -n 1)"
echo "hyperfine: $(hyperfine --version)"
echo "cfssl:     $(cfssl version 2>&1 | tr '\n' ' ')"
echo "openssl:   $(openssl version)"
jar="$root/target/stockade.jar"
if [ "$snapshot" = 1 ]; then
    [ -f "$jar" ] || { echo "pki.sh: STOCKADE_SNAPSHOT=1 but there is no $jar" >&2; exit 3; }
    jvm_flags=$(sed -n 's/^exec java \(.*\) -jar .*/\1/p' "$root/bin/stockade")
    cp -p "$jar" "$T/stockade.jar"
    stockade="java $jvm_flags -jar $T/stockade.jar"
    echo "stockade:  snapshot of target/stockade.jar ($(date -u -r "$jar" '+%Y-%m-%d %H:%M:%S UTC'), sha256 $(sha256sum "$jar" | cut -c1-16)), bin/stockade's JVM flags: $jvm_flags"
    [ -z "$(find "$root/pom.xml" "$root/src/main" -newer "$jar" -print -quit 2>/dev/null)" ] \
        || echo "           note: some sources are newer than this jar"
fi
echo "stockade:  $stockade (git $(git -C "$root" describe --always --dirty 2>/dev/null || echo 'none'))"
echo "N:         $n nodes -> $certs certificates per run (N peer + 1 client)"
echo "runs:      ECDSA --runs $RUNS --warmup $WARMUP; RSA --runs $RSA_RUNS --warmup $RSA_WARMUP"
echo

base_stockade=""
if [ -n "$bench_base" ]; then
    base_rev=$(git -C "$root" rev-parse --verify --quiet "${bench_base}^{commit}") \
        || { echo "pki.sh: BENCH_BASE: no such commit '$bench_base'" >&2; exit 2; }
    mkdir "$T/base"
    git -C "$root" archive "$base_rev" | tar -x -C "$T/base"
    if ! "$T/base/bin/stockade" --version >"$T/base-build.log" 2>&1; then
        tail -n 30 "$T/base-build.log" >&2; echo "pki.sh: building BENCH_BASE $base_rev failed" >&2; exit 3
    fi
    base_stockade="$T/base/bin/stockade"
    echo "base:      commit ${base_rev:0:7} ($(git -C "$root" log -1 --format=%s "$base_rev" | cut -c1-60)), its own bin/stockade"
    echo
fi

# The Stockade jar is rebuilt by bin/stockade when sources are newer: do that now, untimed, and
# notice if it happens again during the benchmark (someone editing src/ meanwhile).
if ! $stockade --version >/dev/null 2>"$T/version.err"; then
    echo "pki.sh: '$stockade --version' failed:" >&2; tail -n 30 "$T/version.err" >&2
    [ "$snapshot" = 1 ] || echo "pki.sh: if the build is what fails, STOCKADE_SNAPSHOT=1 times the existing target/stockade.jar" >&2
    exit 3
fi
jar_sum() { [ -f "$jar" ] && sha256sum "$jar" | cut -c1-16 || echo none; }
jar_before=$(jar_sum)

# ---------------------------------------------------------------------------------------------
# The spec: bench/gen-spec.sh, or a minimal generator in the same style if that one is missing
# or does not give N nodes.
fallback_spec() {
    local i b o width=${#n}
    [ "$width" -ge 4 ] || width=4
    echo "stockade: 1"
    echo "cluster: bench$n"
    echo "target: flatcar"
    echo "interfaces: {public: eth0, private: eth1}"
    echo
    echo "nodes:"
    for ((i = 1; i <= n; i++)); do
        b=$(( (i - 1) / 250 )); o=$(( (i - 1) % 250 + 1 ))
        printf '  - {name: node-%0*d, private: 10.250.%d.%d, public: ["2001:db8:%x::%d"]}\n' \
            "$width" "$i" "$b" "$o" $((1 + b)) "$o"
    done
    echo
    echo "etcd: {tls: true, clients_from: [cluster]}"
    echo "services:"
    echo "  - {name: https, port: 443, from: any}"
}
# Node lines of the nodes: section, as "NAME ADDR ADDR..." (flow mappings, as gen-spec writes them).
spec_nodes() {
    awk '
        /^nodes:/ { in_nodes = 1; next }
        /^[^ #]/  { in_nodes = 0 }
        in_nodes && /^  - \{name:/ {
            line = $0
            name = line; sub(/.*name: */, "", name); sub(/[,}].*/, "", name)
            priv = ""
            if (line ~ /private: /) { priv = line; sub(/.*private: */, "", priv); sub(/[,}].*/, "", priv) }
            pub = ""
            if (line ~ /public: \[/) { pub = line; sub(/.*public: \[/, "", pub); sub(/\].*/, "", pub) }
            gsub(/["'\'' ]/, "", pub); gsub(/,/, " ", pub)
            print name, priv, pub
        }' "$1" | awk '{$1 = $1; print}'
}

spec_src="bench/gen-spec.sh"
if ! { [ -x "$root/bench/gen-spec.sh" ] && "$root/bench/gen-spec.sh" "$n" "$T/spec.yaml" 2>"$T/gen.err" \
        && [ "$(spec_nodes "$T/spec.yaml" | wc -l)" -eq "$n" ]; }; then
    echo "note: bench/gen-spec.sh missing or not giving $n nodes; using the fallback generator in bench/pki.sh"
    spec_src="fallback in bench/pki.sh"
    fallback_spec >"$T/spec.yaml"
fi
# A one-line "pki: {...}" is replaced by ours; a block one is not something to edit blindly.
sed -i -E '/^pki:[[:space:]]*\{.*\}[[:space:]]*$/d' "$T/spec.yaml"
grep -q '^pki:' "$T/spec.yaml" && { echo "pki.sh: the generated spec has a multi-line pki: section" >&2; exit 3; }
spec_nodes "$T/spec.yaml" >"$T/nodes.txt"
[ "$(wc -l <"$T/nodes.txt")" -eq "$n" ] || { echo "pki.sh: could not read $n nodes from the spec" >&2; exit 3; }
echo "spec:      $spec_src, $n nodes ($(awk '{a += NF - 1} END {print a}' "$T/nodes.txt") node addresses)"
echo

stk_key() { case $1 in ecdsa) echo ecdsa-p256 ;; rsa) echo rsa-2048 ;; esac; }
cf_key()  { case $1 in ecdsa) echo '{"algo": "ecdsa", "size": 256}' ;; rsa) echo '{"algo": "rsa", "size": 2048}' ;; esac; }

# ---------------------------------------------------------------------------------------------
# Setup per key type (untimed): spec, Stockade CA, cfssl CA + ca-config.json + CSR JSON files.
setup() {
    local k=$1 key cfk name rest hosts h
    key=$(stk_key "$k"); cfk=$(cf_key "$k")

    cp "$T/spec.yaml" "$T/spec-$k.yaml"
    printf '\npki: {key: %s}\n' "$key" >>"$T/spec-$k.yaml"

    mkdir -p "$T/stk-ca-$k"
    $stockade pki init --dir "$T/stk-ca-$k" --key "$key" >"$T/stk-init-$k.log" 2>&1 \
        || { echo "pki.sh: stockade pki init failed:" >&2; cat "$T/stk-init-$k.log" >&2; exit 1; }

    local cf="$T/cf-ca-$k" csr="$T/cf-csr-$k"
    mkdir -p "$cf" "$csr"
    printf '{"CN": "bench%s cluster CA", "key": %s, "ca": {"expiry": "43800h"}}\n' "$n" "$cfk" >"$cf/ca-csr.json"
    (cd "$cf" && cfssl gencert -initca ca-csr.json 2>"$cf/initca.log" | cfssljson -bare ca) \
        || { echo "pki.sh: cfssl gencert -initca failed:" >&2; cat "$cf/initca.log" >&2; exit 1; }
    cat >"$cf/ca-config.json" <<'JSON'
{
  "signing": {
    "default": {"expiry": "8760h"},
    "profiles": {
      "peer":   {"usages": ["signing", "key encipherment", "server auth", "client auth"], "expiry": "8760h"},
      "client": {"usages": ["signing", "key encipherment", "client auth"], "expiry": "8760h"}
    }
  }
}
JSON
    : >"$T/cf-list-$k"
    while read -r name rest; do
        hosts="\"$name\", \"localhost\""
        for h in $rest; do hosts+=", \"$h\""; done
        hosts+=", \"127.0.0.1\", \"::1\""
        printf '{"CN": "%s", "hosts": [%s], "key": %s}\n' "$name" "$hosts" "$cfk" >"$csr/$name.json"
        echo "$name peer" >>"$T/cf-list-$k"
    done <"$T/nodes.txt"
    printf '{"CN": "operator", "key": %s}\n' "$cfk" >"$csr/operator.json"
    echo "operator client" >>"$T/cf-list-$k"
    jq -e . "$csr/$(head -n 1 "$T/nodes.txt" | cut -d' ' -f1).json" >/dev/null
}

# ---------------------------------------------------------------------------------------------
stk_cmd() { echo "$stockade pki issue --spec $T/spec-$1.yaml --dir $T/stk-out-$1"; }
base_cmd() { echo "$base_stockade pki issue --spec $T/spec-$1.yaml --dir $T/base-out-$1"; }
cf_cmd()  { echo "bash $root/bench/pki/cfssl-loop.sh $T/cf-ca-$1 $T/cf-list-$1 $T/cf-csr-$1 $T/cf-out-$1"; }

# A fresh, empty output directory for each timed run. The previous run's files are moved aside
# (one rename) and deleted after the measurement, so that neither tool's timed run pays for
# deleting 3000 files of the run before it (ext4 discards them in the background); the final sync
# starts every run with the same clean page cache.
fresh() { echo "{ [ ! -e $1 ] || mv $1 \$(mktemp -d -p $T old.XXXXXX)/; } && mkdir $1"; }

measure() {
    local k=$1 runs=$2 warmup=$3 key
    key=$(stk_key "$k")
    echo "== $key: timing (hyperfine --runs $runs --warmup $warmup)"
    echo "   stockade: $(stk_cmd "$k")"
    echo "   cfssl:    $(cf_cmd "$k")"
    local base_args=()
    if [ -n "$base_stockade" ]; then
        echo "   base:     $(base_cmd "$k")"
        base_args=(--prepare "$(fresh "$T/base-out-$k") && cp -p $T/stk-ca-$k/ca.pem $T/stk-ca-$k/ca-key.pem $T/base-out-$k/ && sync"
            --command-name "stockade-base $key" "$(base_cmd "$k")")
    fi
    if ! hyperfine --runs "$runs" --warmup "$warmup" --style basic --export-json "$T/hf-$k.json" \
            --prepare "$(fresh "$T/stk-out-$k") && cp -p $T/stk-ca-$k/ca.pem $T/stk-ca-$k/ca-key.pem $T/stk-out-$k/ && sync" \
            --command-name "stockade $key" "$(stk_cmd "$k")" \
            --prepare "$(fresh "$T/cf-out-$k") && sync" \
            --command-name "cfssl $key" "$(cf_cmd "$k")" "${base_args[@]}"; then
        echo "pki.sh: hyperfine failed for $key; running both commands once, untimed, to show why:" >&2
        rm -rf "$T/stk-out-$k" && mkdir "$T/stk-out-$k" && cp -p "$T/stk-ca-$k/ca.pem" "$T/stk-ca-$k/ca-key.pem" "$T/stk-out-$k/"
        echo "\$ $(stk_cmd "$k")" >&2; $(stk_cmd "$k") 2>&1 | tail -n 20 >&2 || true
        rm -rf "$T/cf-out-$k" && mkdir "$T/cf-out-$k"
        echo "\$ $(cf_cmd "$k")" >&2; $(cf_cmd "$k") 2>&1 | tail -n 20 >&2 || true
        exit 1
    fi
    rm -rf "$T"/old.*
    echo
}

# ---------------------------------------------------------------------------------------------
# Sanity checks of the last timed run's output.
san_of()  { openssl x509 -in "$1" -noout -ext subjectAltName 2>/dev/null | tail -n +2 | tr ',' '\n' | sed 's/^ *//' | sort; }
eku_of()  { openssl x509 -in "$1" -noout -ext extendedKeyUsage 2>/dev/null | tail -n +2 | sed 's/^ *//'; }
bits_of() { openssl x509 -in "$1" -noout -text | grep -m1 -oE 'Public-Key: \([0-9]+ bit\)' | grep -oE '[0-9]+'; }
pub_of_cert() { openssl x509 -in "$1" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum; }
pub_of_key()  { openssl pkey -in "$1" -pubout -outform DER | sha256sum; }
key_matches() { [ "$(pub_of_cert "$1")" = "$(pub_of_key "$2")" ]; }
bits_are() { [ "$(bits_of "$1")" = "$2" ]; }
sans_equal() { [ -n "$(san_of "$1")" ] && [ "$(san_of "$1")" = "$(san_of "$2")" ]; }
sans_none() { [ -z "$(san_of "$1")" ]; }
eku_is() { [ "$(eku_of "$1")" = "$2" ]; }
count_is() { [ "$1" -eq "$2" ]; }
# An address as openssl prints it: IPv6 expanded to 8 groups, upper case, no leading zeros.
openssl_ip() {
    case $1 in
        *:*) awk -v a="$1" '
                 function h(x) { x = toupper(x); sub(/^0+/, "", x); return x == "" ? "0" : x }
                 BEGIN {
                 n = split(a, half, "::"); g1 = (half[1] == "" ? 0 : split(half[1], p1, ":"))
                 g2 = (n > 1 && half[2] != "" ? split(half[2], p2, ":") : 0); out = ""
                 for (i = 1; i <= g1; i++) out = out h(p1[i]) ":"
                 for (i = 0; i < 8 - g1 - g2; i++) out = out "0:"
                 for (i = 1; i <= g2; i++) out = out h(p2[i]) ":"
                 print substr(out, 1, length(out) - 1) }' ;;
        *) echo "$1" ;;
    esac
}
san_has_all() {   # san_has_all CERT NAME ADDR...: exactly the expected hosts are in the SANs
    local sans cert=$1 name=$2 h want; shift 2
    sans=$(san_of "$cert")
    want=$( { echo "DNS:$name"; echo "DNS:localhost"; echo "IP Address:127.0.0.1"
              echo "IP Address:0:0:0:0:0:0:0:1"
              for h in "$@"; do echo "IP Address:$(openssl_ip "$h")"; done; } | sort)
    [ "$sans" = "$want" ]
}

sanity() {
    local k=$1 key bits so co i name rest idx
    key=$(stk_key "$k"); bits=$([ "$k" = ecdsa ] && echo 256 || echo 2048)
    so="$T/stk-out-$k"; co="$T/cf-out-$k"
    echo "== $key: sanity checks (last timed run)"
    local c_pem c_key c_csr
    c_pem=$(find "$so" -maxdepth 1 -name '*.pem' ! -name '*-key.pem' ! -name 'ca.pem' | wc -l)
    c_key=$(find "$so" -maxdepth 1 -name '*-key.pem' ! -name 'ca-key.pem' | wc -l)
    c_csr=$(find "$so" -maxdepth 1 -name '*.csr' | wc -l)
    echo "   stockade: $c_pem certificates, $c_key keys, $c_csr CSRs (+ ca.pem, ca-key.pem)"
    check "stockade: $certs certificates, keys and CSRs" eval "[ $c_pem -eq $certs ] && [ $c_key -eq $certs ] && [ $c_csr -eq $certs ]"
    c_pem=$(find "$co" -maxdepth 1 -name '*.pem' ! -name '*-key.pem' | wc -l)
    c_key=$(find "$co" -maxdepth 1 -name '*-key.pem' | wc -l)
    c_csr=$(find "$co" -maxdepth 1 -name '*.csr' | wc -l)
    echo "   cfssl:    $c_pem certificates, $c_key keys, $c_csr CSRs"
    check "cfssl: $certs certificates, keys and CSRs" eval "[ $c_pem -eq $certs ] && [ $c_key -eq $certs ] && [ $c_csr -eq $certs ]"

    # Sample: first, middle, last node and up to 5 random ones, plus operator.
    local sample=(1 $(( (n + 1) / 2 )) "$n") r
    for ((r = 0; r < 5 && r < n; r++)); do sample+=($(( RANDOM % n + 1 ))); done
    mapfile -t sample < <(printf '%s\n' "${sample[@]}" | sort -n -u)
    local verified=0 total=0
    for idx in "${sample[@]}"; do
        read -r name rest < <(sed -n "${idx}p" "$T/nodes.txt")
        total=$((total + 1))
        openssl verify -CAfile "$so/ca.pem" "$so/$name.pem" >/dev/null 2>&1 && verified=$((verified + 1))
        # shellcheck disable=SC2086
        check "stockade $name: SANs = name, localhost, $rest, 127.0.0.1, ::1" san_has_all "$so/$name.pem" "$name" $rest
        check "stockade $name: $bits-bit key, matches $name-key.pem" eval "bits_are $so/$name.pem $bits && key_matches $so/$name.pem $so/$name-key.pem"
        check "stockade $name: EKU server+client" eku_is "$so/$name.pem" "TLS Web Server Authentication, TLS Web Client Authentication"
        check "cfssl    $name: verifies, same SANs as stockade's, $bits-bit key, EKU server+client" \
            eval "openssl verify -CAfile $T/cf-ca-$k/ca.pem $co/$name.pem && sans_equal $co/$name.pem $so/$name.pem && bits_are $co/$name.pem $bits && eku_is $co/$name.pem 'TLS Web Server Authentication, TLS Web Client Authentication'"
    done
    openssl verify -CAfile "$so/ca.pem" "$so/operator.pem" >/dev/null 2>&1 && verified=$((verified + 1)); total=$((total + 1))
    check "stockade operator: EKU client only, no SANs, $bits-bit key, matches key" \
        eval "eku_is $so/operator.pem 'TLS Web Client Authentication' && sans_none $so/operator.pem && bits_are $so/operator.pem $bits && key_matches $so/operator.pem $so/operator-key.pem"
    check "cfssl    operator: verifies, EKU client only, no SANs" \
        eval "openssl verify -CAfile $T/cf-ca-$k/ca.pem $co/operator.pem && eku_is $co/operator.pem 'TLS Web Client Authentication' && sans_none $co/operator.pem"
    check "stockade: openssl verify -CAfile ca.pem: $verified/$total sampled certificates OK" count_is "$verified" "$total"
    check "stockade pki verify --spec --dir (all $certs)" $stockade pki verify --spec "$T/spec-$k.yaml" --dir "$so"
    echo
}

# ---------------------------------------------------------------------------------------------
for k in $KEYS; do setup "$k"; done
for k in $KEYS; do
    if [ "$k" = ecdsa ]; then measure ecdsa "$RUNS" "$WARMUP"; else measure rsa "$RSA_RUNS" "$RSA_WARMUP"; fi
done
jar_after=$(jar_sum)
for k in $KEYS; do sanity "$k"; done

# ---------------------------------------------------------------------------------------------
echo "== results: $n nodes, $certs certificates per run; CA creation excluded for both tools"
printf '%-14s %-11s %6s %5s %10s %9s %10s %9s %13s\n' tool key N runs "mean s" "± s" "user s" "sys s" "ms/cert"
for k in $KEYS; do
    jq -r --argjson c "$certs" --arg n "$n" '.results[] |
        [(.command | split(" ")[0]), (.command | split(" ")[1]), $n, (.times | length),
         .mean, (.stddev // 0), .user, .system, (.mean * 1000 / $c)] | @tsv' "$T/hf-$k.json"
done | while IFS=$'\t' read -r tool key nn runs mean sd user sys per; do
    printf '%-14s %-11s %6s %5s %10.2f %9.2f %10.2f %9.2f %13.2f\n' "$tool" "$key" "$nn" "$runs" "$mean" "$sd" "$user" "$sys" "$per"
done
echo
verdict=""
for k in $KEYS; do
    ratio=$(jq -r '(.results[] | select(.command | startswith("cfssl ")) | .mean) /
                   (.results[] | select(.command | startswith("stockade ")) | .mean)' "$T/hf-$k.json")
    printf 'ratio cfssl/stockade, %-10s  %8.2fx\n' "$(stk_key "$k"):" "$ratio"
    if [ -n "$base_stockade" ]; then
        printf 'ratio cfssl/stockade-base (%s), %-10s  %8.2fx\n' "${base_rev:0:7}" "$(stk_key "$k"):" \
            "$(jq -r '(.results[] | select(.command | startswith("cfssl ")) | .mean) /
                      (.results[] | select(.command | startswith("stockade-base ")) | .mean)' "$T/hf-$k.json")"
    fi
    if [ "$k" = ecdsa ]; then
        verdict=$(awk -v r="$ratio" 'BEGIN {print (r >= 10 ? "PASS" : "FAIL")}')
    fi
done
[ -n "$verdict" ] && echo "target >= 10x for ECDSA: $verdict"
echo "stockade user s > mean s means it used more than one core (nproc $(nproc)); cfssl's loop runs one process at a time."
if [ "$jar_before" != "$jar_after" ]; then
    if [ "$snapshot" = 1 ]; then echo "note: target/stockade.jar changed during the benchmark; the timed snapshot did not."
    else echo "WARNING: target/stockade.jar changed during the benchmark (rebuilt by bin/stockade?); Stockade figures may include a Maven build."; fi
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg) (other work on this $(nproc)-core machine skews the figures)"
echo
[ "$jmh_mode" = 1 ] && jmh
if [ "$fails" -eq 0 ]; then echo "sanity: all checks passed"; else echo "sanity: $fails check(s) FAILED"; exit 1; fi
