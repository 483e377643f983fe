package dev.stockade.cli;

import dev.stockade.net.IpFamily;
import dev.stockade.report.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * The ruleset files a fw command reads ({@code FILE...}) and the family to read them as
 * ({@code -4}/{@code -6}/{@code --family}). Problems of every file are reported together.
 */
final class RulesInput {

    @Parameters(
            arity = "1..*",
            paramLabel = "FILE",
            description = "A ruleset: iptables-save or ip6tables-save output, iptables-restore input, or an"
                    + " nftables ruleset (nft list ruleset, nft -j list ruleset, an nft -f file), which is"
                    + " read once per family unless -4/-6 picks one.")
    List<Path> files;

    @Mixin
    RulesReading reading;

    /** The family given with -4/-6/--family, or null when each file says. */
    IpFamily forced() {
        return reading.forced();
    }

    /** Every file with {@code table}, in the order given. */
    List<RulesFile> read(String table, PrintWriter err) throws InputException {
        return RulesFile.readAll(files, reading, table, err);
    }
}
