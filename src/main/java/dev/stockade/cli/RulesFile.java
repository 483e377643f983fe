package dev.stockade.cli;

import dev.stockade.io.TextFiles;
import dev.stockade.iptables.BuiltinChains;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.ParsedRuleset;
import dev.stockade.iptables.Ruleset;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.nftables.NftRulesetReader;
import dev.stockade.nftables.NftablesToRulesets;
import dev.stockade.nftables.ParsedNftRuleset;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads one ruleset file for the fw commands, iptables-save or nftables (told apart by content):
 * warnings go to stderr, the filter table is required.
 */
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
        return read(path, how, table, err, null);
    }

    /**
     * Reads one file as {@link #read(Path, RulesReading, String, PrintWriter)}; an nftables file holds
     * both families, so it is read as the family given with -4/-6, else as {@code guess}, else IPv4.
     */
    static RulesFile read(Path path, RulesReading how, String table, PrintWriter err, IpFamily guess)
            throws InputException {
        String text = TextFiles.read(path, "IPT", 64L << 20);
        if (NftRulesetReader.looksLikeNftables(text)) {
            IpFamily family = how.forced() != null ? how.forced() : guess != null ? guess : IpFamily.V4;
            return nft(path, text, List.of(family), table, err).get(0);
        }
        return pick(path, iptables(path, text, how, err), table);
    }

    /**
     * Every table {@code table} one file gives: an iptables-save file one, an nftables ruleset
     * (JSON or text) one per family (only the family given with -4/-6, if any).
     */
    static List<RulesFile> readEach(Path path, RulesReading how, String table, PrintWriter err) throws InputException {
        String text = TextFiles.read(path, "IPT", 64L << 20);
        if (NftRulesetReader.looksLikeNftables(text)) {
            List<IpFamily> families = how.forced() != null ? List.of(how.forced()) : List.of(IpFamily.V4, IpFamily.V6);
            return nft(path, text, families, table, err);
        }
        return List.of(pick(path, iptables(path, text, how, err), table));
    }

    private static List<RulesFile> nft(Path path, String text, List<IpFamily> families, String table, PrintWriter err)
            throws InputException {
        ParsedNftRuleset parsed = NftRulesetReader.parse(path.toString(), text);
        Diagnostics.print(err, parsed.warnings());
        List<RulesFile> out = new ArrayList<>();
        for (IpFamily family : families) {
            NftablesToRulesets.Converted c = NftablesToRulesets.convert(path.toString(), parsed.ruleset(), family);
            if (family == families.get(0)) {
                Diagnostics.print(err, c.warnings());
            }
            out.add(pick(path, c.ruleset(), table));
        }
        return out;
    }

    /**
     * Parses iptables-save text as the given family (none: the family the file says), with the
     * given host names, printing its warnings.
     */
    private static Ruleset iptables(Path path, String text, RulesReading how, PrintWriter err) throws InputException {
        ParsedRuleset p = IptablesSaveParser.parse(path.toString(), text, how.forced(), how.hosts());
        Diagnostics.print(err, p.warnings());
        return p.ruleset();
    }

    /** Every file with {@code table}; the problems of all files are reported together. */
    static List<RulesFile> readAll(List<Path> paths, RulesReading how, String table, PrintWriter err)
            throws InputException {
        List<List<RulesFile>> each = Diagnostics.forEach(paths, p -> readEach(p, how, table, err));
        List<RulesFile> all = new ArrayList<>();
        each.forEach(all::addAll);
        return all;
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
