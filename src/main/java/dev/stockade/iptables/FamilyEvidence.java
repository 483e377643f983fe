package dev.stockade.iptables;

import dev.stockade.net.IpFamily;
import dev.stockade.report.SourceSpan;
import java.util.Objects;
import java.util.Optional;

/**
 * The address family a ruleset file was read as, and why: the first piece of evidence in the file
 * ({@code where} its line and column, {@code reason} what it is, e.g. "the ip6tables-save header"
 * or "-m icmp6"), the caller's choice ({@link #given}), or nothing at all ({@link #assumed}).
 */
public record FamilyEvidence(IpFamily family, String reason, Optional<SourceSpan> where) {

    static final String GIVEN = "given";
    static final String ASSUMED = "no address or IPv6-only match; assumed";

    public FamilyEvidence {
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(where, "where");
    }

    /** The family the caller asked for (e.g. the CLI's -4/-6). */
    public static FamilyEvidence given(IpFamily family) {
        return new FamilyEvidence(family, GIVEN, Optional.empty());
    }

    /** IPv4, for a file that says nothing about its family. */
    public static FamilyEvidence assumed() {
        return new FamilyEvidence(IpFamily.V4, ASSUMED, Optional.empty());
    }

    /** True when the caller chose the family rather than the file. */
    public boolean isGiven() {
        return reason.equals(GIVEN) && where.isEmpty();
    }

    /** E.g. "IPv6 (from the ip6tables-save header, line 1)", "IPv4 (given)". */
    public String describe() {
        return where.map(w -> family + " (from " + reason + ", line " + w.line() + ")")
                .orElse(family + " (" + reason + ")");
    }
}
