package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ChildJvmTest {

    private static final String AGENT = "-javaagent:/m2/agent.jar=destfile=/t/children.exec";

    @Test
    void withCoverageAgent_javaCommand_agentRightAfterJava() {
        assertArrayEquals(
                new String[] {"java", AGENT, "-jar", "s.jar", "build"},
                ChildJvm.withCoverageAgent(new String[] {"java", "-jar", "s.jar", "build"}, AGENT));
    }

    @Test
    void withCoverageAgent_javaByItsPath_agentRightAfterIt() {
        assertArrayEquals(
                new String[] {"/usr/lib/jvm/x/bin/java", AGENT, "-cp", "c", "dev.stockade.cli.Main"},
                ChildJvm.withCoverageAgent(
                        new String[] {"/usr/lib/jvm/x/bin/java", "-cp", "c", "dev.stockade.cli.Main"}, AGENT));
    }

    @Test
    void withCoverageAgent_behindEnvAssignments_agentAfterJava() {
        assertArrayEquals(
                new String[] {"env", "A=1", "B=2", "java", AGENT, "-jar", "s.jar"},
                ChildJvm.withCoverageAgent(new String[] {"env", "A=1", "B=2", "java", "-jar", "s.jar"}, AGENT));
    }

    @Test
    void withCoverageAgent_otherCommandsOrNoAgent_unchanged() {
        String[] setpriv = {"setpriv", "--reuid=65534", "java", "-jar", "s.jar"};
        assertArrayEquals(setpriv, ChildJvm.withCoverageAgent(setpriv, AGENT));
        String[] ip = {"ip", "netns", "add", "x"};
        assertArrayEquals(ip, ChildJvm.withCoverageAgent(ip, AGENT));
        String[] envOnly = {"env", "A=1"};
        assertArrayEquals(envOnly, ChildJvm.withCoverageAgent(envOnly, AGENT));
        String[] java = {"java", "-jar", "s.jar"};
        assertArrayEquals(java, ChildJvm.withCoverageAgent(java, ""));
        assertArrayEquals(java, ChildJvm.withCoverageAgent(java, null));
    }
}
