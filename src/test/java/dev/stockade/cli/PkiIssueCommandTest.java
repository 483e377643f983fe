package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PkiIssueCommandTest {

    @TempDir
    Path tmp;

    @Test
    void issue_fromSpec_createsCaAndCertificatesThenKeepsThem() throws Exception {
        PkiFixture f = new PkiFixture(tmp);
        CommandRun first = f.pki("issue", "--spec", f.spec.toString());
        assertEquals(0, first.exit, first::toString);
        assertTrue(first.out.contains("Created CA " + f.dir.resolve("ca.pem")), first.out);
        assertTrue(
                first.out.contains(
                        "Issued   " + f.dir.resolve("a.pem") + "  (key " + f.dir.resolve("a-key.pem") + ", 0600)"),
                first.out);
        CommandRun second = f.pki("issue", "--spec", f.spec.toString());
        assertEquals(0, second.exit, second::toString);
        assertTrue(second.out.contains("Kept     " + f.dir.resolve("a.pem")), second.out);
        assertTrue(second.out.contains("Kept     " + f.dir.resolve("operator.pem")), second.out);
        assertEquals(f.spec, second.command(PkiIssueCommand.class).where.specFile);
    }

    @Test
    void issue_cfsslCsrWithoutConfig_usageError() throws Exception {
        PkiFixture f = new PkiFixture(tmp);
        Path csr = tmp.resolve("csr.json");
        Files.writeString(csr, "{\"CN\": \"x\", \"hosts\": [\"x.example\"]}");
        CommandRun r = f.pki("issue", "--csr", csr.toString());
        assertEquals(2, r.exit, r::toString);
        assertTrue(r.err.contains("--csr needs --config ca-config.json"), r.err);
    }
}
