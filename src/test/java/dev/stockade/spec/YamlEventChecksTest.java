package dev.stockade.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import java.io.StringReader;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

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
}
