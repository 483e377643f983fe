package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.json.Json;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The JSON shapes the commands share; field names are an API, so the exact text is checked. */
class JsonOutputTest {

    private static final Finding LOCATED = new Finding(
            "FW-SHADOWED", Severity.WARNING, "r.rules", Optional.of(new SourceSpan("r.rules", 7, 1)), "m", "h");
    private static final Finding PLAIN =
            new Finding("PKI-MISSING", Severity.ERROR, "ca.pem", Optional.empty(), "no CA", "");

    @Test
    void lint_filesWithFamilyThenFindingsWithLocationOrNull() {
        StringWriter out = new StringWriter();
        JsonOutput.lint(
                new PrintWriter(out),
                List.of(
                        new JsonOutput.PerFile<>(Path.of("r.rules"), IpFamily.V4),
                        new JsonOutput.PerFile<>(Path.of("r6.rules"), IpFamily.V6)),
                List.of(LOCATED, PLAIN));
        assertEquals(
                "{\n"
                        + "  \"files\": [\n"
                        + "    {\n      \"file\": \"r.rules\",\n      \"family\": \"ipv4\"\n    },\n"
                        + "    {\n      \"file\": \"r6.rules\",\n      \"family\": \"ipv6\"\n    }\n"
                        + "  ],\n"
                        + "  \"findings\": [\n"
                        + "    {\n      \"id\": \"FW-SHADOWED\",\n      \"severity\": \"warning\",\n"
                        + "      \"subject\": \"r.rules\",\n"
                        + "      \"location\": {\n        \"file\": \"r.rules\",\n        \"line\": 7,\n"
                        + "        \"column\": 1\n      },\n"
                        + "      \"message\": \"m\",\n      \"hint\": \"h\"\n    },\n"
                        + "    {\n      \"id\": \"PKI-MISSING\",\n      \"severity\": \"error\",\n"
                        + "      \"subject\": \"ca.pem\",\n      \"location\": null,\n"
                        + "      \"message\": \"no CA\",\n      \"hint\": \"\"\n    }\n"
                        + "  ]\n"
                        + "}\n",
                out.toString());
    }

    @Test
    void verify_specPkiAndNoFindings() {
        StringWriter out = new StringWriter();
        JsonOutput.verify(new PrintWriter(out), Path.of("c.yaml"), Path.of("pki/c"), List.of());
        assertEquals("{\n  \"spec\": \"c.yaml\",\n  \"pki\": \"pki/c\",\n  \"findings\": []\n}\n", out.toString());
    }

    @Test
    void helpers_stringsNullableStringAndDiagnostics() {
        String text = Json.object(g -> {
            JsonOutput.strings(g, "names", List.of("a", "b"));
            JsonOutput.nullableString(g, "present", Optional.of("x"));
            JsonOutput.nullableString(g, "absent", Optional.empty());
            JsonOutput.diagnostics(
                    g, "warnings", List.of(Diagnostic.warning("IPT-CRLF", new SourceSpan("f", 2, 3), "crlf", "fix")));
        });
        assertEquals(
                "{\n  \"names\": [\n    \"a\",\n    \"b\"\n  ],\n  \"present\": \"x\",\n  \"absent\": null,\n"
                        + "  \"warnings\": [\n    {\n      \"code\": \"IPT-CRLF\",\n      \"severity\": \"warning\",\n"
                        + "      \"location\": {\n        \"file\": \"f\",\n        \"line\": 2,\n        \"column\": 3\n"
                        + "      },\n      \"message\": \"crlf\",\n      \"hint\": \"fix\"\n    }\n  ]\n}\n",
                text);
    }
}
