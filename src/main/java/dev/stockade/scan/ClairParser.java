package dev.stockade.scan;

import dev.stockade.json.JsonValue;
import dev.stockade.json.JsonValue.JsonObject;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a Clair v4 vulnerability report (the matcher's {@code GET
 * /matcher/api/v1/vulnerability_report/{digest}}). Its vulnerabilities and packages are maps keyed
 * by Clair's ids; {@code package_vulnerabilities} joins them (package id to the ids of the
 * vulnerabilities that affect it). Each pair becomes one {@link Vulnerability}: the name and
 * version from {@code packages}, the advisory's {@code name}, {@code normalized_severity},
 * {@code fixed_in_version} and first line of {@code description} from {@code vulnerabilities}, and
 * the location of that vulnerability's object. The report names the image by its manifest hash
 * only. Vulnerabilities that no package references are not read.
 *
 * <p>Some of Clair's updaters write {@code fixed_in_version} in URL query form
 * ({@code fixed=1.2.3&introduced=1.0.0}); the {@code fixed} value is taken from such text.
 */
final class ClairParser {

    static final String HINT =
            "read as a Clair v4 vulnerability report (GET /matcher/api/v1/vulnerability_report/{digest})";

    private static final int TITLE_LENGTH = 100;

    private ClairParser() {}

    private record Advisory(String name, ScanSeverity severity, String fixed, String title, SourceSpan span) {}

    private record Installed(String name, String version) {}

    static ScanReport parse(String file, JsonObject root) throws InputException {
        ReportFields f = new ReportFields(HINT);
        String image = f.required(root, "manifest_hash").orElse("");
        Map<String, JsonValue> listed = f.map(root, "vulnerabilities");
        Map<String, Advisory> advisories = new HashMap<>();
        listed.forEach((id, v) -> f.object(v, "vulnerability '" + id + "'")
                .flatMap(o -> advisory(f, o))
                .ifPresent(a -> advisories.put(id, a)));
        Map<String, JsonValue> installed = f.map(root, "packages");
        Map<String, Installed> packages = new HashMap<>();
        installed.forEach((id, v) -> f.object(v, "package '" + id + "'")
                .flatMap(o -> f.required(o, "name").map(n -> new Installed(n, f.optional(o, "version"))))
                .ifPresent(p -> packages.put(id, p)));
        JsonValue joins = root.members().get("package_vulnerabilities");
        if (joins == null) {
            f.error("GATE-TYPE", root.span(), "this Clair report needs \"package_vulnerabilities\"");
        }
        List<Vulnerability> found = new ArrayList<>();
        Optional<JsonObject> byPackage = joins == null || joins instanceof JsonValue.JsonNull
                ? Optional.empty()
                : f.object(joins, "\"package_vulnerabilities\"");
        byPackage.ifPresent(o -> o.members().forEach((pkgId, ids) -> {
            Installed pkg = packages.get(pkgId);
            if (!installed.containsKey(pkgId)) {
                f.error("GATE-REFERENCE", o.keySpans().get(pkgId), "package '" + pkgId + "' is not in \"packages\"");
            }
            if (!(ids instanceof JsonValue.JsonArray list)) {
                f.error("GATE-TYPE", ids.span(), "package '" + pkgId + "' must map to a list of vulnerability ids");
                return;
            }
            for (JsonValue idValue : list.items()) {
                if (!(idValue instanceof JsonValue.JsonString id)) {
                    f.error("GATE-TYPE", idValue.span(), "a vulnerability id must be a string, not " + idValue.kind());
                    continue;
                }
                if (!listed.containsKey(id.value())) {
                    f.error(
                            "GATE-REFERENCE",
                            id.span(),
                            "vulnerability '" + id.value() + "' is not in \"vulnerabilities\"");
                }
                Advisory a = advisories.get(id.value());
                if (a != null && pkg != null) {
                    found.add(new Vulnerability(
                            a.name(),
                            a.severity(),
                            pkg.name(),
                            pkg.version(),
                            a.fixed(),
                            image,
                            image,
                            a.title(),
                            a.span()));
                }
            }
        }));
        f.throwIfAny();
        return new ScanReport(file, ScanReport.Format.CLAIR, image, found);
    }

    private static Optional<Advisory> advisory(ReportFields f, JsonObject o) {
        Optional<String> name = f.required(o, "name");
        Optional<ScanSeverity> severity =
                f.severity(o, "normalized_severity", "Unknown, Negligible, Low, Medium, High, Critical");
        String fixed = fixedVersion(f.optional(o, "fixed_in_version"));
        String title = title(f.optional(o, "description"));
        if (name.isEmpty() || severity.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Advisory(name.get(), severity.get(), fixed, title, o.span()));
    }

    /** {@code fixed=1.2.3&introduced=1.0} → {@code 1.2.3}; any other text as it is. */
    static String fixedVersion(String text) {
        if (!text.matches("[a-z_]+=.*")) {
            return text;
        }
        for (String part : text.split("&")) {
            if (part.startsWith("fixed=")) {
                try {
                    return URLDecoder.decode(part.substring("fixed=".length()), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return part.substring("fixed=".length()); // a stray '%': the text as written
                }
            }
        }
        return "";
    }

    /** The description's first line, cut to a title's length. */
    static String title(String description) {
        String line = description.strip().lines().findFirst().orElse("");
        return line.length() <= TITLE_LENGTH ? line : line.substring(0, TITLE_LENGTH - 3) + "...";
    }
}
