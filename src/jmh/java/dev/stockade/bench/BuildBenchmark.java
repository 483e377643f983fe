package dev.stockade.bench;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterBuilder;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.SpecLoader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The build's hot path in-process, without the PKI and without writing: every node's firewall
 * compiled, written, read back, proved against the spec and rendered into Ignition and
 * cloud-config ({@link ClusterBuilder#build(LoadedSpec)}), for the {@code bench/gen-spec.sh} spec
 * of {@code nodes} nodes with 5 etcd members, per firewall backend, under the JVM options of
 * {@code bin/stockade}. Run from the repository root (it calls {@code bench/gen-spec.sh}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"})
public class BuildBenchmark {

    @Param({"100", "1000"})
    public int nodes;

    @Param({"iptables", "nftables"})
    public String firewall;

    LoadedSpec spec;

    @Setup
    public void setUp() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bench/gen-spec.sh", Integer.toString(nodes));
        pb.environment().put("FIREWALL", firewall);
        pb.environment().put("ETCD_MEMBERS", "5");
        pb.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p = pb.start();
        String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("bench/gen-spec.sh failed");
        }
        try {
            spec = SpecLoader.parse("bench.yaml", yaml);
        } catch (dev.stockade.report.InputException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Benchmark
    public BuildResult build() {
        BuildResult r = ClusterBuilder.build(spec);
        if (!r.nodes().stream().allMatch(n -> n.proven())) {
            throw new IllegalStateException("a node's proof failed");
        }
        return r;
    }
}
