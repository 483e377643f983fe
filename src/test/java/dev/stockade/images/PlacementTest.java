package dev.stockade.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stockade.report.SourceSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Offsets in embedded texts mapped to the embedding file, and YAML's own places. */
class PlacementTest {

    @Test
    void fileText_offsetsAndLinesRoundTrip() {
        FileText t = FileText.of("f", "ab\ncd\n\nef");
        assertEquals(new SourceSpan("f", 2, 2), t.span(4));
        assertEquals(new SourceSpan("f", 4, 1), t.span(7));
        assertEquals(4, t.offset(new SourceSpan("f", 2, 2)));
        assertEquals(-1, t.lineStart(9));
        assertEquals(-1, t.offset(new SourceSpan("f", 0, 0)));
    }

    @Test
    void jsonString_walksEscapes() {
        String file = "{\"c\": \"a\\\"b\\u00e9\\nimg:1\"}";
        FileText t = FileText.of("f", file);
        Placement p = new Placement.JsonString(t, file.indexOf("\"a"), new SourceSpan("f", 1, 7));
        // decoded: a " b é \n i m g
        String decoded = "a\"b\u00e9\nimg:1";
        assertEquals(file.indexOf("img:1"), p.fileOffset(decoded.indexOf("img:1")));
        assertEquals(-1, p.fileOffset(100));
        assertEquals(-1, new Placement.JsonString(t, 0, new SourceSpan("f", 1, 1)).fileOffset(0));
    }

    @Test
    void block_linesLessTheIndent() {
        String file = "k: |\n    line one\n\n    img:2\nnext: x\n";
        FileText t = FileText.of("f", file);
        Placement p = new Placement.Block(t, 2, 4, new SourceSpan("f", 2, 5));
        String decoded = "line one\n\nimg:2\n";
        assertEquals(file.indexOf("img:2"), p.fileOffset(decoded.indexOf("img:2")));
        assertEquals(new SourceSpan("f", 4, 5), t.span(p.fileOffset(decoded.indexOf("img:2"))));
        assertEquals(-1, new Placement.Block(t, 99, 4, new SourceSpan("f", 2, 5)).fileOffset(0));
    }

    @Test
    void opaqueAndWhole() {
        assertEquals(-1, new Placement.Opaque(new SourceSpan("f", 3, 4)).fileOffset(7));
        assertEquals(new SourceSpan("f", 3, 4), new Placement.Opaque(new SourceSpan("f", 3, 4)).fallback());
        assertEquals(7, new Placement.Whole("f").fileOffset(7));
        assertEquals(SourceSpan.ofFile("f"), new Placement.Whole("f").fallback());
    }

    @Test
    void yamlImages_quotedTransportAndJson() throws YamlImages.NotYaml {
        List<Hit> hits = YamlImages.find("a:\n  image: \"docker://x/y:1\"\n");
        assertEquals(List.of(new Hit("x/y:1", "a:\n  image: \"docker://".length(), "a.image")), hits);
        List<Hit> json = YamlImages.find("{\"spec\": {\"containers\": [{\"image\": \"b:2\"}]}}");
        assertEquals("spec.containers[0].image", json.get(0).where());
        YamlImages.NotYaml e = assertThrows(YamlImages.NotYaml.class, () -> YamlImages.find("a: [\n"));
        assertEquals(2, e.line);
    }
}
