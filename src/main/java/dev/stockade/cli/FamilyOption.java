package dev.stockade.cli;

import dev.stockade.net.IpFamily;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code -4}, {@code -6} or {@code --family FAMILY}: the family every ruleset file is read as,
 * overriding what the file says (its header, its addresses). Without one, each file says.
 */
final class FamilyOption {

    enum Family {
        ipv4,
        ipv6
    }

    @Spec(Spec.Target.MIXEE)
    CommandSpec mixee;

    private IpFamily forced;
    private String givenAs;

    @Option(names = "-4", description = "Read the files as IPv4 rulesets (iptables-save), whatever they say.")
    void ipv4(boolean on) {
        if (on) {
            force(IpFamily.V4, "-4");
        }
    }

    @Option(names = "-6", description = "Read the files as IPv6 rulesets (ip6tables-save), whatever they say.")
    void ipv6(boolean on) {
        if (on) {
            force(IpFamily.V6, "-6");
        }
    }

    @Option(names = "--family", paramLabel = "FAMILY", description = "The same as -4 or -6: ${COMPLETION-CANDIDATES}.")
    void family(Family family) {
        force(family == Family.ipv4 ? IpFamily.V4 : IpFamily.V6, "--family " + family);
    }

    private void force(IpFamily family, String option) {
        if (forced != null && forced != family) {
            throw new ParameterException(mixee.commandLine(), option + " contradicts " + givenAs + "; give one family");
        }
        forced = family;
        givenAs = option;
    }

    /** The family given on the command line, or null when each file decides its own. */
    IpFamily forced() {
        return forced;
    }
}
