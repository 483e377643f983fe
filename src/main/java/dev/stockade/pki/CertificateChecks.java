package dev.stockade.pki;

import dev.stockade.net.Prefix;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks a stored certificate against its CA and what it is for. Every problem is a
 * {@link Finding} with a stable id: {@code PKI-CHAIN}, {@code PKI-KEY-MISMATCH},
 * {@code PKI-SAN-MISSING}, {@code PKI-EKU}, {@code PKI-EXPIRED}, {@code PKI-EXPIRING},
 * {@code PKI-NOT-YET-VALID}, {@code PKI-KEY-PERMISSIONS}; for the CA itself {@code PKI-CA-EXPIRED} and
 * {@code PKI-CA-EXPIRING}.
 */
public final class CertificateChecks {

    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    private CertificateChecks() {}

    public static List<Finding> checkCa(X509Certificate ca, String subject, Instant now, Duration warn) {
        List<Finding> out = new ArrayList<>();
        Instant end = ca.getNotAfter().toInstant();
        if (!end.isAfter(now)) {
            out.add(new Finding(
                    "PKI-CA-EXPIRED",
                    Severity.ERROR,
                    subject,
                    "the CA expired on " + end,
                    "create a new CA (stockade pki init --force) and re-issue every certificate"));
        } else if (end.isBefore(now.plus(warn))) {
            out.add(new Finding(
                    "PKI-CA-EXPIRING",
                    Severity.WARNING,
                    subject,
                    "the CA expires on " + end,
                    "plan a CA rotation before then"));
        }
        return out;
    }

    public static List<Finding> check(
            StoredCertificate c, X509Certificate ca, Expectation e, Instant now, Duration warn) {
        List<Finding> out = new ArrayList<>();
        String subject = c.certFile().toString();
        X509Certificate cert = c.certificate();
        if (!signedBy(cert, ca)) {
            out.add(new Finding(
                    "PKI-CHAIN",
                    Severity.ERROR,
                    subject,
                    "not signed by this cluster's CA ("
                            + ca.getSubjectX500Principal().getName() + ")",
                    "re-issue it: stockade pki renew --spec SPEC"));
        }
        if (!Keys.matches(c.key(), cert.getPublicKey())) {
            out.add(new Finding(
                    "PKI-KEY-MISMATCH",
                    Severity.ERROR,
                    c.keyFile().toString(),
                    "the key does not belong to " + c.certFile().getFileName(),
                    "re-issue both: stockade pki renew --spec SPEC"));
        }
        validity(cert, subject, now, warn, out);
        names(cert, subject, e, out);
        usages(cert, subject, e.role(), out);
        Set<PosixFilePermission> p = c.keyPermissions();
        if (p.stream().anyMatch(x -> !x.name().startsWith("OWNER"))) {
            out.add(new Finding(
                    "PKI-KEY-PERMISSIONS",
                    Severity.ERROR,
                    c.keyFile().toString(),
                    "the private key is readable by group or others ("
                            + java.nio.file.attribute.PosixFilePermissions.toString(p) + ")",
                    "chmod 0600 " + c.keyFile()));
        }
        return out;
    }

