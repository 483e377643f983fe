#!/usr/bin/env bash
# The command bench/pki.sh times for cfssl: the usual way of issuing a cluster's certificates,
# one `cfssl gencert | cfssljson -bare` per certificate.
#
#   bench/pki/cfssl-loop.sh CA_DIR LIST CSR_DIR OUT_DIR
#
# CA_DIR holds ca.pem, ca-key.pem and ca-config.json; LIST has one "NAME PROFILE" line per
# certificate; CSR_DIR/NAME.json is NAME's cfssl certificate request; OUT_DIR receives
# NAME.pem, NAME-key.pem and NAME.csr. The loop is bounded by the lines of LIST.
set -euo pipefail
[ $# -eq 4 ] || { echo "usage: $0 CA_DIR LIST CSR_DIR OUT_DIR" >&2; exit 2; }
ca=$1 list=$2 csr=$3 out=$4

while read -r name profile; do
    cfssl gencert -ca "$ca/ca.pem" -ca-key "$ca/ca-key.pem" -config "$ca/ca-config.json" \
        -profile "$profile" "$csr/$name.json" | cfssljson -bare "$out/$name"
done <"$list"
