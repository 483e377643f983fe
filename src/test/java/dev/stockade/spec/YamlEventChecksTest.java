package dev.stockade.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

class YamlEventChecksTest {

    private static Optional<Diagnostic> check(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setNestingDepthLimit(1000);
        return YamlEventChecks.check("s.yaml", new Yaml(options).parse(new StringReader(text)));
    }

    @Test
    void check_ordinarySpec_noProblem() {
        assertEquals(Optional.empty(), check(SpecLoaderTest.VALID));
        assertEquals(Optional.empty(), check("a: &x [1, 2]\nb: *x\nc: &s scalar\nd: *s\n"));
    }

    @Test
    void check_deepNesting_limitAtTheFirstLevelTooDeep() {
        int depth = YamlEventChecks.MAX_DEPTH;
        Diagnostic d = check("[".repeat(depth) + "]".repeat(depth)).orElse(null);
        assertEquals(null, d, "exactly the limit is fine");
        d = check("[".repeat(depth + 1) + "]".repeat(depth + 1)).orElseThrow();
        assertEquals("SPEC-LIMIT", d.code());
        assertEquals(1, d.span().line());
        assertEquals(depth + 1, d.span().column());
    }

    @Test
    void check_manyCollectionAliases_limitButScalarAliasesFree() {
        StringBuilder ok = new StringBuilder("a: &x [1]\nb: [");
        StringBuilder scalars = new StringBuilder("a: &s v\nb: [");
        for (int i = 0; i < YamlEventChecks.MAX_COLLECTION_ALIASES + 5; i++) {
            ok.append("*x, ");
            scalars.append("*s, ");
        }
        Diagnostic d = check(ok.append("]\n").toString()).orElseThrow();
        assertEquals("SPEC-LIMIT", d.code());
        assertTrue(d.message().contains("aliases"), d.message());
        assertEquals(Optional.empty(), check(scalars.append("]\n").toString()));
    }

    @Test
    void check_aliasInsideItsOwnCollection_cycle() {
        Diagnostic d = check("a: &x\n  b: *x\n").orElseThrow();
        assertEquals("SPEC-ALIAS", d.code());
        assertEquals(2, d.span().line());
        assertEquals("'*x' refers to the list or mapping it is part of", d.message());
    }

    @Test
    void check_badTag_syntaxErrorWithPrintableTag() {
        Diagnostic d = check("a: !a%01 x\n").orElseThrow();
        assertEquals("SPEC-SYNTAX", d.code());
        assertTrue(d.message().startsWith("the tag '"), d.message());
        assertTrue(d.message().contains("\\u0001"), d.message());
    }

    @Test
    void compose_stopsAtTheSameEventTheChecksName_andComposesWhatPasses() {
        LoaderOptions options = new LoaderOptions();
        options.setNestingDepthLimit(1000);
        options.setMaxAliasesForCollections(1000);
        StringBuilder aliases = new StringBuilder("a: &x [1]\nb: [");
        for (int i = 0; i < YamlEventChecks.MAX_COLLECTION_ALIASES + 5; i++) {
            aliases.append("*x, ");
        }
        int depth = YamlEventChecks.MAX_DEPTH + 1;
        for (String text : List.of(
                "[".repeat(depth) + "]".repeat(depth),
                aliases.append("]\n").toString(),
                "a: &x\n  b: *x\n",
                "a: !a%01 x\n")) {
            Diagnostic expected = check(text).orElseThrow();
            YamlEventChecks.Limit thrown =
                    assertThrows(YamlEventChecks.Limit.class, () -> YamlEventChecks.compose("s.yaml", text, options));
            assertEquals(expected, thrown.diagnostic(), text);
        }
        MappingNode root = (MappingNode) YamlEventChecks.compose("s.yaml", "a: &x [1, 2]\nb: *x\n", options);
        SequenceNode list = (SequenceNode) root.getValue().get(0).getValueNode();
        assertEquals(2, list.getValue().size());
        assertSame(list, root.getValue().get(1).getValueNode(), "the alias is the anchored node");
    }
}