    /** Whether {@code ca} issued and signed {@code cert} (BouncyCastle's EC code for EC CAs). */
    public static boolean signedBy(X509Certificate cert, X509Certificate ca) {
        if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
            return false;
        }
        if (ca.getPublicKey() instanceof java.security.interfaces.ECPublicKey
                && KeySpec.of(ca.getPublicKey()).isPresent()) {
            return FastEc.verify(cert, (java.security.interfaces.ECPublicKey) ca.getPublicKey());
        }
        try {
            cert.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static void validity(X509Certificate cert, String subject, Instant now, Duration warn, List<Finding> out) {
        Instant start = cert.getNotBefore().toInstant();
        Instant end = cert.getNotAfter().toInstant();
        if (start.isAfter(now)) {
            out.add(new Finding(
                    "PKI-NOT-YET-VALID",
                    Severity.ERROR,
                    subject,
                    "not valid before " + start,
                    "check the signing machine's clock"));
        } else if (!end.isAfter(now)) {
            out.add(new Finding(
                    "PKI-EXPIRED", Severity.ERROR, subject, "expired on " + end, "stockade pki renew --spec SPEC"));
        } else if (end.isBefore(now.plus(warn))) {
            out.add(new Finding(
                    "PKI-EXPIRING",
                    Severity.WARNING,
                    subject,
                    "expires on " + end + " (within " + warn.toDays() + " days)",
                    "stockade pki renew --spec SPEC"));
        }
    }

    private static void names(X509Certificate cert, String subject, Expectation e, List<Finding> out) {
        Set<String> dns = new TreeSet<>();
        Set<String> ips = new TreeSet<>();
        sans(cert, dns, ips);
        Set<String> missingDns = new TreeSet<>(e.dnsNames());
        missingDns.removeAll(dns);
        Set<String> missingIps = new TreeSet<>();
        for (String ip : e.ipAddresses()) {
            if (!containsIp(ips, ip)) {
                missingIps.add(ip);
            }
        }
        if (!missingDns.isEmpty() || !missingIps.isEmpty()) {
            List<String> all = new ArrayList<>(missingIps);
            all.addAll(missingDns);
            out.add(new Finding(
                    "PKI-SAN-MISSING",
                    Severity.ERROR,
                    subject,
                    "the certificate does not cover " + String.join(", ", all)
                            + " (TLS to that name or address will fail)",
                    "re-issue it with every address the node is reached by: stockade pki renew --spec SPEC"));
        }
    }

    private static boolean containsIp(Collection<String> sans, String ip) {
        Prefix want = Prefix.parse(ip);
        for (String s : sans) {
            try {
                if (Prefix.parse(s).equals(want)) {
                    return true;
                }
            } catch (IllegalArgumentException ignored) {
                // not an address we can compare
            }
        }
        return false;
    }

    /** Subject alternative names, split into DNS names and IP addresses. */
    public static void sans(X509Certificate cert, Set<String> dns, Set<String> ips) {
        try {
            Collection<List<?>> all = cert.getSubjectAlternativeNames();
            if (all == null) {
                return;
            }
            for (List<?> san : all) {
                int type = (Integer) san.get(0);
                if (type == 2) {
                    dns.add((String) san.get(1));
                } else if (type == 7) {
                    ips.add((String) san.get(1));
                }
            }
        } catch (CertificateParsingException e) {
            // no readable SANs: reported as missing names by the caller
        }
    }

    private static void usages(X509Certificate cert, String subject, Role role, List<Finding> out) {
        List<String> eku;
        try {
            eku = cert.getExtendedKeyUsage() == null ? List.of() : cert.getExtendedKeyUsage();
        } catch (CertificateParsingException e) {
            eku = List.of();
        }
        boolean server = eku.contains(SERVER_AUTH);
        boolean client = eku.contains(CLIENT_AUTH);
        if (role == Role.PEER && !(server && client)) {
            out.add(new Finding(
                    "PKI-EKU",
                    Severity.ERROR,
                    subject,
                    "an etcd member needs both server and client auth " + "(has: " + ekuText(server, client) + ")",
                    "re-issue it: stockade pki renew --spec SPEC"));
        }
        if (role == Role.CLIENT && !client) {
            out.add(new Finding(
                    "PKI-EKU",
                    Severity.ERROR,
                    subject,
                    "a client certificate needs client auth (has: " + ekuText(server, client) + ")",
                    "re-issue it: stockade pki renew --spec SPEC"));
        }
        if (cert.getBasicConstraints() >= 0) {
            out.add(new Finding(
                    "PKI-EKU", Severity.ERROR, subject, "a leaf certificate must not be a CA", "re-issue it"));
        }
    }

    private static String ekuText(boolean server, boolean client) {
        if (server && client) {
            return "server, client";
        }
        return server ? "server only" : client ? "client only" : "neither";
    }
}
