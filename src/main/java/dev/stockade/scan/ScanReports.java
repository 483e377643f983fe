package dev.stockade.scan;

import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.json.JsonValue.JsonObject;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;

/**
 * Reads a vulnerability scan report, whichever scanner wrote it: the format is told by the keys of
 * the top-level JSON object ({@code SchemaVersion}, {@code ArtifactName} or {@code Results}: Trivy;
 * {@code manifest_hash} with {@code vulnerabilities} or {@code package_vulnerabilities}: Clair v4).
 * Anything else is refused with {@code GATE-FORMAT} and, where the text looks like a near miss (a
 * Trivy SARIF or CycloneDX file, Trivy's old list-of-results schema, a Clair index report), a hint
 * naming the command that writes the right report.
 */
public final class ScanReports {

    static final String FORMATS_HINT = "give the JSON of 'trivy image --format json IMAGE' or Clair v4's"
            + " GET /matcher/api/v1/vulnerability_report/{digest}";

    private ScanReports() {}

    /** The report in {@code text}; {@code file} is the name messages use. */
    public static ScanReport parse(String file, String text) throws InputException {
        if (text.isBlank()) {
            throw format(new SourceSpan(file, 1, 1), "the file is empty", FORMATS_HINT);
        }
        JsonValue root = JsonReader.read(file, text);
        if (root instanceof JsonValue.JsonArray a) {
            boolean oldTrivy = !a.items().isEmpty()
                    && a.items().get(0) instanceof JsonObject first
                    && first.members().containsKey("Target");
            if (oldTrivy) {
                throw new InputException(Diagnostic.error(
                        "GATE-SCHEMA",
                        root.span(),
                        "a Trivy report of the old schema (a list of results, Trivy before 0.20)",
                        "write the report with Trivy 0.20 or later: trivy image --format json --output"
                                + " report.json IMAGE"));
            }
        }
        if (!(root instanceof JsonObject o)) {
            throw format(root.span(), "a scan report is a JSON object, not " + root.kind(), FORMATS_HINT);
        }
        if (has(o, "SchemaVersion") || has(o, "ArtifactName") || has(o, "Results")) {
            return TrivyParser.parse(file, o);
        }
        if (has(o, "manifest_hash")) {
            if (has(o, "vulnerabilities") || has(o, "package_vulnerabilities")) {
                return ClairParser.parse(file, o);
            }
            throw format(
                    o.span(),
                    "a Clair index report, which lists packages but no vulnerabilities",
                    "give the matcher's report instead: GET /matcher/api/v1/vulnerability_report/{digest}");
        }
        if (has(o, "runs") && has(o, "version")) {
            throw format(
                    o.span(), "a SARIF file, not a scan report", "write Trivy's report with --format json, not sarif");
        }
        if (has(o, "bomFormat") || has(o, "spdxVersion")) {
            throw format(
                    o.span(),
                    "an SBOM, not a vulnerability scan report",
                    "scan it first: trivy sbom --format json FILE, then gate on that report");
        }
        throw format(o.span(), "neither a Trivy JSON report nor a Clair v4 vulnerability report", FORMATS_HINT);
    }

    private static boolean has(JsonObject o, String key) {
        return o.members().containsKey(key);
    }

    private static InputException format(SourceSpan at, String message, String hint) {
        return new InputException(Diagnostic.error("GATE-FORMAT", at, message, hint));
    }
}
