package dev.stockade.cli;

import dev.stockade.io.TextFiles;
import dev.stockade.net.HostsFile;
import dev.stockade.net.IpFamily;
import dev.stockade.report.InputException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How the fw commands read ruleset files: the family ({@code -4}/{@code -6}/{@code --family}) and
 * the addresses of host names the rules use ({@code --hosts FILE}, in hosts(5) format).
 */
final class RulesReading {

    @Mixin
    FamilyOption family;

    @Option(
            names = "--hosts",
            paramLabel = "FILE",
            description = "Addresses for host names in -s/-d, in hosts(5) format; without it such rules are"
                    + " named as unmodelled conditions.")
    Path hostsFile;

    private HostsFile hosts;

    /** The family given on the command line, or null when each file says. */
    IpFamily forced() {
        return family.forced();
    }

    /** The host names given with --hosts (read once), or none. */
    HostsFile hosts() throws InputException {
        if (hosts == null) {
            hosts = hostsFile == null
                    ? HostsFile.empty()
                    : HostsFile.parse(hostsFile.toString(), TextFiles.read(hostsFile, "HOSTS", 16L << 20));
        }
        return hosts;
    }
}
