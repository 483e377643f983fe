package dev.stockade.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

class YamlNodesTest {

    private final YamlNodes y = new YamlNodes("s.yaml");

    private static Node yaml(String text) {
        return new Yaml().compose(new StringReader(text));
    }

    private static Node value(String text, String key) {
        return ((MappingNode) yaml(text))
                .getValue().stream()
                        .filter(t -> ((org.yaml.snakeyaml.nodes.ScalarNode) t.getKeyNode())
                                .getValue()
                                .equals(key))
                        .findFirst()
                        .orElseThrow()
                        .getValueNode();
    }

    private String codes() {
        return String.join(",", y.problems().stream().map(Diagnostic::code).toList());
    }

    @Test
    void mapping_unknownRepeatedAndMissingKeys_reportedAtTheirLines() {
        Map<String, Node> m =
                y.mapping(yaml("a: 1\nb: 2\nzz: 3\na: 4\n"), "thing", List.of("a", "b", "c"), List.of("a", "c"));
        assertEquals(List.of("a", "b"), List.copyOf(m.keySet()));
        assertEquals("SPEC-UNKNOWN-KEY,SPEC-DUPLICATE-KEY,SPEC-MISSING", codes());
        List<Diagnostic> p = y.problems();
        assertEquals(3, p.get(0).span().line());
        assertEquals(4, p.get(1).span().line());
        assertEquals("thing needs 'c'", p.get(2).message());
        assertTrue(y.hasErrors());
    }

    @Test
    void mapping_notAMapping_typeError() {
        assertTrue(y.mapping(yaml("[1, 2]"), "nodes[0]", List.of(), List.of()).isEmpty());
        assertEquals(
                "nodes[0] must be a mapping (key: value), not a list",
                y.problems().get(0).message());
    }

    @Test
    void text_nullOrCollection_reportedAndEmpty() {
        assertEquals(Optional.of("x"), y.text(value("k: x\n", "k"), "k"));
        assertFalse(y.hasErrors());
        assertEquals(Optional.empty(), y.text(value("k:\n", "k"), "k"));
        assertEquals(Optional.empty(), y.text(value("k: {a: 1}\n", "k"), "k"));
        assertEquals("SPEC-MISSING,SPEC-TYPE", codes());
        // a quoted empty string is a value, not a missing one
        assertEquals(Optional.of(""), y.text(value("k: ''\n", "k"), "k"));
    }

    @Test
    void list_scalarAcceptedOnlyWhenAllowed_nullIsEmpty() {
        assertEquals(2, y.list(value("k: [a, b]\n", "k"), "k", false).size());
        assertEquals(1, y.list(value("k: a\n", "k"), "k", true).size());
        assertTrue(y.list(value("k:\n", "k"), "k", true).isEmpty());
        assertFalse(y.hasErrors());
        assertTrue(y.list(value("k: a\n", "k"), "k", false).isEmpty());
        assertEquals("k must be a list, not 'a'", y.problems().get(0).message());
    }

    @Test
    void bool_onlyLowerCaseTrueFalse() {
        assertEquals(Optional.of(true), y.bool(value("k: true\n", "k"), "k"));
        assertEquals(Optional.of(false), y.bool(value("k: false\n", "k"), "k"));
        assertEquals(Optional.empty(), y.bool(value("k: yes\n", "k"), "k"));
        assertEquals("k must be true or false, not 'yes'", y.problems().get(0).message());
    }

    @Test
    void oneLine_controlCharactersEscaped() {
        assertEquals("a\\u000ab\\u2028c\\u0009", Diagnostic.oneLine("a\nb\u2028c\t"));
        assertEquals("plain", Diagnostic.oneLine("plain"));
        assertEquals(null, Diagnostic.oneLine(null));
    }

    @Test
    void warning_keepsMessageOnOneLine_notAnError() {
        y.warning(dev.stockade.report.SourceSpan.ofFile("s.yaml"), "SPEC-X", "two\nlines", "hint\n");
        assertFalse(y.hasErrors());
        assertEquals("two\\u000alines", y.problems().get(0).message());
        assertEquals("hint\\u000a", y.problems().get(0).hint());
    }
}
