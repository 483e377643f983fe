package dev.stockade.spec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.stockade.report.InputException;
import dev.stockade.report.LocatedErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** Any bytes as a spec file: a model or located errors, nothing else. bench/fuzz.sh target: spec. */
class SpecLoaderFuzzTest {

    @TempDir
    static Path dir;

    @FuzzTest
    void load_anyBytes_specOrLocatedErrors(byte[] data) throws IOException {
        Path f = dir.resolve("cluster.yaml");
        Files.write(f, data);
        try {
            SpecLoader.load(f);
        } catch (InputException e) {
            LocatedErrors.check(e);
        }
    }
}
