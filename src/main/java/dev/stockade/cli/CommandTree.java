package dev.stockade.cli;

import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * The command tree, built for one command line: only the commands it names are built.
 *
 * <p>picocli builds a command from its annotations by reflection: every option, mixin and parameter,
 * their types and converters. Building the whole tree for every run was three quarters of the
 * start-up of {@code stockade --help}, and loaded 150 classes that run does not need (the commands,
 * their option types, and what their fields' signatures and verification name). So the groups'
 * commands are listed here, each with the summary its group's usage shows, and a command is built
 * from its class only when an argument is its name or one of its aliases. The other commands stand
 * in as a name, aliases and a summary: that is all a group's usage, its "needs a command" list and
 * the "did you mean" suggestions read, and all the help command needs of the commands it does not
 * explain.
 *
 * <p>Building a command for an argument that only looks like its name (a file named {@code build})
 * costs time, never a different outcome. An argument file ({@code @FILE}, which picocli expands)
 * builds every command. {@code CommandTreeTest} checks each summary against its class's annotation
 * and that the tree built for a command line prints and exits as the whole tree does.
 */
final class CommandTree {

    /**
     * A command of a group, as its group's usage shows it, and the class that implements it, named
     * rather than referred to: a class literal would load every command's class at start.
     */
    record Entry(String name, List<String> aliases, String summary, String type, List<Entry> commands) {

        static Entry leaf(String name, String summary, String type) {
            return new Entry(name, List.of(), summary, type, List.of());
        }
    }

    /** {@code help} in every group. */
    private static final Entry HELP = Entry.leaf("help", "Show the help of a command.", "HelpCommand");

    /** The root's commands in the order its usage lists them; groups hold theirs. */
    static final List<Entry> ROOT = List.of(
            Entry.leaf("build", "Compile a cluster spec into what each node needs.", "BuildCommand"),
            Entry.leaf("validate", "Check cloud-config, Ignition, rules files and specs.", "ValidateCommand"),
            Entry.leaf("audit", "Audit a live host: real exposure, hardening, etcd TLS.", "AuditCommand"),
            Entry.leaf("apply", "Change running nodes to the spec's firewalls, safely.", "ApplyCommand"),
            new Entry(
                    "images",
                    List.of(),
                    "Pin container images and gate on scan reports.",
                    "ImagesCommand",
                    List.of(
                            Entry.leaf(
                                    "check",
                                    "Find image references that are not pinned by digest.",
                                    "ImagesCheckCommand"),
                            Entry.leaf(
                                    "gate", "Fail a pipeline on vulnerabilities a scanner found.", "ImagesGateCommand"),
                            HELP)),
            new Entry(
                    "pki",
                    List.of(),
                    "Manage the cluster's certificate authority.",
                    "PkiCommand",
                    List.of(
                            Entry.leaf("init", "Create the cluster CA, or import one.", "PkiInitCommand"),
                            Entry.leaf("issue", "Issue the certificates the cluster needs.", "PkiIssueCommand"),
                            Entry.leaf("inspect", "Show what PEM files hold.", "PkiInspectCommand"),
                            Entry.leaf(
                                    "verify",
                                    "Check that the PKI fits the spec, changing nothing.",
                                    "PkiVerifyCommand"),
                            Entry.leaf("renew", "Re-issue what is expiring or no longer fits.", "PkiRenewCommand"),
                            Entry.leaf("revoke", "Revoke a certificate and sign a new CRL.", "PkiRevokeCommand"),
                            Entry.leaf("crl", "Sign the CRL again from revoked.json.", "PkiCrlCommand"),
                            HELP)),
            new Entry(
                    "fw",
                    List.of(),
                    "Analyse and check iptables rulesets.",
                    "FwCommand",
                    List.of(
                            new Entry(
                                    "analyze",
                                    List.of("analyse"),
                                    "Show what a filter table accepts of new connections.",
                                    "FwAnalyzeCommand",
                                    List.of()),
                            Entry.leaf(
                                    "matrix", "Compute service matrices: who may connect to whom.", "FwMatrixCommand"),
                            Entry.leaf("diff", "Show what a change to a ruleset opens and closes.", "FwDiffCommand"),
                            Entry.leaf("lint", "Find problems in rulesets.", "FwLintCommand"),
                            Entry.leaf(
                                    "query",
                                    "Show a packet's verdict and the rules that decided it.",
                                    "FwQueryCommand"),
                            HELP)),
            HELP);

    private CommandTree() {}

    /** The root with every command built, for tests and tools that walk the whole tree. */
    static CommandLine whole() {
        return build(null);
    }

    /** The root with the commands {@code args} may name built, the others standing in. */
    static CommandLine forArgs(String[] args) {
        for (String a : args) {
            if (a != null && a.startsWith("@")) {
                return build(null);
            }
        }
        return build(args);
    }

    /** {@code args == null} builds every command. */
    private static CommandLine build(String[] args) {
        CommandLine root = new CommandLine(new Main());
        addCommands(root, ROOT, args);
        return root;
    }

    private static void addCommands(CommandLine group, List<Entry> commands, String[] args) {
        for (Entry e : commands) {
            CommandLine sub;
            if (args == null || named(e, args)) {
                sub = new CommandLine(commandClass(e));
                addCommands(sub, e.commands(), args);
            } else {
                sub = standIn(e);
            }
            group.addSubcommand(e.name(), sub);
        }
    }

    /** What the group's help and suggestions read of a command that is not built. */
    private static CommandLine standIn(Entry e) {
        CommandSpec spec = CommandSpec.create().name(e.name());
        spec.aliases(e.aliases().toArray(new String[0]));
        spec.usageMessage().description(e.summary());
        return new CommandLine(spec);
    }

    static Class<?> commandClass(Entry e) {
        try {
            return Class.forName(CommandTree.class.getPackageName() + "." + e.type());
        } catch (ClassNotFoundException ex) {
            throw new IllegalStateException("no class for command " + e.name() + ": " + e.type(), ex);
        }
    }

    private static boolean named(Entry e, String[] args) {
        for (String a : args) {
            if (e.name().equals(a) || e.aliases().contains(a)) {
                return true;
            }
        }
        return false;
    }
}
