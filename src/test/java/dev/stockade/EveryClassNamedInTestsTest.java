package dev.stockade;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every top-level type in {@code src/main/java} is named, in code, by at least one file under
 * {@code src/test/java} (comments and string literals do not count; neither does this test).
 *
 * <p>Exempt are {@code package-info.java} and pure records. A record is pure when its file declares
 * no method anywhere (nested types included): only components, constants and constructors, so a
 * compact constructor that copies or checks its components is allowed, while an accessor written by
 * hand, a factory such as {@code of}/{@code parse} or a nested enum with a method makes the record a
 * class that needs a test. Enums and interfaces are never exempt.
 *
 * <p>On failure the message lists every type left unnamed, one per line, as a path under {@code
 * src/main/java}, so a merge can be checked against it.
 */
class EveryClassNamedInTestsTest {

    private static final Path ROOT = Path.of(System.getProperty("basedir", "."));
    private static final Path MAIN = ROOT.resolve("src/main/java");
    private static final Path TEST = ROOT.resolve("src/test/java");

    private static final Pattern TOP_LEVEL_TYPE = Pattern.compile(
            "(?m)^(?:(?:public|final|abstract|sealed|non-sealed|strictfp|static)\\s+|@\\w+(?:\\([^)]*\\))?\\s+)*"
                    + "(class|interface|enum|record|@interface)\\s+(\\w+)");
    private static final Pattern CALL_OR_DECLARATION = Pattern.compile("\\b([A-Za-z_$][\\w$]*)\\s*\\(");
    private static final Set<String> NOT_A_METHOD = Set.of(
            "if", "for", "while", "switch", "catch", "synchronized", "try", "return", "throw", "new", "super", "this");

    @Test
    void everyMainType_exceptPureRecords_isNamedInATest() throws IOException {
        String tests = testSources();
        TreeMap<String, String> unnamed = new TreeMap<>();
        int checked = 0;
        for (Path file : javaFiles(MAIN)) {
            String name = file.getFileName().toString().replace(".java", "");
            if (name.equals("package-info") || name.equals("module-info")) {
                continue;
            }
            String code = withoutCommentsAndStrings(Files.readString(file));
            if (isPureRecord(name, code)) {
                continue;
            }
            checked++;
            if (!Pattern.compile("(?<![\\w$])" + Pattern.quote(name) + "(?![\\w$])")
                    .matcher(tests)
                    .find()) {
                unnamed.put(MAIN.relativize(file).toString(), name);
            }
        }
        // a wrong source path must not pass as 'nothing unnamed'
        assertTrue(checked > 100, "only " + checked + " main types found under " + MAIN.toAbsolutePath());
        assertTrue(
                unnamed.isEmpty(),
                unnamed.size() + " main types are named by no test (write a test of their behaviour):\n  "
                        + String.join("\n  ", unnamed.keySet()));
    }

    @Test
    void isPureRecord_componentsConstantsAndConstructorsOnly() {
        assertTrue(isPureRecord("R", code("public record R(int a) {}")));
        assertTrue(isPureRecord(
                "R",
                code("record R(List<String> xs, int n) {\n"
                        + "  public static final R EMPTY = new R(List.of(), 0);\n"
                        + "  public R {\n    if (n < 0) { throw new IllegalArgumentException(\"n\"); }\n"
                        + "    xs = List.copyOf(xs);\n  }\n"
                        + "  R(int n) { this(List.of(), n); }\n}")));
    }

    @Test
    void isPureRecord_anyMethod_notPure() {
        assertFalse(isPureRecord("R", code("record R(int a) {\n  public boolean big() { return a > 9; }\n}")));
        assertFalse(isPureRecord("R", code("record R(int a) {\n  static R of(String s) throws E { return null; }\n}")));
        assertFalse(isPureRecord("R", code("record R(M m) {\n  enum M { A; String k() { return name(); } }\n}")));
        assertFalse(isPureRecord("C", code("final class C {\n  C() {}\n}")));
        assertFalse(isPureRecord("E", code("enum E { A, B }")));
    }

    @Test
    void withoutCommentsAndStrings_dropsCommentsStringsAndCharacters() {
        assertEquals(
                "a  b \"\" c '' \"\" d",
                withoutCommentsAndStrings("a /* Foo */ b \"Foo \\\" Foo\" c '\\'' \"\"\"\n  Foo \"\"\" d// Foo"));
    }

    private static String code(String source) {
        return withoutCommentsAndStrings(source);
    }

    /** A record whose file declares no method, only components, constants and constructors. */
    static boolean isPureRecord(String name, String code) {
        Matcher type = TOP_LEVEL_TYPE.matcher(code);
        if (!type.find() || !type.group(1).equals("record") || !type.group(2).equals(name)) {
            return false;
        }
        int body = bodyStart(code, type.end());
        Matcher m = CALL_OR_DECLARATION.matcher(code);
        int from = body;
        while (m.find(from)) {
            from = m.end();
            String word = m.group(1);
            if (NOT_A_METHOD.contains(word) || word.equals(name) || precededByNew(code, m.start())) {
                continue;
            }
            int close = closingParen(code, m.end() - 1);
            if (close > 0 && opensBody(code, close + 1)) {
                return false;
            }
        }
        return true;
    }

    /** The body of a record starts after its component list. */
    private static int bodyStart(String code, int afterName) {
        int open = code.indexOf('(', afterName);
        return open < 0 ? afterName : Math.max(afterName, closingParen(code, open));
    }

    private static boolean precededByNew(String code, int at) {
        return code.substring(Math.max(0, at - 8), at).matches("(?s).*\\bnew\\s+$");
    }

    private static int closingParen(String code, int open) {
        int depth = 0;
        for (int i = open; i < code.length(); i++) {
            char c = code.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }

    /** After a parameter list: optional {@code throws A, B}, then a method body's brace. */
    private static boolean opensBody(String code, int at) {
        String rest = code.substring(at).stripLeading();
        if (rest.startsWith("throws")) {
            rest = rest.replaceFirst("^throws[\\w$.,\\s<>]*", "");
        }
        return rest.startsWith("{");
    }

    /** Comments, string and character literals (text blocks included) removed; literals become empty. */
    static String withoutCommentsAndStrings(String source) {
        StringBuilder out = new StringBuilder(source.length());
        int i = 0;
        int n = source.length();
        while (i < n) {
            char c = source.charAt(i);
            if (source.startsWith("//", i)) {
                int end = source.indexOf('\n', i);
                i = end < 0 ? n : end;
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (source.startsWith("\"\"\"", i)) {
                int end = i + 3;
                while (end < n && !source.startsWith("\"\"\"", end)) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                out.append("\"\"");
                i = Math.min(n, end + 3);
            } else if (c == '"' || c == '\'') {
                int end = i + 1;
                while (end < n && source.charAt(end) != c) {
                    end += source.charAt(end) == '\\' ? 2 : 1;
                }
                out.append(c).append(c);
                i = Math.min(n, end + 1);
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String testSources() throws IOException {
        Set<Path> self = new HashSet<>(
                List.of(TEST.resolve(EveryClassNamedInTestsTest.class.getName().replace('.', '/') + ".java")));
        StringBuilder all = new StringBuilder();
        for (Path file : javaFiles(TEST)) {
            if (!self.contains(file)) {
                all.append(withoutCommentsAndStrings(Files.readString(file))).append('\n');
            }
        }
        return all.toString();
    }

    private static List<Path> javaFiles(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            List<Path> files = new ArrayList<>(
                    walk.filter(p -> p.toString().endsWith(".java")).sorted().toList());
            return files;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
