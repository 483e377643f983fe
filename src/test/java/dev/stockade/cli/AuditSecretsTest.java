package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.audit.Probe;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A hostile host: every fact's output and error output is laced with secrets (a private key, a
 * password, a token, a JSON web token, credentials in a URL), half the facts fail, and the
 * snapshot is audited in every format, with and without a spec. No secret reaches any report.
 */
class AuditSecretsTest {

    static final String KEY_BODY = "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ";
    static final List<String> SECRETS =
            List.of(KEY_BODY, "hunter2", "tk-9f8e7d6c", "eyJzdWIiOiIxMjM0In0", "s3cr3t-pw", "AKIAEXAMPLEKEY99");

    static final String LACED =
            "-----BEGIN OPENSSH PRIVATE KEY-----\n" + KEY_BODY + "\n-----END OPENSSH PRIVATE KEY-----\n"
                    + "ETCD_PASSWORD=hunter2 LOCKSMITHD_ETCD_PASSWORD='hunter2'\n"
                    + "Authorization: token=tk-9f8e7d6c\n"
                    + "bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.c2lnbmF0dXJl\n"
                    + "LOCKSMITHD_ENDPOINT=http://lock:s3cr3t-pw@10.250.0.1:2379\n"
                    + "AWS_SECRET_ACCESS_KEY=AKIAEXAMPLEKEY99\n";

    @Test
    void hostileFacts_noSecretInAnyFormat(@TempDir Path tmp) throws Exception {
        Path snapshot = Files.createDirectories(tmp.resolve("hostile"));
        int i = 0;
        for (Probe p : Probe.values()) {
            boolean fails = i++ % 2 == 1;
            Files.writeString(snapshot.resolve(p.file() + ".out"), LACED + "garbage " + p.file() + "\n" + LACED);
            Files.writeString(snapshot.resolve(p.file() + ".err"), LACED.replace("\n", " "));
            Files.writeString(snapshot.resolve(p.file() + ".rc"), fails ? "1\n" : "0\n");
        }
        // a docker socket line that does not parse is quoted in its finding
        Files.writeString(snapshot.resolve("docker-socket.out"), "/run/docker.sock token=tk-9f8e7d6c " + LACED);
        Files.writeString(snapshot.resolve("docker-socket.rc"), "0\n");
        int findings = 0;
        for (String format : List.of("text", "json", "sarif", "junit", "html")) {
            for (boolean spec : List.of(false, true)) {
                List<String> args = new java.util.ArrayList<>(
                        List.of("audit", "--snapshot", snapshot.toString(), "--format", format));
                if (spec) {
                    args.addAll(List.of("--spec", "examples/demo.yaml"));
                }
                StringWriter out = new StringWriter();
                StringWriter err = new StringWriter();
                int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
                String report = out.toString() + err;
                assertTrue(code == 0 || code == 1, format + " exit " + code + ": " + report);
                for (String secret : SECRETS) {
                    assertFalse(
                            report.contains(secret),
                            format + (spec ? " with spec" : "") + " shows " + secret + ":\n" + report);
                }
                findings += report.contains("[removed]") || report.contains("[private key removed]") ? 1 : 0;
            }
        }
        assertEquals(10, findings, "every report quoted the host's output somewhere, redacted");
    }
}
