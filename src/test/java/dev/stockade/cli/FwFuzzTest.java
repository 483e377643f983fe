package dev.stockade.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as an iptables-save file, through the commands that read one: parser, lints, packet-set
 * analysis, service matrix and query all run after a successful parse. Seeds and crash inputs live in
 * src/test/resources/dev/stockade/cli/FwFuzzTestInputs and replay in every test run; bench/fuzz.sh
 * fuzzes one method (targets fw-lint, fw-analyze, fw-matrix, fw-query).
 */
class FwFuzzTest {

    @TempDir
    static Path dir;

    static String write(byte[] data) throws IOException {
        Path f = dir.resolve("fuzz.rules");
        Files.write(f, data);
        return f.toString();
    }

    @FuzzTest
    void lint_anyRuleset_exitContract(byte[] data) throws IOException {
        CliContract.check("fw", "lint", write(data));
    }

    @FuzzTest
    void analyze_anyRuleset_exitContract(byte[] data) throws IOException {
        CliContract.check("fw", "analyze", write(data));
    }

    @FuzzTest
    void matrix_anyRuleset_exitContract(byte[] data) throws IOException {
        CliContract.check("fw", "matrix", "--chain", "INPUT", write(data));
    }

    @FuzzTest
    void query_anyRuleset_exitContract(byte[] data) throws IOException {
        CliContract.check("fw", "query", write(data), "--src", "10.0.0.1", "--dst", "10.0.0.2", "--dport", "22");
    }
}
