package dev.stockade.cli;

import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.NodeSpec;
import dev.stockade.ssh.SshOptions;
import dev.stockade.ssh.SshTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * How a command reaches hosts over SSH ({@code audit}, {@code apply}): which address and user for
 * the nodes of a spec, the known_hosts file every host key must be in, the keys to log in with,
 * {@code sudo}, and the time limits. Values are checked when the options are turned into
 * {@link SshOptions} or targets, so a command that does not use SSH never complains about them.
 */
final class SshConnectionOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    @Option(
            names = "--user",
            paramLabel = "USER",
            defaultValue = "core",
            description = "The SSH user for the nodes of --spec (default: ${DEFAULT-VALUE}; add --sudo).")
    String user;

    @Option(
            names = "--via",
            paramLabel = "ROLE",
            defaultValue = "private",
            description = "Which address of a spec node to connect to: private or public (default: ${DEFAULT-VALUE}).")
    String via;

    @Option(
            names = "--known-hosts",
            paramLabel = "FILE",
            description = "known_hosts file that must hold each host's key (default: ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(
            names = "--identity",
            paramLabel = "FILE",
            description = "Private key to log in with (repeatable; default: ~/.ssh/id_ed25519, id_ecdsa, id_rsa"
                    + " that exist, and ssh-agent).")
    List<Path> identities;

    @Option(names = "--sudo", description = "Run the remote commands with 'sudo -n' (log in as core, act as root).")
    boolean sudo;

    @Option(
            names = "--connect-timeout",
            paramLabel = "SECONDS",
            defaultValue = "10",
            description = "Time limit to connect and log in over SSH (default: ${DEFAULT-VALUE}).")
    int connectTimeoutSeconds;

    @Option(
            names = "--timeout",
            paramLabel = "SECONDS",
            defaultValue = "30",
            description = "Time limit per remote command (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    /** The per-command time limit, checked. */
    Duration commandTimeout() {
        if (timeoutSeconds < 1 || timeoutSeconds > 3600) {
            throw bad("--timeout must be 1 to 3600 seconds, not " + timeoutSeconds);
        }
        return Duration.ofSeconds(timeoutSeconds);
    }

    /** The SSH options, checked: the files given or the user's defaults, agent only without --identity. */
    SshOptions options() {
        if (connectTimeoutSeconds < 1 || connectTimeoutSeconds > 600) {
            throw bad("--connect-timeout must be 1 to 600 seconds, not " + connectTimeoutSeconds);
        }
        SshOptions defaults = SshOptions.defaults();
        return new SshOptions(
                knownHosts != null ? knownHosts : defaults.knownHosts(),
                identities != null ? identities : defaults.identities(),
                identities == null && defaults.agent(),
                Duration.ofSeconds(connectTimeoutSeconds),
                commandTimeout());
    }

    /** {@code USER@HOST[:PORT]} as given on the command line. */
    SshTarget parse(String text, String option) {
        return SshTarget.parse(text)
                .orElseThrow(
                        () -> bad(option + " '" + text + "' is not USER@HOST or USER@HOST:PORT (e.g. core@10.0.0.5)"));
    }

    /** The nodes of the spec at their private (or public, --via) address and the spec's SSH port, as --user. */
    List<SshTarget> targets(ClusterSpec spec, List<NodeSpec> nodes) {
        if (!via.equals("private") && !via.equals("public")) {
            throw bad("--via must be private or public, not '" + via + "'");
        }
        List<SshTarget> out = new ArrayList<>();
        for (NodeSpec n : nodes) {
            Optional<String> address = via.equals("private")
                    ? n.privateV4()
                            .or(n::privateV6)
                            .or(() -> n.publicAddresses().stream().findFirst())
                            .map(p -> p.address())
                    : n.publicAddresses().stream().findFirst().or(n::privateV4).map(p -> p.address());
            if (address.isEmpty()) {
                throw bad("node " + n.name() + " has no address in " + spec.file() + " to connect to");
            }
            out.add(new SshTarget(user, address.get(), spec.ssh().port()));
        }
        return out;
    }

    private ParameterException bad(String message) {
        return new ParameterException(mixee.commandLine(), message);
    }
}
