#!/bin/sh
# Test PKI for EtcdClusterIT, made with openssl only (ECDSA P-256, valid for 2 days).
#
# usage: gen-test-pki.sh OUTDIR NAME=IP...
#
# Writes into OUTDIR (which must exist):
#   ca.crt ca.key                  the cluster CA
#   NAME.crt NAME.key              per node: EKU serverAuth+clientAuth,
#                                  SANs IP:<IP>, IP:127.0.0.1, DNS:localhost, DNS:NAME
#   client.crt client.key          EKU clientAuth, signed by ca
#   other-ca.crt other-ca.key      an unrelated CA
#   other-client.crt other-client.key
#                                  EKU clientAuth, same subject as client, signed by other-ca
# Every openssl call gets its own minimal config (-config), so the system openssl.cnf does not matter.
set -eu

out=$1
shift
cd "$out"
umask 077
days=2

# ca NAME CN
ca() {
    cat > "$1.cnf" <<CNF
[req]
distinguished_name = dn
prompt = no
x509_extensions = ext
[dn]
O = Stockade tests
CN = $2
[ext]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
CNF
    openssl req -config "$1.cnf" -x509 -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$1.key" -out "$1.crt" -days "$days" -set_serial "0x$(openssl rand -hex 16)"
    rm -f "$1.cnf"
}

# leaf CA NAME CN EKU [SANS]
leaf() {
    cat > "$2.cnf" <<CNF
[req]
distinguished_name = dn
prompt = no
[dn]
O = Stockade tests
CN = $3
[ext]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = $4
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
    if [ -n "${5:-}" ]; then
        echo "subjectAltName = $5" >> "$2.cnf"
    fi
    openssl req -config "$2.cnf" -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
        -keyout "$2.key" -out "$2.csr"
    openssl x509 -req -in "$2.csr" -CA "$1.crt" -CAkey "$1.key" -set_serial "0x$(openssl rand -hex 16)" \
        -days "$days" -extfile "$2.cnf" -extensions ext -out "$2.crt"
    rm -f "$2.csr" "$2.cnf"
    openssl verify -CAfile "$1.crt" -purpose sslclient "$2.crt" > /dev/null
}

ca ca "Stockade test etcd CA"
for node in "$@"; do
    name=${node%%=*}
    ip=${node#*=}
    leaf ca "$name" "$name" "serverAuth, clientAuth" "IP:$ip, IP:127.0.0.1, DNS:localhost, DNS:$name"
    openssl verify -CAfile ca.crt -purpose sslserver "$name.crt" > /dev/null
done
leaf ca client stockade-test-client "clientAuth"
ca other-ca "Unrelated test CA"
leaf other-ca other-client stockade-test-client "clientAuth"
# readable for etcd whatever user it might run as; the keys are throw-away test keys
chmod 0644 ./*.crt
