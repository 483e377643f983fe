package dev.stockade.cli;

import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code stockade} command: subcommands only, each a small {@code Callable<Integer>}, listed in
 * {@link CommandTree}.
 */
@Command(
        name = "stockade",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
            "Secure Container Linux clusters by construction.",
            "Stockade compiles a cluster spec into per-node firewalls, provisioning and an etcd PKI, and proves"
                    + " what the firewalls accept. It validates the cloud-config and Ignition configs you already"
                    + " have, analyses iptables rulesets as sets of packets, and checks certificates against the"
                    + " spec. Run 'stockade help COMMAND' for a command's options."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Success.",
            "1:Findings at or above --fail-on (checking commands), or fw diff found a difference.",
            "2:Bad input or usage; the message names file:line:col.",
            "3:Environment problem: the output cannot be written, or a tool is missing.",
            "4:Internal error: a bug in Stockade (please report it)."
        })
public final class Main implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * picocli registers a converter for every java.sql and java.time type it knows, by reflection,
     * for every command it builds: about 100 classes loaded for options Stockade does not have
     * (MainTest checks that no option or parameter has such a type).
     */
    static final String UNUSED_CONVERTERS = "java\\.sql\\..*,java\\.time\\..*";

    public static void main(String[] args) {
        skipUnusedConverters();
        // UTF-8 whatever the locale: output names files and rules as written, and CI runs without a locale
        System.exit(run(
                args,
                new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true),
                new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true)));
    }

    /** Tells picocli not to register {@link #UNUSED_CONVERTERS}, unless the property is set already. */
    static void skipUnusedConverters() {
        if (System.getProperty("picocli.converters.excludes") == null) {
            System.setProperty("picocli.converters.excludes", UNUSED_CONVERTERS);
        }
    }

    /** Runs the CLI with the given streams; used by tests in-process. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return execute(commandLine(out, err, args), args);
    }

    /** The whole command tree with its streams, exit-code mapping and help layout. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        return configure(CommandTree.whole(), out, err);
    }

    /** The command tree {@code args} need (see {@link CommandTree}), set up as {@link #commandLine(PrintWriter, PrintWriter)}. */
    static CommandLine commandLine(PrintWriter out, PrintWriter err, String[] args) {
        return configure(CommandTree.forArgs(args), out, err);
    }

    private static CommandLine configure(CommandLine cl, PrintWriter out, PrintWriter err) {
        Failures failures = new Failures();
        cl.setOut(out);
        cl.setErr(err);
        cl.setUsageHelpWidth(HELP_WIDTH);
        cl.setUsageHelpAutoWidth(true);
        layOutHelp(cl);
        cl.setExecutionStrategy(failures);
        cl.setExecutionExceptionHandler(failures);
        cl.setParameterExceptionHandler(failures);
        cl.setExitCodeExceptionMapper(failures);
        return cl;
    }

    /** Executes {@code args}; whatever escapes picocli (it passes {@link Error}s through) is exit 4 in one line. */
    static int execute(CommandLine cl, String[] args) {
        int code;
        try {
            code = cl.execute(args);
        } catch (Throwable e) { // the top of the program: every failure becomes an exit code
            code = new Failures().report(cl.getErr(), e);
        }
        cl.getOut().flush();
        cl.getErr().flush();
        return code;
    }

    /** One help layout for every command: blank lines and headings between the sections. */
    private static void layOutHelp(CommandLine c) {
        c.getCommandSpec()
                .usageMessage()
                .descriptionHeading("%n")
                .parameterListHeading("%nParameters:%n")
                .optionListHeading("%nOptions:%n")
                .commandListHeading("%nCommands:%n");
        for (CommandLine sub : c.getSubcommands().values()) {
            layOutHelp(sub);
        }
    }

    /** Help is laid out for an 80-column terminal (wider terminals are used when picocli can tell). */
    static final int HELP_WIDTH = 80;

    @Override
    public Integer call() {
        throw new Failures.MissingCommand(spec.commandLine());
    }

    /** Version from the jar manifest, so it is never out of step with the build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"stockade " + (v == null ? "(development build)" : v)};
        }
    }
}
