package dev.stockade.build;

import dev.stockade.pki.CaPassphrase;
import dev.stockade.pki.CertRequest;
import dev.stockade.pki.CertificateAuthority;
import dev.stockade.pki.CertificateChecks;
import dev.stockade.pki.Crl;
import dev.stockade.pki.Expectation;
import dev.stockade.pki.IssuedCertificate;
import dev.stockade.pki.PkiStore;
import dev.stockade.pki.Revocations;
import dev.stockade.pki.Role;
import dev.stockade.pki.Signer;
import dev.stockade.pki.StoredCertificate;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.NodeSpec;
import dev.stockade.spec.ProxySpec;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The certificates a cluster needs, and keeping a PKI directory in line with the spec: issue what
 * is missing, reuse what is still valid (a re-run never re-keys a healthy cluster), and re-issue
 * what is invalid or expiring only in {@link Mode#RENEW}.
 */
public final class ClusterPki {

    /** How far ahead expiry counts as "expiring". */
    public static final Duration DEFAULT_WARN = Duration.ofDays(30);

    public enum Mode {
        ISSUE_MISSING,
        RENEW
    }

    /** One certificate the cluster needs. */
    public record Planned(String name, Role role, CertRequest request, Expectation expectation) {}

    /** What {@link #ensure} did, by certificate name. */
    public record Outcome(
            boolean caCreated,
            boolean caKeyEncrypted,
            List<String> created,
            List<String> reused,
            List<String> renewed,
            List<Finding> findings) {

        public boolean hasErrors() {
            return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
        }
    }

    private ClusterPki() {}

    /**
     * The nodes an earlier build had ({@code previousNodes}) that the spec no longer has, whose
     * certificates are still in the PKI and not revoked: what {@code build} revokes when nodes leave.
     * A name the spec still plans a certificate for (e.g. a client) is never among them.
     */
    public static List<String> departed(ClusterSpec spec, PkiStore store, List<String> previousNodes)
            throws InputException {
        Set<String> planned = new LinkedHashSet<>();
        plan(spec).forEach(p -> planned.add(p.name()));
        Revocations revocations = store.revocations();
        List<String> departed = new ArrayList<>();
        for (String name : previousNodes) {
            if (!planned.contains(name)
                    && !name.equals(PkiStore.CA)
                    && java.nio.file.Files.exists(store.certFile(name))
                    && revocations
                            .find(store.loadCertificate(name).getSerialNumber())
                            .isEmpty()) {
                departed.add(name);
            }
        }
        return departed;
    }

    public static List<Planned> plan(ClusterSpec spec) {
        List<Planned> out = new ArrayList<>();
        Duration validity = Duration.ofDays(spec.pki().certDays());
        for (NodeSpec n : spec.nodes()) {
            Set<String> dns = new LinkedHashSet<>(List.of(n.name(), n.hostname(), "localhost"));
            Set<String> ips = new LinkedHashSet<>();
            n.addresses().forEach(a -> ips.add(a.address()));
            ips.add("127.0.0.1");
            ips.add("::1");
            CertRequest req = new CertRequest(
                    n.name(),
                    n.name(),
                    List.of(),
                    List.copyOf(dns),
                    List.copyOf(ips),
                    CertRequest.usagesFor(Role.PEER),
                    validity,
                    false);
            out.add(new Planned(n.name(), Role.PEER, req, new Expectation(Role.PEER, dns, ips)));
        }
        if (spec.proxy().filter(p -> p.tls() instanceof ProxySpec.Internal).isPresent()) {
            // one certificate for every proxy node, naming the routes' hosts
            Set<String> hosts = new LinkedHashSet<>(spec.proxy().get().hosts());
            CertRequest req = new CertRequest(
                    ProxySpec.CERT_NAME,
                    hosts.stream().findFirst().orElse(ProxySpec.CERT_NAME),
                    List.of(),
                    List.copyOf(hosts),
                    List.of(),
                    CertRequest.usagesFor(Role.PEER),
                    validity,
                    false);
            out.add(new Planned(ProxySpec.CERT_NAME, Role.PEER, req, new Expectation(Role.PEER, hosts, Set.of())));
        }
        for (String client : spec.pki().clients()) {
            CertRequest req = new CertRequest(
                    client,
                    client,
                    List.of(),
                    List.of(),
                    List.of(),
                    CertRequest.usagesFor(Role.CLIENT),
                    validity,
                    false);
            out.add(new Planned(client, Role.CLIENT, req, new Expectation(Role.CLIENT, Set.of(), Set.of())));
        }
        return out;
    }

    /**
     * Checks the spec's certificates against the CA and issues what is missing (and, in {@link
     * Mode#RENEW}, what is invalid). The CA is created when there is none; otherwise only its
     * certificate is read, and its key (with {@code caPassphrase} when encrypted) only when
     * something must be signed, so a CA key kept offline is not needed for a build that reuses every
     * certificate.
     */
    /** As above, with the passphrase read (or asked for) only when the CA key must be created or used. */
    public static Outcome ensure(
            ClusterSpec spec, PkiStore store, Mode mode, Instant now, Duration warn, CaPassphrase caPassphrase)
            throws InputException, IOException {
        CertificateAuthority createdCa = null;
        X509Certificate caCert;
        if (store.hasCa()) {
            caCert = store.loadCaCertificate();
        } else {
            createdCa = Signer.newCa(
                    spec.pki().key(),
                    spec.cluster() + " cluster CA",
                    List.of(),
                    Duration.ofDays(spec.pki().caDays()),
                    now);
            store.saveCa(createdCa, caPassphrase.given(), false);
            caCert = createdCa.certificate();
        }
        boolean caCreated = createdCa != null;
        boolean encrypted = store.caKeyEncrypted();
        List<Finding> findings = new ArrayList<>(
                CertificateChecks.checkCa(caCert, store.certFile(PkiStore.CA).toString(), now, warn));
        List<String> created = new ArrayList<>();
        List<String> reused = new ArrayList<>();
        List<String> renewed = new ArrayList<>();
        if (findings.stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
            return new Outcome(caCreated, encrypted, created, reused, renewed, findings);
        }
        List<Planned> toIssue = new ArrayList<>();
        List<Planned> toRenew = new ArrayList<>();
        List<Planned> planned = plan(spec);
        // loading and checking is independent per certificate: do it on all cores, then decide in plan order
        Revocations revocations = store.revocations();
        List<Optional<List<Finding>>> checks = parallel(
                planned,
                p -> store.load(p.name())
                        .map(stored -> withRevocation(
                                CertificateChecks.check(stored, caCert, p.expectation(), now, warn),
                                stored,
                                revocations)));
        for (int i = 0; i < planned.size(); i++) {
            Planned p = planned.get(i);
            if (checks.get(i).isEmpty()) {
                toIssue.add(p);
                continue;
            }
            List<Finding> problems = checks.get(i).get();
            if (problems.isEmpty()) {
                reused.add(p.name());
            } else if (mode == Mode.RENEW && !renewingCannotHelp(problems, spec, warn)) {
                toRenew.add(p);
            } else {
                findings.addAll(problems);
                if (problems.stream().noneMatch(f -> f.severity() == Severity.ERROR)) {
                    reused.add(p.name());
                }
            }
        }
        if (findings.stream().anyMatch(f -> f.severity() == Severity.ERROR)) {
            return new Outcome(caCreated, encrypted, created, reused, renewed, findings);
        }
        findings.addAll(notInSpec(store, caCert, planned, now, revocations));
        if (toIssue.isEmpty() && toRenew.isEmpty()) {
            return new Outcome(caCreated, encrypted, created, reused, renewed, findings);
        }
        CertificateAuthority ca = caCreated ? createdCa : store.loadCa(caPassphrase);
        List<IssuedCertificate> issued = issueAll(ca, toIssue, spec, now);
        store.saveAll(issued, false);
        issued.forEach(c -> created.add(c.name()));
        List<IssuedCertificate> reissued = issueAll(ca, toRenew, spec, now);
        store.saveAll(reissued, true);
        reissued.forEach(c -> renewed.add(c.name()));
        return new Outcome(caCreated, encrypted, created, reused, renewed, findings);
    }

    /**
     * A certificate whose only problem is that it expires within {@code warn}, when every new
     * certificate would too ({@code pki.cert_days} not longer than the window): re-issuing it would
     * only start the same warning again, and every run of {@code pki renew} would re-key the cluster.
     */
    private static boolean renewingCannotHelp(List<Finding> problems, ClusterSpec spec, Duration warn) {
        return problems.stream().allMatch(f -> f.id().equals("PKI-EXPIRING"))
                && Duration.ofDays(spec.pki().certDays()).compareTo(warn) <= 0;
    }

    /** Checks every planned certificate without changing anything. */
    public static List<Finding> verify(ClusterSpec spec, PkiStore store, Instant now, Duration warn)
            throws InputException {
        if (!store.hasCa()) {
            return List.of(new Finding(
                    "PKI-MISSING",
                    Severity.ERROR,
                    store.certFile(PkiStore.CA).toString(),
                    "there is no CA",
                    "create one: stockade pki init --dir " + store.dir()));
        }
        X509Certificate ca = store.loadCaCertificate();
        List<Finding> out = new ArrayList<>(
                CertificateChecks.checkCa(ca, store.certFile(PkiStore.CA).toString(), now, warn));
        Revocations revocations = store.revocations();
        out.addAll(Crl.check(store, ca, revocations, now));
        List<Planned> planned = plan(spec);
        for (List<Finding> f : parallel(planned, p -> {
            Optional<StoredCertificate> stored = store.load(p.name());
            if (stored.isEmpty()) {
                return List.of(new Finding(
                        "PKI-MISSING",
                        Severity.ERROR,
                        store.certFile(p.name()).toString(),
                        "no certificate for " + p.role().keyword() + " '" + p.name() + "'",
                        "stockade pki issue --spec SPEC"));
            }
            return withRevocation(
                    CertificateChecks.check(stored.get(), ca, p.expectation(), now, warn), stored.get(), revocations);
        })) {
            out.addAll(f);
        }
        out.addAll(notInSpec(store, ca, planned, now, revocations));
        return out;
    }

    /**
     * Certificates of this CA, still valid, whose names the spec no longer plans (a removed node or
     * client): they still authenticate to etcd, and the operator should know.
     */
    /**
     * {@code PKI-REVOKED} added to a needed certificate's findings when its serial is in {@code
     * revoked.json}: the node or client cannot authenticate until it gets a new one ({@code pki renew}).
     */
    private static List<Finding> withRevocation(
            List<Finding> findings, StoredCertificate stored, Revocations revocations) {
        Optional<Revocations.Entry> r = revocations.find(stored.certificate().getSerialNumber());
        if (r.isEmpty()) {
            return findings;
        }
        List<Finding> out = new ArrayList<>(findings);
        out.add(new Finding(
                "PKI-REVOKED",
                Severity.ERROR,
                stored.certFile().toString(),
                "'" + stored.name() + "' is in the spec, but its certificate (serial "
                        + Revocations.hex(r.get().serial()) + ") was revoked on "
                        + r.get().revokedAt()
                        + " (" + r.get().reason().keyword() + ")",
                "issue a new key and certificate: stockade pki renew --spec SPEC"));
        return out;
    }

    private static List<Finding> notInSpec(
            PkiStore store, X509Certificate ca, List<Planned> planned, Instant now, Revocations revocations) {
        java.util.Set<String> names = planned.stream().map(Planned::name).collect(java.util.stream.Collectors.toSet());
        List<String> stored;
        try {
            stored = store.certificateNames();
        } catch (IOException e) {
            return List.of();
        }
        List<Finding> out = new ArrayList<>();
        for (String name : stored) {
            if (names.contains(name)) {
                continue;
            }
            X509Certificate c;
            try {
                c = store.loadCertificate(name);
            } catch (InputException e) {
                continue; // not a certificate Stockade made: not its business here
            }
            Instant notAfter = c.getNotAfter().toInstant();
            if (!CertificateChecks.signedBy(c, ca)
                    || !now.isBefore(notAfter)
                    || revocations.find(c.getSerialNumber()).isPresent()) {
                continue;
            }
            long days = Duration.between(now, notAfter).toDays();
            out.add(new Finding(
                    "PKI-NOT-IN-SPEC",
                    Severity.WARNING,
                    store.certFile(name).toString(),
                    "'" + name + "' is not in the spec, but its certificate is valid for " + days
                            + " more days and still authenticates to etcd",
                    "revoke it: stockade pki revoke " + name + " --reason cessation-of-operation --dir " + store.dir()
                            + " (and deploy the new CRL)"));
        }
        return out;
    }

    /** Keys and signatures are made on all cores ({@link Signer#issueAll}); the results in plan order. */
    private static List<IssuedCertificate> issueAll(
            CertificateAuthority ca, List<Planned> planned, ClusterSpec spec, Instant now) {
        return Signer.issueAll(
                ca, planned.stream().map(Planned::request).toList(), spec.pki().key(), now);
    }

    /** A step that may fail with bad input. */
    private interface Step<T, R> {
        R apply(T t) throws InputException;
    }

    /** Applies {@code step} to every item on all cores; results in input order; the first input error is rethrown. */
    private static <T, R> List<R> parallel(List<T> items, Step<T, R> step) throws InputException {
        List<Object> results = items.parallelStream()
                .map(t -> {
                    try {
                        return (Object) step.apply(t);
                    } catch (InputException e) {
                        return e;
                    }
                })
                .toList();
        List<R> out = new ArrayList<>();
        for (Object o : results) {
            if (o instanceof InputException) {
                throw (InputException) o;
            }
            @SuppressWarnings("unchecked")
            R r = (R) o;
            out.add(r);
        }
        return out;
    }

    /** Each node's CA, certificate and key as PEM text, read back from the store, and the CRL if there is one. */
    public static java.util.Map<String, dev.stockade.provision.NodeTls> nodeTls(ClusterSpec spec, PkiStore store)
            throws InputException {
        String ca = dev.stockade.io.TextFiles.read(store.certFile(PkiStore.CA), "PKI", 1 << 20);
        Optional<String> crl = java.nio.file.Files.exists(store.crlPemFile())
                ? Optional.of(dev.stockade.io.TextFiles.read(store.crlPemFile(), "PKI", 64L << 20))
                : Optional.empty();
        Optional<dev.stockade.provision.NodeTls.Pair> proxy = Optional.empty();
        if (spec.proxy().filter(p -> p.tls() instanceof ProxySpec.Internal).isPresent()) {
            proxy = Optional.of(new dev.stockade.provision.NodeTls.Pair(
                    dev.stockade.io.TextFiles.read(store.certFile(ProxySpec.CERT_NAME), "PKI", 1 << 20),
                    dev.stockade.io.TextFiles.read(store.keyFile(ProxySpec.CERT_NAME), "PKI", 1 << 20)));
        }
        java.util.Map<String, dev.stockade.provision.NodeTls> out = new java.util.LinkedHashMap<>();
        for (NodeSpec n : spec.nodes()) {
            out.put(
                    n.name(),
                    new dev.stockade.provision.NodeTls(
                            ca,
                            dev.stockade.io.TextFiles.read(store.certFile(n.name()), "PKI", 1 << 20),
                            dev.stockade.io.TextFiles.read(store.keyFile(n.name()), "PKI", 1 << 20),
                            crl,
                            proxy));
        }
        return out;
    }
}
