package dev.stockade.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.testing.Commands;
import dev.stockade.testing.ExecResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SshKeysTest {

    @TempDir
    Path tmp;

    /** A public key line made by the real ssh-keygen (package openssh-client; bin/test installs it). */
    String keygen(String type, int bits) throws IOException {
        Path key = tmp.resolve(type + bits);
        ExecResult r = Commands.run(
                new ProcessBuilder(
                        "ssh-keygen",
                        "-q",
                        "-t",
                        type,
                        "-b",
                        String.valueOf(bits),
                        "-N",
                        "",
                        "-C",
                        "ops@example",
                        "-f",
                        key.toString()),
                Duration.ofSeconds(60),
                null);
        assertEquals(0, r.exit(), "ssh-keygen (Debian package openssh-client) must be installed: " + r);
        return Files.readString(Path.of(key + ".pub")).strip();
    }

    @ParameterizedTest
    @CsvSource({"ed25519, 256", "ecdsa, 256", "ecdsa, 384", "ecdsa, 521", "rsa, 2048", "rsa, 3072"})
    void problem_keysMadeBySshKeygen_areAccepted(String type, int bits) throws IOException {
        String line = keygen(type, bits);
        assertEquals(Optional.empty(), SshKeys.problem(line), line);
        assertEquals(Optional.empty(), SshKeys.problem(line.substring(0, line.lastIndexOf(' '))), "no comment");
    }

    @Test
    void problem_everyCutOfARealKey_isCaught() throws IOException {
        for (String type : new String[] {"ed25519", "ecdsa", "rsa"}) {
            String line = keygen(type, type.equals("rsa") ? 2048 : 256);
            String[] parts = line.split(" ");
            for (int keep = 4; keep < parts[1].length(); keep += 4) {
                String cut = parts[0] + " " + parts[1].substring(0, keep) + " " + parts[2];
                assertTrue(SshKeys.problem(cut).isPresent(), cut);
            }
        }
    }

    @Test
    void problem_typeMismatch_extraBytes_weakOrObsoleteKeys() throws IOException {
        String ed = keygen("ed25519", 256);
        String[] parts = ed.split(" ");
        assertEquals(
                Optional.of("the key data is a ssh-ed25519 key but the line says ssh-rsa"),
                SshKeys.problem("ssh-rsa " + parts[1]));
        byte[] blob = Base64.getDecoder().decode(parts[1]);
        byte[] longer = java.util.Arrays.copyOf(blob, blob.length + 3);
        assertEquals(
                Optional.of("the key data has 3 extra bytes after the key"),
                SshKeys.problem("ssh-ed25519 " + Base64.getEncoder().encodeToString(longer)));
        assertTrue(
                SshKeys.problem(keygen("rsa", 1024)).orElseThrow().startsWith("an RSA key of 1024 bits is too weak"));
        assertTrue(SshKeys.problem("ssh-dss AAAAB3NzaC1kc3MAAACBAP8=")
                .orElseThrow()
                .contains("refused by OpenSSH"));
        assertTrue(SshKeys.problem("ssh-ed25519 AAAA$$$$").orElseThrow().contains("not valid base64"));
        assertTrue(SshKeys.problem("ssh-ed25519").isPresent());
    }
}
