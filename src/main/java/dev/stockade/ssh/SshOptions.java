package dev.stockade.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to connect: the known_hosts file that must already hold the host's key (strict checking;
 * an unknown or changed key refuses the connection), the private keys to offer, or the SSH agent
 * ({@code SSH_AUTH_SOCK}) instead of them when {@code agent} is true and one answers, and the time
 * limits.
 */
public record SshOptions(
        Path knownHosts, List<Path> identities, boolean agent, Duration connectTimeout, Duration commandTimeout) {

    public SshOptions {
        identities = List.copyOf(identities);
    }

    /** ~/.ssh/known_hosts and the usual key files that exist, the agent when one runs, 10 s to connect, 60 s per command. */
    public static SshOptions defaults() {
        Path home = Path.of(System.getProperty("user.home"), ".ssh");
        List<Path> keys = java.util.stream.Stream.of("id_ed25519", "id_ecdsa", "id_rsa")
                .map(home::resolve)
                .filter(java.nio.file.Files::isReadable)
                .toList();
        return new SshOptions(
                home.resolve("known_hosts"),
                keys,
                System.getenv("SSH_AUTH_SOCK") != null,
                Duration.ofSeconds(10),
                Duration.ofSeconds(60));
    }
}
