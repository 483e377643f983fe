package dev.stockade.audit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Finding;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A host that answers with truncated or garbled output: seeded mutations of the two snapshot
 * fixtures (cut short, bytes flipped, lines doubled, replaced by noise), audited with and without
 * a spec. Every audit ends in findings, never an exception, and every finding has a place.
 */
class GarbageFactsTest {

    static final int CASES = 1500;

    @Test
    void mutatedFacts_findingsNeverExceptions() throws Exception {
        ClusterSpec spec = SpecLoader.load(Path.of("examples/demo.yaml")).spec();
        Map<Probe, ProbeOutput> base = new EnumMap<>(Probe.class);
        List<Map<Probe, ProbeOutput>> fixtures = new java.util.ArrayList<>();
        for (String f : List.of("open", "hardened")) {
            FactSource s = SnapshotFacts.read(Path.of("src/test/resources/audit", f));
            Map<Probe, ProbeOutput> m = new EnumMap<>(Probe.class);
            for (Probe p : Probe.values()) {
                m.put(p, s.collect(p));
            }
            fixtures.add(m);
        }
        Random r = new Random(20261202);
        for (int i = 0; i < CASES; i++) {
            base.clear();
            base.putAll(fixtures.get(r.nextInt(fixtures.size())));
            int edits = 1 + r.nextInt(4);
            for (int e = 0; e < edits; e++) {
                Probe p = Probe.values()[r.nextInt(Probe.values().length)];
                ProbeOutput o = base.get(p);
                base.put(
                        p, new ProbeOutput(p, o.status(), o.exitCode(), mutate(o.stdout(), r), o.stderr(), o.source()));
            }
            Map<Probe, ProbeOutput> facts = new EnumMap<>(base);
            Optional<ClusterSpec> withSpec = r.nextBoolean() ? Optional.of(spec) : Optional.empty();
            String label = "case " + i;
            Checks.HostAudit a =
                    assertDoesNotThrow(() -> Checks.audit(new HostFacts("core-1", facts), withSpec), label);
            for (Finding f : a.findings()) {
                assertTrue(f.span().isPresent() || f.id().equals("AUD-NOTHING"), label + ": " + f);
                assertTrue(!f.message().isBlank(), label + ": " + f);
            }
        }
    }

    static String mutate(String text, Random r) {
        switch (r.nextInt(5)) {
            case 0:
                return text.substring(0, text.isEmpty() ? 0 : r.nextInt(text.length()));
            case 1: {
                char[] c = text.toCharArray();
                for (int k = 0; k < 1 + r.nextInt(8) && c.length > 0; k++) {
                    c[r.nextInt(c.length)] = (char) r.nextInt(0x3000);
                }
                return new String(c);
            }
            case 2: {
                String[] lines = text.split("\n", -1);
                int at = r.nextInt(lines.length);
                return text + "\n" + lines[at] + "\n" + lines[at];
            }
            case 3: {
                StringBuilder sb = new StringBuilder();
                for (int k = 0; k < r.nextInt(400); k++) {
                    sb.append((char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(0x800)));
                }
                return sb.toString();
            }
            default:
                return text.replace(" ", r.nextBoolean() ? "\t" : "  ").replace("=", r.nextBoolean() ? "" : "==");
        }
    }
}
