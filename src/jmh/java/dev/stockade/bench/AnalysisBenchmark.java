package dev.stockade.bench;

import dev.stockade.analysis.Exposure;
import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.RulesetLints;
import dev.stockade.analysis.SemanticLints;
import dev.stockade.analysis.ServiceMatrix;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.ParsedRuleset;
import dev.stockade.iptables.Table;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The packet-set analysis on a large real ruleset (default: the 5,529-rule TUM dump of the
 * Iptables_Semantics corpus; {@code -Dstockade.bench.rules=FILE} for another): parsing, the full
 * FORWARD analysis (semantics, exposure, service matrices for ports 22 and 80), the matrices in
 * fffuu mode, and {@code fw lint}'s work (structural and packet-set lints of the filter table).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class AnalysisBenchmark {

    static final String DEFAULT = "../shared/data/net-network/configs_chair_for_Network_Architectures_and_Services/"
            + "iptables-save-2016-06-27_16-29-01";

    String text;
    ParsedRuleset parsed;
    Table filter;

    @Setup
    public void load() throws Exception {
        Path p = Path.of(System.getProperty("stockade.bench.rules", DEFAULT));
        text = Files.readString(p, StandardCharsets.ISO_8859_1);
        parsed = IptablesSaveParser.parse(p.toString(), text, null);
        filter = parsed.ruleset().table("filter").orElseThrow();
    }

    @Benchmark
    public ParsedRuleset parse() throws Exception {
        return IptablesSaveParser.parse("bench", text, null);
    }

    @Benchmark
    public int analyzeAndMatrices() throws Exception {
        FilterAnalysis a = FilterAnalysis.of(parsed.ruleset().family(), filter);
        Exposure e = Exposure.of(a, "FORWARD");
        ServiceMatrix m22 = ServiceMatrix.of(a, "FORWARD", 22, 10000, true);
        ServiceMatrix m80 = ServiceMatrix.of(a, "FORWARD", 80, 10000, true);
        return e.conditional().size() + m22.classes().size() + m80.classes().size();
    }

    @Benchmark
    public int matricesFffuuMode() throws Exception {
        FilterAnalysis a = FilterAnalysis.of(
                parsed.ruleset().family(), List.of(filter), List.of(), FilterAnalysis.Approximation.FFFUU, null);
        return ServiceMatrix.of(a, "FORWARD", 22, 10000, true).classes().size()
                + ServiceMatrix.of(a, "FORWARD", 80, 10000, true).classes().size();
    }

    @Benchmark
    public int lint() throws Exception {
        return RulesetLints.lint(List.of(new RulesetLints.Source("bench", parsed.ruleset())))
                        .size()
                + SemanticLints.lint("bench", parsed.ruleset().family(), filter).size();
    }
}
