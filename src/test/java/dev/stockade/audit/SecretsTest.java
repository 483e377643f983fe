package dev.stockade.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SecretsTest {

    @Test
    void eachKindOfSecretRemoved_ordinaryTextKept() {
        assertEquals(
                "cannot parse '[private key removed]'",
                Secrets.redact("cannot parse '-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----'"));
        assertEquals(
                "cut short: [private key removed]", Secrets.redact("cut short: -----BEGIN PRIVATE KEY-----\nMIIE"));
        assertEquals(
                "ETCD_PASSWORD=[removed], api_key: [removed] token=[removed]",
                Secrets.redact("ETCD_PASSWORD=hunter2, api_key: abc123 token='x y'"));
        assertEquals("https://[removed]@10.250.0.1:2379", Secrets.redact("https://lock:pw@10.250.0.1:2379"));
        assertEquals("bearer [removed]", Secrets.redact("bearer eyJhbGciOi.eyJzdWIiOiIx.c2ln"));
        String ordinary = "tcp/22 (sshd) on every IPv4 address can be reached over IPv4 from 203.0.113.0/24;"
                + " PermitRootLogin yes; -----BEGIN CERTIFICATE-----";
        assertEquals(ordinary, Secrets.redact(ordinary));
        assertEquals("", Secrets.redact(""));
    }
}
