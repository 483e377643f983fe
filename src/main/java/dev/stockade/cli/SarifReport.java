package dev.stockade.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.stockade.json.Json;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Findings as SARIF 2.1.0, the way GitHub code scanning reads it: one run, every rule that fired
 * with a description, help text and a {@code security-severity}, and every result with its rule
 * index, level, message and a physical location (file relative to the working directory when it is
 * under it, with forward slashes; line and column, counted in UTF-16 code units as Java counts
 * them). Written with the same JSON writer as every other document ({@link Json}).
 */
final class SarifReport {

    private SarifReport() {}

    static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
    static final String INFORMATION_URI = "https://github.com/stockade-dev/stockade";

    /**
     * @param category the run's automation id, e.g. {@code stockade/validate/}
     */
    static void print(PrintWriter out, String category, List<Finding> findings) {
        Map<String, Finding> rules = new LinkedHashMap<>();
        findings.forEach(f -> rules.putIfAbsent(f.id(), f));
        List<String> ids = new ArrayList<>(rules.keySet());
        Json.object(out, g -> {
            g.writeStringField("$schema", SCHEMA);
            g.writeStringField("version", "2.1.0");
            g.writeArrayFieldStart("runs");
            g.writeStartObject();
            g.writeObjectFieldStart("tool");
            g.writeObjectFieldStart("driver");
            g.writeStringField("name", "Stockade");
            String version = new Main.Version().getVersion()[0].replace("stockade ", "");
            g.writeStringField("version", version);
            g.writeStringField("informationUri", INFORMATION_URI);
            g.writeArrayFieldStart("rules");
            for (Finding f : rules.values()) {
                rule(g, f);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("automationDetails");
            g.writeStringField("id", category);
            g.writeEndObject();
            g.writeStringField("columnKind", "utf16CodeUnits");
            g.writeArrayFieldStart("results");
            for (Finding f : findings) {
                result(g, f, ids.indexOf(f.id()));
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
        });
    }

    private static void rule(JsonGenerator g, Finding example) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", example.id());
        g.writeStringField("name", name(example.id()));
        String about = dev.stockade.report.RuleCatalog.describe(example.id()).orElse(example.id() + " finding");
        text(g, "shortDescription", about);
        text(g, "fullDescription", about);
        g.writeObjectFieldStart("help");
        g.writeStringField(
                "text",
                about + (example.hint().isEmpty() ? "" : ". What to do, for example: " + example.hint()) + ". See "
                        + INFORMATION_URI + " (docs/validate.md) for every rule.");
        g.writeEndObject();
        g.writeObjectFieldStart("defaultConfiguration");
        g.writeStringField("level", level(example.severity()));
        g.writeEndObject();
        g.writeObjectFieldStart("properties");
        g.writeArrayFieldStart("tags");
        g.writeString("security");
        g.writeString(example.id()
                .substring(
                        0,
                        example.id().indexOf('-') < 0
                                ? example.id().length()
                                : example.id().indexOf('-'))
                .toLowerCase(java.util.Locale.ROOT));
        g.writeEndArray();
        g.writeStringField("security-severity", securitySeverity(example));
        g.writeStringField("precision", "very-high");
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void result(JsonGenerator g, Finding f, int ruleIndex) throws IOException {
        g.writeStartObject();
        g.writeStringField("ruleId", f.id());
        g.writeNumberField("ruleIndex", ruleIndex);
        g.writeStringField("level", level(f.severity()));
        g.writeObjectFieldStart("message");
        g.writeStringField("text", f.message() + (f.hint().isEmpty() ? "" : " (" + f.hint() + ")"));
        g.writeEndObject();
        g.writeArrayFieldStart("locations");
        g.writeStartObject();
        g.writeObjectFieldStart("physicalLocation");
        SourceSpan at = f.span().orElse(SourceSpan.ofFile(f.subject()));
        g.writeObjectFieldStart("artifactLocation");
        g.writeStringField("uri", uri(at.file()));
        g.writeEndObject();
        g.writeObjectFieldStart("region");
        g.writeNumberField("startLine", Math.max(1, at.line()));
        g.writeNumberField("startColumn", Math.max(1, at.column()));
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void text(JsonGenerator g, String field, String text) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("text", text);
        g.writeEndObject();
    }

    static String level(Severity s) {
        return switch (s) {
            case ERROR -> "error";
            case WARNING -> "warning";
            case NOTE -> "note";
        };
    }

    /** GitHub's scale: 9.0+ critical, 7.0–8.9 high, 4.0–6.9 medium, 0.1–3.9 low. */
    static String securitySeverity(Finding f) {
        boolean security = f.id().startsWith("SEC-");
        return switch (f.severity()) {
            case ERROR -> security ? "8.0" : "6.0";
            case WARNING -> security ? "5.0" : "4.0";
            case NOTE -> "2.0";
        };
    }

    /** PascalCase of the id's words: {@code IGN-UNKNOWN-KEY} → {@code IgnUnknownKey}. */
    static String name(String id) {
        StringBuilder sb = new StringBuilder();
        for (String w : id.toLowerCase(java.util.Locale.ROOT).split("-")) {
            if (!w.isEmpty()) {
                sb.append(Character.toUpperCase(w.charAt(0))).append(w.substring(1));
            }
        }
        return sb.toString();
    }

    /** A file as a SARIF URI: relative to the working directory when under it, else a file: URI. */
    static String uri(String file) {
        if (file.equals("-") || file.equals("<stdin>")) {
            return "stdin";
        }
        Path p = Path.of(file).toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath();
        if (p.startsWith(cwd)) {
            return cwd.relativize(p).toString().replace('\\', '/').replace(" ", "%20");
        }
        return p.toUri().toString();
    }
}
