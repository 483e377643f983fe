package dev.stockade.net;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Host names and their addresses, read from text in the hosts(5) format: per line an address, a
 * canonical name and any aliases, separated by blanks; {@code #} starts a comment. A name may have
 * addresses of both families and may appear on several lines (its addresses are then merged, in
 * file order, as the resolver's files backend does). Names are case-insensitive. Malformed lines
 * are located errors, all reported together.
 */
public final class HostsFile {

    private static final HostsFile EMPTY = new HostsFile(Map.of());
    private static final String FORMAT_HINT =
            "a hosts line is 'ADDRESS NAME [ALIAS...]', e.g. '192.0.2.10 ntp.example.net'";

    private final Map<String, List<Prefix>> addresses;

    private HostsFile(Map<String, List<Prefix>> addresses) {
        this.addresses = addresses;
    }

    /** A hosts file that names nothing. */
    public static HostsFile empty() {
        return EMPTY;
    }

    /** Reads hosts(5) text; {@code file} names it in diagnostics. */
    public static HostsFile parse(String file, String text) throws InputException {
        Map<String, List<Prefix>> names = new LinkedHashMap<>();
        List<Diagnostic> problems = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            line(file, i + 1, lines[i], names, problems);
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        Map<String, List<Prefix>> frozen = new LinkedHashMap<>();
        names.forEach((k, v) -> frozen.put(k, List.copyOf(v)));
        return new HostsFile(Map.copyOf(frozen));
    }

    private static void line(
            String file, int number, String raw, Map<String, List<Prefix>> names, List<Diagnostic> problems) {
        int hash = raw.indexOf('#');
        String text = hash >= 0 ? raw.substring(0, hash) : raw;
        List<int[]> words = words(text);
        if (words.isEmpty()) {
            return;
        }
        int[] first = words.get(0);
        String addressText = text.substring(first[0], first[1]);
        Prefix address;
        try {
            address = Prefix.parse(addressText);
        } catch (AddressFormatException e) {
            problems.add(error(file, number, first[0], e.getMessage(), FORMAT_HINT));
            return;
        }
        if (!address.isHost()) {
            problems.add(
                    error(file, number, first[0], "'" + addressText + "' is a prefix, not one address", FORMAT_HINT));
            return;
        }
        if (words.size() < 2) {
            problems.add(error(file, number, first[0], "the address has no host name", FORMAT_HINT));
            return;
        }
        for (int[] w : words.subList(1, words.size())) {
            String name = text.substring(w[0], w[1]);
            if (!isHostName(name)) {
                problems.add(error(
                        file,
                        number,
                        w[0],
                        "'" + name + "' is not a host name",
                        "names are letters, digits, '-', '_' and dots, and end in a label that is not all digits"));
                continue;
            }
            List<Prefix> list = names.computeIfAbsent(key(name), k -> new ArrayList<>());
            if (!list.contains(address)) {
                list.add(address);
            }
        }
    }

    /** {start, end} of each blank-separated word. */
    private static List<int[]> words(String text) {
        List<int[]> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && isBlank(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !isBlank(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(new int[] {start, i});
            }
        }
        return out;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\u000b';
    }

    private static Diagnostic error(String file, int line, int index, String message, String hint) {
        return Diagnostic.error("HOSTS-SYNTAX", new SourceSpan(file, line, index + 1), message, hint);
    }

    private static String key(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }

    /** Every address of {@code name}, both families, in file order; empty when the file does not name it. */
    public List<Prefix> addresses(String name) {
        return addresses.getOrDefault(key(name), List.of());
    }

    /** The addresses of {@code name} of one family. */
    public List<Prefix> addresses(String name, IpFamily family) {
        return addresses(name).stream().filter(p -> p.family() == family).toList();
    }

    /** How many names the file gives addresses for. */
    public int size() {
        return addresses.size();
    }

    /**
     * True for a DNS host name: dot-separated labels of 1-63 letters, digits, '-' or '_' (not
     * starting with '-'), at most 253 characters, an optional final dot, and a last label that is
     * not all digits (so {@code 10.0.0.300} is a bad address, not a name).
     */
    public static boolean isHostName(String text) {
        String t = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
        if (t.isEmpty() || t.length() > 253) {
            return false;
        }
        int labelStart = 0;
        boolean lastAllDigits = true;
        for (int i = 0; i <= t.length(); i++) {
            if (i == t.length() || t.charAt(i) == '.') {
                int len = i - labelStart;
                if (len < 1 || len > 63 || t.charAt(labelStart) == '-') {
                    return false;
                }
                labelStart = i + 1;
                continue;
            }
            char c = t.charAt(i);
            boolean digit = c >= '0' && c <= '9';
            boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
            if (!digit && !letter && c != '-' && c != '_') {
                return false;
            }
            if (i == labelStart) {
                lastAllDigits = true;
            }
            lastAllDigits &= digit;
        }
        return !lastAllDigits;
    }
}
