package dev.stockade.audit;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.util.List;
import java.util.Optional;

/**
 * The running etcd, as its process was started (environment and flags, the flags winning): client
 * and peer URLs over plaintext {@code http://} off loopback, the obsolete {@code ETCD_CA_FILE}
 * (etcd 3 ignores it and accepts clients without certificates), TLS without client certificate
 * checks, and key files that others can read.
 */
final class EtcdChecks {

    private static final List<String> URLS = List.of(
            "ETCD_LISTEN_CLIENT_URLS",
            "ETCD_ADVERTISE_CLIENT_URLS",
            "ETCD_LISTEN_PEER_URLS",
            "ETCD_INITIAL_ADVERTISE_PEER_URLS");

    private EtcdChecks() {}

    static void check(HostFacts facts, List<Finding> out) {
        ProbeOutput o = facts.output(Probe.ETCD_PROCESS);
        if (!o.ok()) {
            if (o.status() != ProbeOutput.Status.ABSENT) {
                out.add(Checks.notEvaluated(facts.host(), o, "the etcd checks"));
            }
            return;
        }
        if (o.stdout().isBlank()) {
            return; // etcd does not run here
        }
        Settings s = Settings.etcd(o.stdout());
        for (String key : URLS) {
            s.last(key).ifPresent(v -> {
                for (String url : v.value().split(",")) {
                    String u = url.strip();
                    if (u.startsWith("http://") && !loopback(u)) {
                        out.add(HostChecks.finding(
                                "AUD-ETCD-PLAINTEXT",
                                Severity.ERROR,
                                facts,
                                o,
                                v.line(),
                                "etcd " + key + " has " + u + ": keys, values and credentials travel in clear text",
                                "serve https:// with ETCD_CERT_FILE/ETCD_KEY_FILE and ETCD_CLIENT_CERT_AUTH=true"));
                    }
                }
            });
        }
        for (String key : List.of("ETCD_CA_FILE", "ETCD_PEER_CA_FILE")) {
            s.last(key)
                    .ifPresent(v -> out.add(HostChecks.finding(
                            "AUD-ETCD-CA-FILE",
                            Severity.ERROR,
                            facts,
                            o,
                            v.line(),
                            key + " is obsolete: etcd 3 ignores it and then accepts clients without a certificate",
                            "use " + key.replace("CA_FILE", "TRUSTED_CA_FILE") + " with "
                                    + (key.contains("PEER") ? "ETCD_PEER_CLIENT_CERT_AUTH" : "ETCD_CLIENT_CERT_AUTH")
                                    + "=true")));
        }
        clientAuth(facts, o, s, "ETCD_CERT_FILE", "ETCD_CLIENT_CERT_AUTH", "clients", out);
        clientAuth(facts, o, s, "ETCD_PEER_CERT_FILE", "ETCD_PEER_CLIENT_CERT_AUTH", "peers", out);
        keys(facts, out);
    }

    private static void clientAuth(
            HostFacts facts, ProbeOutput o, Settings s, String cert, String auth, String who, List<Finding> out) {
        Optional<Settings.Value> c = s.last(cert).filter(v -> !v.value().isEmpty());
        if (c.isPresent() && !s.last(auth).map(v -> v.value().equals("true")).orElse(false)) {
            out.add(HostChecks.finding(
                    "AUD-ETCD-CLIENT-AUTH",
                    Severity.ERROR,
                    facts,
                    o,
                    c.get().line(),
                    "etcd serves TLS to " + who + " without checking their certificates (" + auth
                            + " is not true): anyone who can connect is a client",
                    "set " + auth + "=true with the trusted CA file"));
        }
    }

    /** Key files the running etcd names, by mode only (the collector never reads them). */
    private static void keys(HostFacts facts, List<Finding> out) {
        ProbeOutput o = facts.output(Probe.ETCD_KEYS);
        if (!o.ok()) {
            return;
        }
        String[] lines = o.stdout().split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String[] f = lines[i].strip().split("\\s+");
            if (f.length == 4 && f[3].matches("[0-7]{1,4}") && (Integer.parseInt(f[3], 8) & 077) != 0) {
                out.add(HostChecks.finding(
                        "AUD-KEY-MODE",
                        Severity.ERROR,
                        facts,
                        o,
                        i + 1,
                        f[0] + " (etcd's private key) has mode 0" + f[3].replaceFirst("^0", "") + ", owner " + f[1]
                                + ":" + f[2] + ": other users can read it",
                        "chmod 0600 " + f[0] + " and chown it to the etcd user"));
            }
        }
    }

    private static boolean loopback(String url) {
        String rest = url.substring("http://".length());
        return rest.startsWith("127.") || rest.startsWith("localhost") || rest.startsWith("[::1]");
    }
}
