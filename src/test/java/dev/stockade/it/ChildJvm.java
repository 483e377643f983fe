package dev.stockade.it;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The integration tests that launch the packaged CLI as its own {@code java} process pass it the
 * coverage agent the build hands them (system property {@code stockade.it.javaagent}, set by the
 * failsafe configuration in pom.xml), so code run only in those processes counts in the coverage
 * report. Without the property (coverage skipped, or a test run from an IDE) the command is unchanged.
 */
final class ChildJvm {

    static final String AGENT_PROPERTY = "stockade.it.javaagent";

    private ChildJvm() {}

    /**
     * Adds the agent after the {@code java} (by name, or a path ending in {@code /bin/java}) of a
     * command that starts with it, optionally behind
     * {@code env} and its {@code NAME=value} assignments. Other commands (a JVM started through
     * {@code setpriv} runs as a user that cannot write the coverage file) are left as they are.
     */
    static String[] withCoverageAgent(String[] argv, String agent) {
        if (agent == null || agent.isBlank()) {
            return argv;
        }
        int i = 0;
        if (argv.length > 0 && argv[0].equals("env")) {
            i = 1;
            while (i < argv.length && argv[i].contains("=")) {
                i++;
            }
        }
        if (i >= argv.length || !(argv[i].equals("java") || argv[i].endsWith("/bin/java"))) {
            return argv;
        }
        List<String> out = new ArrayList<>(Arrays.asList(argv).subList(0, i + 1));
        out.add(agent.strip());
        out.addAll(Arrays.asList(argv).subList(i + 1, argv.length));
        return out.toArray(String[]::new);
    }

    static String[] withCoverageAgent(String[] argv) {
        return withCoverageAgent(argv, System.getProperty(AGENT_PROPERTY));
    }
}
