package dev.stockade.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** A one-node spec and its PKI directory, for the pki command tests. */
final class PkiFixture {

    final Path spec;
    final Path dir;

    PkiFixture(Path tmp) throws Exception {
        spec = tmp.resolve("c.yaml");
        dir = tmp.resolve("pki");
        Files.writeString(
                spec,
                "stockade: 1\ncluster: c\ntarget: flatcar\ninterfaces: {public: eth0, private: eth1}\n"
                        + "nodes:\n  - {name: a, private: 10.250.0.1}\n"
                        + "admin: {ssh: {from: [203.0.113.0/24], keys: [\"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGJz0hVq7qkJ1fG9vO3p5l8vNwQ4ZbQ0cYqz1eXcTest k\"]}}\n"
                        + "hardening: {updates: reboot}\n"
                        + "pki: {key: ecdsa-p256, cert_days: 90}\n");
    }

    CommandRun pki(String command, String... more) {
        String[] args = new String[4 + more.length];
        args[0] = "pki";
        args[1] = command;
        args[2] = "--dir";
        args[3] = dir.toString();
        System.arraycopy(more, 0, args, 4, more.length);
        return CommandRun.of(args);
    }
}
