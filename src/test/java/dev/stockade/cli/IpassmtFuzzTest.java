package dev.stockade.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * Any bytes as an fffuu IP assignment ({@code --ipassmt}) for {@code fw matrix} over a fixed ruleset
 * whose rules match on interfaces, in both modes: the assignment is parsed, then assumed (exact) or
 * substituted for {@code -i} (fffuu). bench/fuzz.sh target: ipassmt.
 */
class IpassmtFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void matrix_anyAssignment_exitContract(byte[] data) throws IOException {
        Path rules = dir.resolve("interfaces.rules");
        if (!Files.exists(rules)) {
            try (InputStream in = IpassmtFuzzTest.class.getResourceAsStream("ipassmt-fuzz.rules")) {
                Files.copy(in, rules);
            }
        }
        Path assignment = dir.resolve("ipassmt");
        Files.write(assignment, data);
        CliContract.check("fw", "matrix", "--chain", "FORWARD", "--ipassmt", assignment.toString(), rules.toString());
        CliContract.check(
                "fw",
                "matrix",
                "--chain",
                "FORWARD",
                "--mode",
                "fffuu",
                "--ipassmt",
                assignment.toString(),
                rules.toString());
    }
}
