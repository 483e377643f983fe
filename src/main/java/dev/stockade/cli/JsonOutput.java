package dev.stockade.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.stockade.analysis.AddressSet;
import dev.stockade.analysis.Doubt;
import dev.stockade.analysis.Exposure;
import dev.stockade.analysis.Interval;
import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketQuery;
import dev.stockade.analysis.RulesetDiff;
import dev.stockade.analysis.ServiceMatrix;
import dev.stockade.apply.NodeApply;
import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterPki;
import dev.stockade.build.FirewallProof;
import dev.stockade.build.NodeOutput;
import dev.stockade.firewall.Opening;
import dev.stockade.json.Json;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.pki.Crl;
import dev.stockade.pki.Inspection;
import dev.stockade.pki.Revocations;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.Finding;
import dev.stockade.report.SourceSpan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Every JSON document the CLI prints is written here, field by field, with jackson-core's streaming
 * generator as {@link Json} configures it (no data binding, no reflection). Keys are camelCase and are a stable API (see "JSON
 * output" in docs/design.md): rename none, add new ones. Absent values are {@code null}, lists are
 * never left out, locations are {@code {"file", "line", "column"}} objects. Output is indented by
 * two spaces; control characters (C0, DEL, C1) and the Unicode line separators are escaped, so a
 * value can never steer a terminal.
 */
final class JsonOutput {

    private JsonOutput() {}

    /** Prints one JSON object, built by {@code body}, and a final newline. */
    static void print(PrintWriter out, Json.Body body) {
        Json.object(out, body);
    }

    static void family(JsonGenerator g, IpFamily family) throws IOException {
        g.writeStringField("family", family == IpFamily.V4 ? "ipv4" : "ipv6");
    }

    /** An array of strings, as {@code field} or, with a null field, as an array element. */
    static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        if (field == null) {
            g.writeStartArray();
        } else {
            g.writeArrayFieldStart(field);
        }
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }

    static void nullableString(JsonGenerator g, String field, Optional<String> value) throws IOException {
        if (value.isPresent()) {
            g.writeStringField(field, value.get());
        } else {
            g.writeNullField(field);
        }
    }

    /** {@code "location": {"file", "line", "column"}} or {@code null}. */
    static void location(JsonGenerator g, Optional<SourceSpan> span) throws IOException {
        if (span.isEmpty()) {
            g.writeNullField("location");
            return;
        }
        g.writeObjectFieldStart("location");
        g.writeStringField("file", span.get().file());
        g.writeNumberField("line", span.get().line());
        g.writeNumberField("column", span.get().column());
        g.writeEndObject();
    }

    /** {@code "findings": [{"id", "severity", "subject", "location", "message", "hint"}]}. */
    static void findings(JsonGenerator g, List<Finding> findings) throws IOException {
        g.writeArrayFieldStart("findings");
        for (Finding f : findings) {
            g.writeStartObject();
            g.writeStringField("id", f.id());
            g.writeStringField("severity", f.severity().label());
            g.writeStringField("subject", f.subject());
            location(g, f.span());
            g.writeStringField("message", f.message());
            g.writeStringField("hint", f.hint());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code field: [{"code", "severity", "location", "message", "hint"}]}. */
    static void diagnostics(JsonGenerator g, String field, List<Diagnostic> diagnostics) throws IOException {
        g.writeArrayFieldStart(field);
        for (Diagnostic d : diagnostics) {
            g.writeStartObject();
            g.writeStringField("code", d.code());
            g.writeStringField("severity", d.severity().label());
            location(g, Optional.of(d.span()));
            g.writeStringField("message", d.message());
            g.writeStringField("hint", d.hint());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * {@code images gate}: {@code {"reports": [{"file", "format", "image", "vulnerabilities"}],
     * "ignoreFile", "severity", "ignoreUnfixed", "passed", "counts": {"failing", "ignored",
     * "unfixed", "below"}, "vulnerabilities": [{"id", "severity", "package", "installedVersion",
     * "fixedVersion", "image", "target", "title", "location", "status", "ignoredBy"}], "findings"}};
     * {@code fixedVersion} is null when there is no fix, {@code ignoredBy} the location of the entry
     * that ignored the vulnerability, or null.
     */
    static void imagesGate(
            PrintWriter out,
            List<dev.stockade.scan.ScanReport> reports,
            Optional<String> ignoreFile,
            dev.stockade.scan.GateResult result) {
        print(out, g -> {
            g.writeArrayFieldStart("reports");
            for (dev.stockade.scan.ScanReport r : reports) {
                g.writeStartObject();
                g.writeStringField("file", r.file());
                g.writeStringField("format", r.format().name().toLowerCase(java.util.Locale.ROOT));
                g.writeStringField("image", r.image());
                g.writeNumberField("vulnerabilities", r.vulnerabilities().size());
                g.writeEndObject();
            }
            g.writeEndArray();
            nullableString(g, "ignoreFile", ignoreFile);
            g.writeStringField("severity", result.policy().threshold().label());
            g.writeBooleanField("ignoreUnfixed", result.policy().ignoreUnfixed());
            g.writeBooleanField("passed", result.passed());
            g.writeObjectFieldStart("counts");
            for (dev.stockade.scan.GateResult.Status s : dev.stockade.scan.GateResult.Status.values()) {
                g.writeNumberField(s.name().toLowerCase(java.util.Locale.ROOT), result.count(s));
            }
            g.writeEndObject();
            g.writeArrayFieldStart("vulnerabilities");
            for (dev.stockade.scan.GateResult.Verdict verdict : result.verdicts()) {
                dev.stockade.scan.Vulnerability v = verdict.vulnerability();
                g.writeStartObject();
                g.writeStringField("id", v.id());
                g.writeStringField("severity", v.severity().label());
                g.writeStringField("package", v.packageName());
                g.writeStringField("installedVersion", v.installedVersion());
                nullableString(g, "fixedVersion", Optional.of(v.fixedVersion()).filter(x -> v.fixable()));
                g.writeStringField("image", v.image());
                g.writeStringField("target", v.target());
                g.writeStringField("title", v.title());
                location(g, Optional.of(v.span()));
                g.writeStringField("status", verdict.status().name().toLowerCase(java.util.Locale.ROOT));
                if (verdict.ignoredBy().isPresent()) {
                    g.writeFieldName("ignoredBy");
                    span(g, verdict.ignoredBy().get().span());
                } else {
                    g.writeNullField("ignoredBy");
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            findings(g, result.findings());
        });
    }

    /** {@code {"file", "line", "column"}} as a value. */
    private static void span(JsonGenerator g, SourceSpan span) throws IOException {
        g.writeStartObject();
        g.writeStringField("file", span.file());
        g.writeNumberField("line", span.line());
        g.writeNumberField("column", span.column());
        g.writeEndObject();
    }

    /** The fields of one exposure: family, chain, exact, loopbackOpen, accepted, conditional, doubts. */
    static void exposure(JsonGenerator g, Exposure e) throws IOException {
        family(g, e.family());
        g.writeStringField("chain", e.chain());
        g.writeBooleanField("exact", e.exact());
        g.writeBooleanField("loopbackOpen", e.loopbackOpen());
        entries(g, "accepted", e.accepted());
        entries(g, "conditional", e.conditional());
        doubts(g, e.doubts());
    }

    /** {@code "doubts": [{"location", "chain", "rule", "condition", "reason"}]}. */
    static void doubts(JsonGenerator g, List<Doubt> doubts) throws IOException {
        g.writeArrayFieldStart("doubts");
        for (Doubt d : doubts) {
            g.writeStartObject();
            location(g, d.rule().span());
            g.writeStringField("chain", d.rule().chain());
            g.writeStringField("rule", d.rule().toSaveLine());
            g.writeStringField("condition", d.condition());
            g.writeStringField("reason", d.reason());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /**
     * {@code fw query}: the file, family, chain, the packet as asked, and the answer (see
     * {@link #answer}).
     */
    static void query(PrintWriter out, Path file, IpFamily family, String chain, Packet p, PacketQuery.Result r) {
        print(out, g -> {
            g.writeStringField("file", file.toString());
            family(g, family);
            g.writeStringField("chain", chain);
            g.writeStringField("packet", FwQueryCommand.describe(p));
            answer(g, r);
        });
    }

    /** {@code fw query --packets}: one line of JSON per packet, {@code {"line", answer fields...}}. */
    static void queryLine(PrintWriter out, int line, PacketQuery.Result r) {
        Json.line(out, g -> {
            g.writeNumberField("line", line);
            answer(g, r);
        });
    }

    /**
     * The answer for one packet: verdict, state, stateDerived, path [{"chain", "rule" (index or
     * null for the policy), "location", "text", "action"}], undecided (why the path stops early, or
     * null), doubts.
     */
    private static void answer(JsonGenerator g, PacketQuery.Result r) throws IOException {
        g.writeStringField("verdict", r.verdict().name());
        g.writeStringField("state", r.state().name());
        g.writeBooleanField("stateDerived", r.stateDerived());
        g.writeArrayFieldStart("path");
        for (PacketQuery.Step s : r.path()) {
            g.writeStartObject();
            g.writeStringField("chain", s.chain());
            if (s.index() < 0) {
                g.writeNullField("rule");
            } else {
                g.writeNumberField("rule", s.index());
            }
            location(g, s.rule().flatMap(x -> x.span()));
            nullableString(g, "text", s.rule().map(x -> x.toSaveLine()));
            g.writeStringField("action", s.action());
            g.writeEndObject();
        }
        g.writeEndArray();
        nullableString(g, "undecided", r.undecided());
        doubts(g, r.doubts());
    }

    /**
     * {@code field: [{"protocol", "ports"|"types": [{"from", "to"}], "interfaces",
     * "interfacesNegated", "addresses"}]}.
     */
    static void entries(JsonGenerator g, String field, List<Exposure.Entry> entries) throws IOException {
        g.writeArrayFieldStart(field);
        for (Exposure.Entry x : entries) {
            g.writeStartObject();
            g.writeStringField("protocol", x.protocol());
            g.writeArrayFieldStart(x.protocol().contains("icmp") ? "types" : "ports");
            for (Interval k : x.keys()) {
                g.writeStartObject();
                g.writeNumberField("from", k.from());
                g.writeNumberField("to", k.to());
                g.writeEndObject();
            }
            g.writeEndArray();
            strings(g, "interfaces", x.interfaces().isEmpty() ? List.of("any") : x.interfaces());
            g.writeBooleanField("interfacesNegated", x.interfacesNegated());
            g.writeArrayFieldStart("addresses");
            for (Prefix p : x.addresses().prefixes()) {
                g.writeString(p.toCidr());
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** A result for one input file. */
    record PerFile<T>(Path file, T value) {}

    /** {@code fw analyze}: {@code {"analyses": [{"file", exposure fields...}]}}. */
    static void analyses(PrintWriter out, List<PerFile<Exposure>> analyses) {
        print(out, g -> {
            g.writeArrayFieldStart("analyses");
            for (PerFile<Exposure> a : analyses) {
                g.writeStartObject();
                g.writeStringField("file", a.file().toString());
                exposure(g, a.value());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** {@code fw diff}: the files, family and chain, whether identical, what opened and closed. */
    static void diff(PrintWriter out, Path before, Path after, RulesetDiff d) {
        print(out, g -> {
            g.writeStringField("old", before.toString());
            g.writeStringField("new", after.toString());
            family(g, d.family());
            g.writeStringField("chain", d.chain());
            g.writeBooleanField("identical", d.identical());
            entries(g, "opened", d.opened().accepted());
            entries(g, "openedConditional", d.opened().conditional());
            entries(g, "closed", d.closed().accepted());
            entries(g, "closedConditional", d.closed().conditional());
        });
    }

    /** How {@code fw matrix} computed: table, chain, mode, bound and source port. */
    record MatrixSettings(String table, String chain, String mode, String bound, int sourcePort) {}

    /** {@code fw matrix}: per file, its family, the settings and one matrix per port. */
    static void matrices(PrintWriter out, MatrixSettings settings, List<PerFile<List<ServiceMatrix>>> files) {
        print(out, g -> {
            g.writeArrayFieldStart("analyses");
            for (PerFile<List<ServiceMatrix>> f : files) {
                g.writeStartObject();
                g.writeStringField("file", f.file().toString());
                family(g, f.value().get(0).family());
                g.writeStringField("table", settings.table());
                g.writeStringField("chain", settings.chain());
                g.writeStringField("mode", settings.mode());
                g.writeStringField("bound", settings.bound());
                g.writeArrayFieldStart("matrices");
                for (ServiceMatrix m : f.value()) {
                    matrix(g, m, settings.sourcePort());
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static void matrix(JsonGenerator g, ServiceMatrix m, int sourcePort) throws IOException {
        g.writeStartObject();
        g.writeStringField("protocol", "tcp");
        g.writeNumberField("sourcePort", sourcePort);
        g.writeNumberField("port", m.port());
        g.writeBooleanField("loopbackLeftOut", m.loopbackLeftOut());
        g.writeArrayFieldStart("classes");
        for (int i = 0; i < m.classes().size(); i++) {
            AddressSet c = m.classes().get(i);
            g.writeStartObject();
            g.writeStringField("name", ServiceMatrix.name(i));
            g.writeArrayFieldStart("ranges");
            for (AddressSet.Range r : c.ranges()) {
                g.writeStartObject();
                g.writeStringField("from", c.address(r.first()));
                g.writeStringField("to", c.address(r.last()));
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("edges");
        for (ServiceMatrix.Edge e : m.edges()) {
            strings(g, null, List.of(ServiceMatrix.name(e.from()), ServiceMatrix.name(e.to())));
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** {@code fw lint}: the files read, each with its family, and the findings. */
    static void lint(PrintWriter out, List<PerFile<IpFamily>> files, List<Finding> findings) {
        print(out, g -> {
            g.writeArrayFieldStart("files");
            for (PerFile<IpFamily> f : files) {
                g.writeStartObject();
                g.writeStringField("file", f.file().toString());
                family(g, f.value());
                g.writeEndObject();
            }
            g.writeEndArray();
            findings(g, findings);
        });
    }

    /** {@code pki verify}: the spec, the PKI directory and the findings. */
    static void verify(PrintWriter out, Path spec, Path pki, List<Finding> findings) {
        print(out, g -> {
            g.writeStringField("spec", spec.toString());
            g.writeStringField("pki", pki.toString());
            findings(g, findings);
        });
    }

    /** {@code pki revoke}: the revoked certificate and the CRL signed after it. */
    static void revoke(PrintWriter out, dev.stockade.pki.PkiStore store, dev.stockade.pki.Crl.Result r) {
        print(out, g -> {
            g.writeStringField("pki", store.dir().toString());
            g.writeStringField("name", r.entry().name());
            g.writeStringField(
                    "serial", dev.stockade.pki.Revocations.hex(r.entry().serial()));
            g.writeStringField("reason", r.entry().reason().keyword());
            g.writeStringField("revokedAt", r.entry().revokedAt().toString());
            g.writeBooleanField("alreadyRevoked", r.already());
            crl(g, store, r.crl());
        });
    }

    /** {@code pki crl}: the CRL signed again. */
    static void crl(PrintWriter out, dev.stockade.pki.PkiStore store, java.security.cert.X509CRL crl) {
        print(out, g -> {
            g.writeStringField("pki", store.dir().toString());
            crl(g, store, crl);
        });
    }

    private static void crl(JsonGenerator g, dev.stockade.pki.PkiStore store, java.security.cert.X509CRL crl)
            throws IOException {
        g.writeObjectFieldStart("crl");
        g.writeStringField("pem", store.crlPemFile().toString());
        g.writeStringField("der", store.crlDerFile().toString());
        g.writeNumberField("number", CrlOptions.number(crl));
        g.writeNumberField("revoked", CrlOptions.revokedCount(crl));
        g.writeStringField("thisUpdate", crl.getThisUpdate().toInstant().toString());
        g.writeStringField("nextUpdate", crl.getNextUpdate().toInstant().toString());
        g.writeEndObject();
    }

    /** {@code build}: the cluster, where it went, the PKI, per node its openings, files and proofs. */
    /**
     * {@code apply}: the change's id on the nodes and each node's result ({@code result} is the
     * text table's word with a hyphen: {@code rolled-back}).
     */
    static void apply(PrintWriter out, String spec, String change, boolean dryRun, List<NodeApply.Result> results) {
        print(out, g -> {
            g.writeStringField("spec", spec);
            g.writeStringField("change", change);
            g.writeBooleanField("dryRun", dryRun);
            g.writeBooleanField("ok", results.stream().allMatch(NodeApply.Result::ok));
            g.writeArrayFieldStart("nodes");
            for (NodeApply.Result r : results) {
                g.writeStartObject();
                g.writeStringField("node", r.node());
                g.writeStringField("host", r.host());
                g.writeStringField("result", ApplyCommand.words(r.outcome()).replace(' ', '-'));
                g.writeStringField("detail", r.detail());
                strings(g, "changes", r.changes());
                nullableString(g, "hint", r.hint().isEmpty() ? Optional.empty() : Optional.of(r.hint()));
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    static void build(PrintWriter out, BuildReport report) {
        BuildResult r = report.result();
        ClusterPki.Outcome pki = report.pki();
        print(out, g -> {
            g.writeStringField("cluster", r.spec().cluster());
            g.writeStringField("target", r.spec().target().keyword());
            g.writeStringField("spec", r.spec().file());
            nullableString(
                    g,
                    "output",
                    report.dryRun()
                            ? Optional.empty()
                            : Optional.of(report.dir().toString()));
            g.writeBooleanField("provisional", r.isProvisional());
            if (pki == null) {
                g.writeNullField("pki");
            } else {
                g.writeObjectFieldStart("pki");
                g.writeStringField("dir", report.pkiDir().toString());
                g.writeBooleanField("caCreated", pki.caCreated());
                g.writeBooleanField("caKeyEncrypted", pki.caKeyEncrypted());
                strings(g, "issued", pki.created());
                strings(g, "reused", pki.reused());
                findings(g, pki.findings());
                g.writeEndObject();
            }
            g.writeArrayFieldStart("revocations");
            for (String name : report.revoked().pending()) {
                g.writeStartObject();
                g.writeStringField("name", name);
                g.writeNullField("serial");
                g.writeBooleanField("done", false);
                g.writeEndObject();
            }
            for (Crl.Result c : report.revoked().done()) {
                g.writeStartObject();
                g.writeStringField("name", c.entry().name());
                g.writeStringField("serial", Revocations.hex(c.entry().serial()));
                g.writeBooleanField("done", true);
                g.writeEndObject();
            }
            g.writeEndArray();
            etcd(g, r, report.steps());
            g.writeArrayFieldStart("nodes");
            for (NodeOutput n : r.nodes()) {
                node(g, n);
            }
            g.writeEndArray();
            diagnostics(g, "warnings", r.warnings());
        });
    }

    /** {@code "etcd": {"members", "previous", "added", "removed", "environment", "steps"}}, or null without etcd. */
    private static void etcd(JsonGenerator g, BuildResult r, EtcdSteps steps) throws IOException {
        if (r.spec().etcd().isEmpty()) {
            g.writeNullField("etcd");
            return;
        }
        g.writeObjectFieldStart("etcd");
        strings(g, "members", names(r.etcd().wanted()));
        strings(g, "previous", names(r.etcd().current()));
        strings(g, "added", names(r.etcd().added()));
        strings(g, "removed", names(r.etcd().removed()));
        g.writeObjectFieldStart("environment");
        for (var e : steps.environment().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("steps");
        for (EtcdSteps.Step step : steps.steps()) {
            g.writeStartObject();
            g.writeStringField("action", step.action());
            strings(g, "nodes", step.nodes());
            strings(g, "commands", step.commands());
            g.writeStringField("note", step.note());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static List<String> names(List<dev.stockade.etcd.Member> members) {
        return members.stream().map(dev.stockade.etcd.Member::name).toList();
    }

    private static void node(JsonGenerator g, NodeOutput n) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", n.node().name());
        nullableString(g, "private", n.node().privateV4().map(Prefix::toString));
        strings(
                g,
                "public",
                n.node().publicAddresses().stream().map(Prefix::toString).toList());
        g.writeArrayFieldStart("open");
        for (Opening o : n.firewall().openings()) {
            g.writeStartObject();
            g.writeStringField("entry", o.label());
            g.writeStringField("protocol", o.protocol());
            strings(g, "ports", o.ports().stream().map(Object::toString).toList());
            nullableString(g, "interface", o.inInterface());
            strings(g, "ipv4", o.v4().prefixes().stream().map(Prefix::toCidr).toList());
            strings(g, "ipv6", o.v6().prefixes().stream().map(Prefix::toCidr).toList());
            g.writeEndObject();
        }
        g.writeEndArray();
        strings(g, "files", List.copyOf(new TreeSet<>(n.files().keySet())));
        strings(g, "provisional", n.plan().provisional());
        g.writeObjectFieldStart("proof");
        for (FirewallProof.Result p : n.proof()) {
            g.writeBooleanField(p.family() == IpFamily.V4 ? "ipv4" : "ipv6", p.holds());
        }
        g.writeEndObject();
        g.writeEndObject();
    }

    /** {@code pki inspect}: {@code {"items": [{"file", "type", fields of the type...}]}}. */
    static void inspection(PrintWriter out, List<PerFile<Inspection.Item>> items) {
        print(out, g -> {
            g.writeArrayFieldStart("items");
            for (PerFile<Inspection.Item> item : items) {
                g.writeStartObject();
                g.writeStringField("file", item.file().toString());
                g.writeStringField("type", item.value().type());
                item(g, item.value());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    private static void item(JsonGenerator g, Inspection.Item item) throws IOException {
        if (item instanceof Inspection.CertificateInfo) {
            Inspection.CertificateInfo c = (Inspection.CertificateInfo) item;
            g.writeStringField("subject", c.subject());
            g.writeStringField("issuer", c.issuer());
            g.writeStringField("serial", c.serial());
            g.writeStringField("notBefore", c.notBefore().toString());
            g.writeStringField("notAfter", c.notAfter().toString());
            g.writeStringField("key", c.key());
            g.writeStringField("signature", c.signature());
            g.writeBooleanField("ca", c.ca());
            strings(g, "dnsNames", c.dnsNames());
            strings(g, "ipAddresses", c.ipAddresses());
            strings(g, "keyUsage", c.keyUsage());
            strings(g, "extendedKeyUsage", c.extendedKeyUsage());
            g.writeStringField("sha256", c.sha256());
        } else if (item instanceof Inspection.RequestInfo) {
            Inspection.RequestInfo r = (Inspection.RequestInfo) item;
            g.writeStringField("subject", r.subject());
            g.writeStringField("key", r.key());
        } else if (item instanceof Inspection.KeyInfo) {
            Inspection.KeyInfo k = (Inspection.KeyInfo) item;
            g.writeBooleanField("encrypted", k.encrypted());
            nullableString(g, "algorithm", k.algorithm());
            nullableString(g, "format", k.format());
        }
    }
}
