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
        certificates(facts, s, out);
    }

    /** Certificates expiring within this many days are a warning. */
    static final int EXPIRY_WARNING_DAYS = 30;

    /**
     * The certificates the running etcd names (its own, its peer one, the trusted CAs): expired or
     * close to it, and its own not covering the addresses it advertises (clients then fail to
     * verify it, and people turn verification off).
     */
    private static void certificates(HostFacts facts, Settings settings, List<Finding> out) {
        ProbeOutput o = facts.output(Probe.ETCD_CERTS);
        if (!o.ok() || o.stdout().isBlank()) {
            return;
        }
        String[] lines = o.stdout().split("\n", -1);
        java.time.Instant now = java.time.Instant.now();
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("# ")) {
                continue;
            }
            String[] head = lines[i].substring(2).split(" ", 2);
            if (head.length < 2) {
                continue;
            }
            int header = i + 1;
            StringBuilder pem = new StringBuilder();
            while (i + 1 < lines.length && !lines[i + 1].startsWith("# ")) {
                pem.append(lines[++i]).append('\n');
            }
            List<java.security.cert.X509Certificate> certs = parse(pem.toString());
            if (certs.isEmpty()) {
                out.add(HostChecks.finding(
                        "AUD-FACT",
                        Severity.WARNING,
                        facts,
                        o,
                        header,
                        head[1] + " (" + head[0] + ") holds no certificate that can be read",
                        "check the file etcd is given"));
                continue;
            }
            for (java.security.cert.X509Certificate c : certs) {
                java.time.Instant end = c.getNotAfter().toInstant();
                long days = java.time.Duration.between(now, end).toDays();
                if (end.isBefore(now) || days < EXPIRY_WARNING_DAYS) {
                    out.add(HostChecks.finding(
                            "AUD-CERT-EXPIRY",
                            end.isBefore(now) ? Severity.ERROR : Severity.WARNING,
                            facts,
                            o,
                            header,
                            head[1] + " (" + c.getSubjectX500Principal().getName() + ") "
                                    + (end.isBefore(now) ? "expired on " : "expires on ") + end
                                    + (end.isBefore(now) ? ": etcd's TLS connections fail" : " (in " + days + " days)"),
                            "renew it (stockade pki renew --spec cluster.yaml) and restart etcd"));
                }
            }
            boolean own = !head[0].contains("TRUSTED_CA") && !head[0].contains("trusted-ca");
            if (own) {
                boolean peer = head[0].contains("PEER") || head[0].contains("peer");
                String urls = peer ? "ETCD_INITIAL_ADVERTISE_PEER_URLS" : "ETCD_ADVERTISE_CLIENT_URLS";
                settings.last(urls).ifPresent(v -> {
                    for (String url : v.value().split(",")) {
                        String hostPart = hostOf(url.strip());
                        if (!hostPart.isEmpty() && !covers(certs.get(0), hostPart)) {
                            out.add(HostChecks.finding(
                                    "AUD-CERT-SAN",
                                    Severity.WARNING,
                                    facts,
                                    o,
                                    header,
                                    head[1] + " does not name " + hostPart + ", which etcd advertises in " + urls
                                            + ": clients that check the name refuse it",
                                    "issue it with " + hostPart + " among its names (stockade pki issue puts every node"
                                            + " address in)"));
                        }
                    }
                });
            }
        }
    }

    private static List<java.security.cert.X509Certificate> parse(String pem) {
        List<java.security.cert.X509Certificate> out = new java.util.ArrayList<>();
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            return out;
        }
        try {
            java.security.cert.CertificateFactory f = java.security.cert.CertificateFactory.getInstance("X.509");
            for (java.security.cert.Certificate c : f.generateCertificates(
                    new java.io.ByteArrayInputStream(pem.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))) {
                out.add((java.security.cert.X509Certificate) c);
            }
        } catch (java.security.cert.CertificateException e) {
            return List.of();
        }
        return out;
    }

    /** The host of {@code https://HOST:PORT} (IPv6 without brackets); empty when there is none. */
    static String hostOf(String url) {
        int scheme = url.indexOf("://");
        String rest = scheme < 0 ? url : url.substring(scheme + 3);
        if (rest.startsWith("[")) {
            int end = rest.indexOf(']');
            return end < 0 ? "" : rest.substring(1, end);
        }
        int end = rest.length();
        for (char c : new char[] {':', '/'}) {
            int at = rest.indexOf(c);
            if (at >= 0 && at < end) {
                end = at;
            }
        }
        return rest.substring(0, end);
    }

    /** Whether a subject alternative name of {@code cert} is {@code host} (an IP address, or a DNS name, one '*.' level). */
    static boolean covers(java.security.cert.X509Certificate cert, String host) {
        try {
            java.util.Collection<List<?>> names = cert.getSubjectAlternativeNames();
            if (names == null) {
                return false;
            }
            boolean ip = host.contains(":") || host.matches("[0-9.]+");
            for (List<?> n : names) {
                int type = (Integer) n.get(0);
                String value = String.valueOf(n.get(1));
                if (ip && type == 7 && sameAddress(value, host)) {
                    return true;
                }
                if (!ip
                        && type == 2
                        && (value.equalsIgnoreCase(host)
                                || (value.startsWith("*.")
                                        && host.toLowerCase(java.util.Locale.ROOT)
                                                .endsWith(value.substring(1).toLowerCase(java.util.Locale.ROOT))
                                        && host.indexOf('.') == host.length() - value.length() + 1))) {
                    return true;
                }
            }
            return false;
        } catch (java.security.cert.CertificateParsingException e) {
            return false;
        }
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return java.net.InetAddress.getByName(a).equals(java.net.InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return a.equalsIgnoreCase(b);
        }
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

    /**
     * {@code AUD-LOCKSMITH-TLS}: locksmithd takes its reboot lock in etcd (strategy etcd-lock, or
     * the default best-effort) over plain HTTP, which is its default endpoint, or over https
     * without a client certificate, which an etcd checking client certificates refuses (reboots
     * then stall). Its endpoint comes from its unit's environment, and update.conf (its
     * environment file) wins over that, as systemd reads them.
     */
    static void locksmith(HostFacts facts, List<Finding> out) {
        ProbeOutput units = facts.output(Probe.UNITS);
        if (!units.ok()) {
            return; // the unit checks already say the fact is missing
        }
        UnitState unit = UnitState.parse(units.stdout()).get("locksmithd.service");
        if (unit == null || !unit.running()) {
            return;
        }
        ProbeOutput conf = facts.output(Probe.UPDATE_CONF);
        ProbeOutput env = facts.output(Probe.LOCKSMITH);
        Settings fromConf = Settings.keyValues(conf.ok() ? conf.stdout() : "");
        Settings fromEnv = Settings.keyValues(env.ok() ? env.stdout() : "");
        String strategy =
                fromConf.last("REBOOT_STRATEGY").map(Settings.Value::value).orElse("best-effort");
        if (!strategy.equals("etcd-lock") && !strategy.equals("best-effort")) {
            return;
        }
        if (!env.ok() && fromConf.last("LOCKSMITHD_ENDPOINT").isEmpty()) {
            out.add(Checks.notEvaluated(facts.host(), env, "the locksmith TLS check"));
            return;
        }
        ProbeOutput where = fromConf.last("LOCKSMITHD_ENDPOINT").isPresent() ? conf : env;
        Optional<Settings.Value> endpoint =
                fromConf.last("LOCKSMITHD_ENDPOINT").or(() -> fromEnv.last("LOCKSMITHD_ENDPOINT"));
        String urls = endpoint.map(Settings.Value::value).orElse("http://127.0.0.1:2379");
        int line = endpoint.map(Settings.Value::line).orElse(1);
        if (java.util.Arrays.stream(urls.split(",")).anyMatch(u -> u.strip().startsWith("http://"))) {
            out.add(HostChecks.finding(
                    "AUD-LOCKSMITH-TLS",
                    Severity.ERROR,
                    facts,
                    where,
                    line,
                    "locksmithd takes its reboot lock in etcd over plain HTTP (" + urls
                            + (endpoint.isEmpty() ? ", its default" : "") + "): anyone who reaches etcd can hold or"
                            + " release it",
                    "set LOCKSMITHD_ENDPOINT=https://... with LOCKSMITHD_ETCD_CAFILE, _CERTFILE and _KEYFILE"
                            + " (stockade build does so for updates: etcd-lock)"));
            return;
        }
        boolean cert = fromConf.last("LOCKSMITHD_ETCD_CERTFILE")
                .or(() -> fromEnv.last("LOCKSMITHD_ETCD_CERTFILE"))
                .isPresent();
        boolean key = fromConf.last("LOCKSMITHD_ETCD_KEYFILE")
                .or(() -> fromEnv.last("LOCKSMITHD_ETCD_KEYFILE"))
                .isPresent();
        if (!cert || !key) {
            out.add(HostChecks.finding(
                    "AUD-LOCKSMITH-TLS",
                    Severity.WARNING,
                    facts,
                    where,
                    line,
                    "locksmithd reaches etcd over https (" + urls + ") without a client certificate: an etcd that"
                            + " checks client certificates refuses it, and reboots wait forever",
                    "set LOCKSMITHD_ETCD_CERTFILE and LOCKSMITHD_ETCD_KEYFILE to a client certificate of the etcd CA"));
        }
    }
}
