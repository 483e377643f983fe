package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.report.InputException;
import java.util.List;

/**
 * What changing one filter table into another does to a builtin chain: the new connections it
 * newly accepts ({@code opened}) and newly refuses ({@code closed}), each as exposure entries, and
 * whether anything at all changed (for any packet, not only new connections). Both tables are
 * encoded in one packet space, so the comparison is exact; with unmodelled conditions, {@code
 * opened} holds what is certainly opened and its conditional part what may be.
 */
public record RulesetDiff(IpFamily family, String chain, boolean identical, Exposure opened, Exposure closed) {

    public static RulesetDiff of(IpFamily family, Table before, Table after, String chain) throws InputException {
        FilterAnalysis a =
                FilterAnalysis.of(family, List.of(before, after), List.of(), FilterAnalysis.Approximation.EXACT, null);
        Bdd bdd = a.bdd();
        int oldLow = a.lower(0, chain);
        int oldUp = a.upper(0, chain);
        int newLow = a.lower(1, chain);
        int newUp = a.upper(1, chain);
        boolean identical = oldLow == newLow && oldUp == newUp;
        int openedSure = bdd.diff(newLow, oldUp);
        int openedMaybe = bdd.or(openedSure, bdd.diff(newUp, oldLow));
        int closedSure = bdd.diff(oldLow, newUp);
        int closedMaybe = bdd.or(closedSure, bdd.diff(oldUp, newLow));
        return new RulesetDiff(
                family,
                chain,
                identical,
                Exposure.of(a, chain, openedSure, openedMaybe, false),
                Exposure.of(a, chain, closedSure, closedMaybe, false));
    }
}
