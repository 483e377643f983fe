package dev.stockade.analysis;

import dev.stockade.net.AddressFormatException;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An IP assignment: which source addresses may arrive on each interface, in the file format of the
 * Iptables_Semantics tool ({@code eth0 = [10.0.0.0/8, 192.0.2.1-192.0.2.9]} or
 * {@code eth1 = all_but_those_ips [ ... ]}, entries may span lines). Used by the fffuu-compatible
 * service matrix, which replaces {@code -i NAME} by the addresses assigned to NAME.
 */
public record Ipassmt(Map<String, Entry> entries) {

    /** Address ranges [lo, hi] (inclusive) as two-long pairs; {@code complement}: all but these. */
    public record Entry(boolean complement, List<Interval> ranges) {
        public Entry {
            ranges = List.copyOf(ranges);
        }
    }

    public Ipassmt {
        entries = Map.copyOf(entries);
    }

    /** Whether no address is assigned to two interfaces. */
    public boolean disjoint() {
        List<List<Interval>> per = new ArrayList<>();
        for (Entry e : entries.values()) {
            per.add(e.complement() ? complement(e.ranges()) : e.ranges());
        }
        for (int i = 0; i < per.size(); i++) {
            for (int j = i + 1; j < per.size(); j++) {
                for (Interval a : per.get(i)) {
                    for (Interval b : per.get(j)) {
                        if (a.from() <= b.to() && b.from() <= a.to()) {
                            return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    private static List<Interval> complement(List<Interval> ranges) {
        List<Interval> sorted = new ArrayList<>(ranges);
        sorted.sort((x, y) -> Long.compare(x.from(), y.from()));
        List<Interval> out = new ArrayList<>();
        long next = 0;
        for (Interval r : sorted) {
            if (r.from() > next) {
                out.add(new Interval(next, r.from() - 1));
            }
            next = Math.max(next, r.to() + 1);
        }
        if (next <= 0xFFFF_FFFFL) {
            out.add(new Interval(next, 0xFFFF_FFFFL));
        }
        return out;
    }

    /** What fffuu assumes without a file: only loopback is known. */
    public static Ipassmt loopbackOnly() {
        return new Ipassmt(Map.of("lo", new Entry(false, List.of(new Interval(0x7f000000L, 0x7fffffffL)))));
    }

    public static Ipassmt parse(String file, String text) throws InputException {
        Map<String, Entry> out = new LinkedHashMap<>();
        Map<String, Integer> firstLine = new java.util.HashMap<>();
        List<Diagnostic> problems = new ArrayList<>();
        int i = 0;
        int line = 1;
        int lineStart = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\n') {
                line++;
                lineStart = ++i;
                continue;
            }
            if (Character.isWhitespace(c)) {
                i++;
                continue;
            }
            if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
                continue;
            }
            int entryLine = line;
            int entryCol = i - lineStart + 1;
            int eq = text.indexOf('=', i);
            int open = text.indexOf('[', i);
            int close = open < 0 ? -1 : text.indexOf(']', open);
            if (eq < 0 || open < eq || close < 0) {
                problems.add(Diagnostic.error(
                        "IPASSMT-SYNTAX",
                        new SourceSpan(file, entryLine, entryCol),
                        "expected 'NAME = [addresses]' or 'NAME = all_but_those_ips [addresses]'",
                        "e.g. eth0 = [10.0.0.0/8, 192.0.2.1-192.0.2.9]"));
                break;
            }
            String name = text.substring(i, eq).trim();
            if (name.isEmpty()
                    || name.chars().anyMatch(ch -> Character.isWhitespace(ch) || Character.isISOControl(ch))) {
                problems.add(Diagnostic.error(
                        "IPASSMT-SYNTAX",
                        new SourceSpan(file, entryLine, entryCol),
                        "expected an interface name before '=', found " + quoted(name),
                        "write one entry per line: NAME = [addresses]"));
                break;
            }
            String kind = text.substring(eq + 1, open).trim();
            if (!kind.isEmpty() && !kind.equals("all_but_those_ips")) {
                problems.add(Diagnostic.error(
                        "IPASSMT-SYNTAX",
                        new SourceSpan(file, entryLine, entryCol),
                        "unknown keyword " + quoted(kind) + " before '['",
                        "only 'all_but_those_ips' may stand there"));
            }
            List<Interval> ranges = new ArrayList<>();
            int itemStart = open + 1;
            while (itemStart <= close) {
                int comma = text.indexOf(',', itemStart);
                int itemEnd = comma < 0 || comma > close ? close : comma;
                String t = text.substring(itemStart, itemEnd).trim();
                if (!t.isEmpty()) {
                    try {
                        ranges.add(range(t));
                    } catch (AddressFormatException e) {
                        int at = itemStart;
                        while (Character.isWhitespace(text.charAt(at))) {
                            at++;
                        }
                        problems.add(Diagnostic.error(
                                "IPASSMT-ADDRESS",
                                span(file, text, at),
                                "interface " + name + ": " + e.getMessage(),
                                "write IPv4 prefixes (a.b.c.d/n) or ranges (a.b.c.d-e.f.g.h, lower address first)"));
                    }
                }
                itemStart = itemEnd + 1;
            }
            Integer first = firstLine.putIfAbsent(name, entryLine);
            if (first != null) {
                problems.add(Diagnostic.error(
                        "IPASSMT-DUPLICATE",
                        new SourceSpan(file, entryLine, entryCol),
                        "interface " + name + " is assigned twice (first at line " + first + ")",
                        "give each interface one entry, with all its addresses in its list"));
            }
            out.put(name, new Entry(!kind.isEmpty(), ranges));
            for (int k = i; k < close; k++) {
                if (text.charAt(k) == '\n') {
                    line++;
                    lineStart = k + 1;
                }
            }
            i = close + 1;
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        return new Ipassmt(out);
    }

    /** Text from the file for a one-line message: quoted, control characters escaped, long text cut. */
    private static String quoted(String t) {
        StringBuilder b = new StringBuilder("'");
        for (int k = 0; k < t.length() && k < 60; k++) {
            char c = t.charAt(k);
            b.append(Character.isISOControl(c) ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c) : c);
        }
        return b.append(t.length() > 60 ? "...'" : "'").toString();
    }

    /** The line and column of {@code offset} in {@code text}. */
    private static SourceSpan span(String file, String text, int offset) {
        int line = 1;
        int lineStart = 0;
        for (int k = 0; k < offset; k++) {
            if (text.charAt(k) == '\n') {
                line++;
                lineStart = k + 1;
            }
        }
        return new SourceSpan(file, line, offset - lineStart + 1);
    }

    /** {@code a.b.c.d/n} (host bits may be set, as fffuu allows) or {@code a-b}. */
    private static Interval range(String t) {
        int dash = t.indexOf('-');
        if (dash > 0) {
            Prefix a = host(t.substring(0, dash));
            Prefix b = host(t.substring(dash + 1));
            if (a.lo() > b.lo()) {
                throw new AddressFormatException(quoted(t) + ": the range ends before it starts");
            }
            return new Interval(a.lo(), b.lo());
        }
        int slash = t.indexOf('/');
        Prefix a = host(slash < 0 ? t : t.substring(0, slash));
        String lenText = slash < 0 ? "32" : t.substring(slash + 1).trim();
        int len = lenText.matches("[0-9]{1,2}") ? Integer.parseInt(lenText) : -1;
        if (len < 0 || len > 32) {
            throw new AddressFormatException(quoted(t) + ": bad prefix length");
        }
        long mask = len == 0 ? 0 : (0xFFFF_FFFFL << (32 - len)) & 0xFFFF_FFFFL;
        long lo = a.lo() & mask;
        return new Interval(lo, lo | (~mask & 0xFFFF_FFFFL));
    }

    private static Prefix host(String t) {
        Prefix p;
        try {
            p = Prefix.parse(t.trim());
        } catch (IllegalArgumentException e) {
            p = null;
        }
        if (p == null || p.family() != IpFamily.V4 || !p.isHost()) {
            throw new AddressFormatException(quoted(t.trim()) + " is not an IPv4 address");
        }
        return p;
    }
}
