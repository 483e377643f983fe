package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.Ipassmt;
import dev.stockade.analysis.ServiceMatrix;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.ParsedRuleset;
import dev.stockade.iptables.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code fw matrix --mode fffuu} reproduces the service matrices the Iptables_Semantics tool printed
 * for its own test inputs (golden files in {@code ../shared/data/iptables_semantics}): the same
 * partition of the address space and the same edges, compared as sets because class names are
 * arbitrary. Arguments per file are those in that directory's README.
 */
class FffuuGoldenIT {

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "i8_iptables-save-2015-05-15_15-23-41_cheating, iptables_semantics/inputs/iptables-save-2015-05-15_15-23-41_cheating, filter, FORWARD, iptables_semantics/inputs/ipassmt_tumi8",
        "synology_iptables-save_jun_2015_cleanup, iptables_semantics/inputs/iptables-save_jun_2015_cleanup, filter, INPUT, ",
        "sqrl_2015_aug_iptables-save-spoofing-protection, iptables_semantics/inputs/2015_aug_iptables-save-spoofing-protection, raw, PREROUTING, iptables_semantics/inputs/ipassmt_sqrl",
        "parser_test, iptables_semantics/inputs/parser_test_iptables-save, filter, FORWARD, ",
        "tum_iptables-save-2016-06-27_FORWARD_noipassmt, net-network/configs_chair_for_Network_Architectures_and_Services/iptables-save-2016-06-27_16-29-01, filter, FORWARD, ",
    })
    void matrix_fffuuMode_equalsGolden(String golden, String input, String table, String chain, String ipassmt)
            throws Exception {
        Path data = IptablesCorpusIT.shared();
        Map<Integer, Matrix> expected = golden(
                Files.readString(data.resolve("iptables_semantics/golden").resolve(golden), StandardCharsets.UTF_8));
        assertFalse(expected.isEmpty(), "no matrices in " + golden);
        ParsedRuleset p = IptablesSaveParser.parse(
                input, Files.readString(data.resolve(input), StandardCharsets.ISO_8859_1), null);
        Table t = p.ruleset().table(table).orElseThrow();
        Ipassmt a = ipassmt == null ? null : Ipassmt.parse(ipassmt, Files.readString(data.resolve(ipassmt)));
        FilterAnalysis analysis =
                FilterAnalysis.of(p.ruleset().family(), List.of(t), List.of(), FilterAnalysis.Approximation.FFFUU, a);
        for (Map.Entry<Integer, Matrix> e : expected.entrySet()) {
            ServiceMatrix m = ServiceMatrix.of(analysis, chain, e.getKey(), 10000, true);
            Matrix actual = golden(m.toFffuuText(10000)).get(e.getKey());
            assertEquals(
                    e.getValue().classes,
                    actual.classes,
                    () -> golden + " port " + e.getKey() + ": partition differs; "
                            + difference(e.getValue().classes, actual.classes));
            assertEquals(
                    e.getValue().edges,
                    actual.edges,
                    () -> golden + " port " + e.getKey() + ": edges differ; "
                            + difference(e.getValue().edges, actual.edges));
        }
    }

    private static String difference(TreeSet<String> expected, TreeSet<String> actual) {
        TreeSet<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        TreeSet<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        return "only in fffuu's output: " + missing + "\nonly in ours: " + extra;
    }

    /** A matrix with classes as their address text and edges as pairs of those texts. */
    record Matrix(TreeSet<String> classes, TreeSet<String> edges) {}

    /** Parses every "TCP port 10000->P" section of fffuu's output. */
    static Map<Integer, Matrix> golden(String text) {
        Map<Integer, Matrix> out = new HashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].startsWith("=========== TCP port 10000->")) {
                continue;
            }
            int port = Integer.parseInt(lines[i].replaceAll("[^0-9>]", "").split(">")[1]);
            Map<String, String> names = new HashMap<>();
            List<String[]> pairs = new ArrayList<>();
            int j = i + 1;
            for (; j < lines.length && lines[j].contains(" |-> "); j++) {
                String[] kv = lines[j].split(" \\|-> ", 2);
                names.put(kv[0].trim(), kv[1].trim());
            }
            for (j++; j < lines.length && lines[j].startsWith("("); j++) {
                pairs.add(lines[j].substring(1, lines[j].length() - 1).split(","));
            }
            TreeSet<String> edges = new TreeSet<>();
            for (String[] e : pairs) {
                assertTrue(
                        names.containsKey(e[0]) && names.containsKey(e[1]),
                        "edge with unknown class " + e[0] + "," + e[1]);
                edges.add(names.get(e[0]) + "  ->  " + names.get(e[1]));
            }
            out.put(port, new Matrix(new TreeSet<>(names.values()), edges));
        }
        return out;
    }
}
