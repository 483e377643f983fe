package dev.stockade.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as a cluster spec through {@code build --dry-run}: loading, checks, firewall compilation
 * and its proof, and rendering, with nothing written. bench/fuzz.sh target: build.
 */
class BuildFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void build_anySpec_exitContract(byte[] data) throws IOException {
        Path spec = dir.resolve("cluster.yaml");
        Files.write(spec, data);
        CliContract.check(
                "build", spec.toString(), "--dry-run", "-o", dir.resolve("out").toString());
    }
}
