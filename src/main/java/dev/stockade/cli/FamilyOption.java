package dev.stockade.cli;

import dev.stockade.net.IpFamily;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * {@code -4}, {@code -6} or {@code --family FAMILY}: the family every ruleset file is read as,
 * overriding what the file says (its header, its addresses). Without one, each file says.
 */
final class FamilyOption {

    enum Family {
        ipv4,
        ipv6
    }

    static final class Choice {
        @Option(
                names = "-4",
                required = true,
                description = "Read the files as IPv4 rulesets (iptables-save), whatever they say.")
        boolean ipv4;

        @Option(
                names = "-6",
                required = true,
                description = "Read the files as IPv6 rulesets (ip6tables-save), whatever they say.")
        boolean ipv6;

        @Option(
                names = "--family",
                required = true,
                paramLabel = "FAMILY",
                description = "The same as -4 or -6: ${COMPLETION-CANDIDATES}.")
        Family family;
    }

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Choice choice;

    /** The family given on the command line, or null when each file decides its own. */
    IpFamily forced() {
        if (choice == null) {
            return null;
        }
        if (choice.ipv4 || choice.family == Family.ipv4) {
            return IpFamily.V4;
        }
        return IpFamily.V6;
    }
}
