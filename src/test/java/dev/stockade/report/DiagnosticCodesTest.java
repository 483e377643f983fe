package dev.stockade.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every stable diagnostic and finding code the program can print is asserted by some test. The
 * codes are read from the main sources at test time: string literals shaped like a code
 * ({@code "SPEC-VALUE"}, {@code "FW-SHADOWED"}) and the {@code PREFIX-READ} codes that
 * {@code io.TextFiles.read(path, "PREFIX", ...)} builds. A code counts as tested when a string
 * literal of another test source holds it as a whole word.
 */
class DiagnosticCodesTest {

    static final Path MAIN = Path.of("src/main/java");
    static final Path TESTS = Path.of("src/test/java");

    /** Literals shaped like a code that are not codes. */
    static final Set<String> NOT_CODES = Set.of("SHA-256");

    static final Pattern CODE_LITERAL = Pattern.compile("\"([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)\"");
    static final Pattern READ_PREFIX = Pattern.compile("TextFiles\\.read\\([^;]*?,\\s*\"([A-Z][A-Z0-9]*)\"\\s*,");
    /** A literal that is the tail of a code built by concatenation ({@code prefix + "-READ"}). */
    static final Pattern CODE_SUFFIX = Pattern.compile("\"(-[A-Z][A-Z0-9]+(?:-[A-Z0-9]+)*)\"");

    static final Pattern STRING_LITERAL = Pattern.compile("\"(?:[^\"\\\\\\n]|\\\\.)*\"");

    static Map<Path, String> sources(Path root) {
        Map<Path, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(f -> f.toString().endsWith(".java")).toList()) {
                all.put(p, Files.readString(p));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertTrue(all.size() > 10, "no sources under " + root.toAbsolutePath());
        return all;
    }

    /** Every code the main sources can produce, with the file that produces it. */
    static Map<String, Path> mainCodes() {
        Map<String, Path> codes = new TreeMap<>();
        for (Map.Entry<Path, String> e : sources(MAIN).entrySet()) {
            Matcher m = CODE_LITERAL.matcher(e.getValue());
            while (m.find()) {
                if (!NOT_CODES.contains(m.group(1))) {
                    codes.putIfAbsent(m.group(1), e.getKey());
                }
            }
            Matcher r = READ_PREFIX.matcher(e.getValue());
            while (r.find()) {
                codes.putIfAbsent(r.group(1) + "-READ", e.getKey());
            }
        }
        return codes;
    }

    /** Every string literal of the test sources, except this class's own. */
    static List<String> testLiterals() {
        List<String> literals = new ArrayList<>();
        String self = DiagnosticCodesTest.class.getSimpleName() + ".java";
        for (Map.Entry<Path, String> e : sources(TESTS).entrySet()) {
            if (e.getKey().getFileName().toString().equals(self)) {
                continue;
            }
            Matcher m = STRING_LITERAL.matcher(e.getValue());
            while (m.find()) {
                literals.add(m.group());
            }
        }
        return literals;
    }

    @Test
    void mainCodes_scan_findsCodesOfEveryKind() {
        Map<String, Path> codes = mainCodes();
        System.out.println("DiagnosticCodesTest: " + codes.size() + " codes in " + MAIN + ": " + codes.keySet());
        // one of each way a code is written: a literal in a finding, in a diagnostic, in a helper's
        // argument, and a PREFIX-READ built by TextFiles
        for (String known : List.of("FW-SHADOWED", "SPEC-UNKNOWN-KEY", "PKI-PEM", "IPT-READ", "HOSTS-READ")) {
            assertTrue(codes.containsKey(known), known + " not found; the scan is broken: " + codes.keySet());
        }
        assertTrue(codes.size() >= 90, "only " + codes.size() + " codes: " + codes.keySet());
    }

    @Test
    void mainCodes_builtOnlyWhereTheScanLooks() {
        // a code assembled from parts would escape the literal scan: the only assembly is TextFiles' PREFIX-READ
        Map<String, Path> suffixes = new TreeMap<>();
        for (Map.Entry<Path, String> e : sources(MAIN).entrySet()) {
            Matcher m = CODE_SUFFIX.matcher(e.getValue());
            while (m.find()) {
                suffixes.put(m.group(1) + " in " + e.getKey().getFileName(), e.getKey());
            }
        }
        assertEquals(
                Set.of("-READ in TextFiles.java"),
                suffixes.keySet(),
                "teach this test the new way codes are built, so that it finds them");
    }

    @Test
    void everyCode_assertedBySomeTest() {
        List<String> literals = testLiterals();
        Set<String> untested = new TreeSet<>();
        mainCodes().forEach((code, file) -> {
            Pattern word = Pattern.compile("(?<![A-Z0-9-])" + Pattern.quote(code) + "(?![A-Z0-9-])");
            if (literals.stream().noneMatch(l -> word.matcher(l).find())) {
                untested.add(code + " (" + file.getFileName() + ")");
            }
        });
        assertEquals(Set.of(), untested, untested.size() + " codes appear in no test");
    }

    @Test
    void documentedCodes_existInTheProgram() throws IOException {
        Set<String> codes = mainCodes().keySet();
        Set<String> families = new TreeSet<>();
        codes.forEach(c -> families.add(c.substring(0, c.indexOf('-'))));
        Pattern documented = Pattern.compile("`((?:" + String.join("|", families) + ")-[A-Z0-9-]*[A-Z0-9])`");
        Set<String> unknown = new TreeSet<>();
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md")));
        try (Stream<Path> d = Files.list(Path.of("docs"))) {
            d.filter(p -> p.toString().endsWith(".md")).forEach(docs::add);
        }
        for (Path doc : docs) {
            Matcher m = documented.matcher(Files.readString(doc));
            while (m.find()) {
                if (!codes.contains(m.group(1))) {
                    unknown.add(m.group(1) + " (" + doc + ")");
                }
            }
        }
        assertEquals(Set.of(), unknown, "the docs name codes the program does not have");
    }
}
