package dev.stockade.cli;

import dev.stockade.io.TextFiles;
import dev.stockade.iptables.BuiltinChains;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.ParsedRuleset;
import dev.stockade.iptables.Ruleset;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/** Reads one iptables-save file for the fw commands: warnings go to stderr, the filter table is required. */
final class RulesFile {

    final Path path;
    final Ruleset ruleset;
    final Table filter;

    private RulesFile(Path path, Ruleset ruleset, Table filter) {
        this.path = path;
        this.ruleset = ruleset;
        this.filter = filter;
    }

    static RulesFile read(Path path, RulesReading how, PrintWriter err) throws InputException {
        return read(path, how, "filter", err);
    }

    /** Reads the file and picks {@code table} (the field keeps the name {@code filter}). */
    static RulesFile read(Path path, RulesReading how, String table, PrintWriter err) throws InputException {
        return pick(path, parse(path, how, err), table);
    }

    /**
     * Parses the file as the given family (none: the family the file says), with the given host
     * names, printing its warnings.
     */
    static Ruleset parse(Path path, RulesReading how, PrintWriter err) throws InputException {
        ParsedRuleset p = IptablesSaveParser.parse(
                path.toString(), TextFiles.read(path, "IPT", 64L << 20), how.forced(), how.hosts());
        Diagnostics.print(err, p.warnings());
        return p.ruleset();
    }

    /** Every file with {@code table}; the problems of all files are reported together. */
    static List<RulesFile> readAll(List<Path> paths, RulesReading how, String table, PrintWriter err)
            throws InputException {
        return Diagnostics.forEach(paths, p -> read(p, how, table, err));
    }

    private static RulesFile pick(Path path, Ruleset ruleset, String table) throws InputException {
        Table t = ruleset.table(table)
                .orElseThrow(() -> new InputException(Diagnostic.error(
                        "FW-NO-TABLE",
                        SourceSpan.ofFile(path.toString()),
                        "no *" + table + " table in this file",
                        "give iptables-save (or ip6tables-save) output that includes the " + table + " table")));
        return new RulesFile(path, ruleset, t);
    }

    IpFamily family() {
        return ruleset.family();
    }

    /** Fails with a located error when {@code chain} is not a builtin chain of the table. */
    void requireBuiltin(String chain) throws InputException {
        // a builtin chain the file does not declare exists in the kernel all the same (policy ACCEPT, no rules)
        boolean standard = BuiltinChains.isBuiltin(filter.name(), chain)
                && filter.chain(chain).isEmpty();
        if (!standard && filter.chain(chain).filter(c -> c.isBuiltin()).isEmpty()) {
            throw new InputException(Diagnostic.error(
                    "FW-NO-CHAIN",
                    SourceSpan.ofFile(path.toString()),
                    "the " + filter.name() + " table has no builtin chain '" + chain + "'",
                    "choose a builtin chain with --chain ("
                            + filter.name() + ": "
                            + String.join(", ", BuiltinChains.of(filter.name())) + ")"));
        }
    }
}
