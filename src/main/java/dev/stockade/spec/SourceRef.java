package dev.stockade.spec;

import dev.stockade.net.Prefix;
import dev.stockade.report.SourceSpan;
import java.util.Optional;

/**
 * One entry of a {@code from:} list as written: {@code any}, {@code cluster}, the name of a
 * {@code sources:} group, or an address/CIDR ({@code prefix} is then present).
 */
public record SourceRef(String text, Optional<Prefix> prefix, SourceSpan span) {

    public static final String ANY = "any";
    public static final String CLUSTER = "cluster";

    public boolean isAny() {
        return prefix.isEmpty() && ANY.equals(text);
    }

    public boolean isCluster() {
        return prefix.isEmpty() && CLUSTER.equals(text);
    }

    /** A reference to a named group in {@code sources:}. */
    public boolean isGroup() {
        return prefix.isEmpty() && !isAny() && !isCluster();
    }

    @Override
    public String toString() {
        return text;
    }
}
