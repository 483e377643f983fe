package dev.stockade.scan;

import dev.stockade.json.JsonValue;
import dev.stockade.json.JsonValue.JsonObject;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads a Trivy JSON report ({@code trivy image --format json}), schema version 2 (Trivy 0.20 and
 * later): {@code ArtifactName}, then {@code Results[]}, each a {@code Target} with its
 * {@code Vulnerabilities[]} of {@code VulnerabilityID}, {@code PkgName}, {@code InstalledVersion},
 * {@code FixedVersion}, {@code Severity} and {@code Title}. Other fields (misconfigurations,
 * secrets, CVSS, layers...) are not read. Trivy leaves empty lists out, so a missing or null
 * {@code Results} or {@code Vulnerabilities} means none.
 */
final class TrivyParser {

    static final String HINT = "read as a Trivy JSON report (trivy image --format json, SchemaVersion 2)";

    private TrivyParser() {}

    static ScanReport parse(String file, JsonObject root) throws InputException {
        JsonValue version = root.members().get("SchemaVersion");
        if (version == null) {
            throw schema(root.span(), "this Trivy report has no \"SchemaVersion\"");
        }
        if (!(version instanceof JsonValue.JsonNumber n) || !n.text().equals("2")) {
            String said = version instanceof JsonValue.JsonNumber n2 ? n2.text() : version.kind();
            throw schema(version.span(), "Trivy report schema version " + said + "; only version 2 is read");
        }
        ReportFields f = new ReportFields(HINT);
        String image = f.optional(root, "ArtifactName");
        List<Vulnerability> found = new ArrayList<>();
        for (JsonValue r : f.list(root, "Results")) {
            Optional<JsonObject> result = f.object(r, "each of \"Results\"");
            if (result.isEmpty()) {
                continue;
            }
            String target = f.optional(result.get(), "Target");
            for (JsonValue v : f.list(result.get(), "Vulnerabilities")) {
                f.object(v, "each of \"Vulnerabilities\"")
                        .flatMap(o -> vulnerability(f, o, image, target))
                        .ifPresent(found::add);
            }
        }
        f.throwIfAny();
        return new ScanReport(file, ScanReport.Format.TRIVY, image, found);
    }

    private static Optional<Vulnerability> vulnerability(ReportFields f, JsonObject o, String image, String target) {
        Optional<String> id = f.required(o, "VulnerabilityID");
        Optional<String> pkg = f.required(o, "PkgName");
        String installed = f.optional(o, "InstalledVersion");
        String fixed = f.optional(o, "FixedVersion");
        String title = f.optional(o, "Title");
        Optional<ScanSeverity> severity = f.severity(o, "Severity", "UNKNOWN, LOW, MEDIUM, HIGH, CRITICAL");
        if (id.isEmpty() || pkg.isEmpty() || severity.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Vulnerability(
                id.get(), severity.get(), pkg.get(), installed, fixed, image, target, title, o.span()));
    }

    private static InputException schema(dev.stockade.report.SourceSpan at, String message) {
        return new InputException(Diagnostic.error(
                "GATE-SCHEMA",
                at,
                Diagnostic.oneLine(message),
                "write the report with Trivy 0.20 or later: trivy image --format json --output report.json IMAGE"));
    }
}
