package dev.stockade.validate;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A systemd unit or drop-in, read the way systemd and Ignition's validator (go-systemd's unit
 * deserialiser) read it: {@code [Section]} headers, {@code Name=value} options, {@code #} and
 * {@code ;} comments, values continued with a trailing backslash. Text before the first section is
 * ignored, as systemd ignores it.
 *
 * @param options every option, in order
 */
record UnitFile(List<Option> options) {

    /** One {@code Name=value} and the 1-based line it starts on. */
    record Option(String section, String name, String value, int line) {}

    /** Why the text is not a unit, and the 1-based line. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;

        Malformed(String message, int line) {
            super(message);
            this.line = line;
        }
    }

    /** The unit types systemd knows, by file name suffix. */
    static final Set<String> SUFFIXES = Set.of(
            "service",
            "socket",
            "device",
            "mount",
            "automount",
            "swap",
            "target",
            "path",
            "timer",
            "snapshot",
            "slice",
            "scope");

    /** Whether {@code name} ends in a unit type suffix ({@code extra}: more suffixes that count here). */
    static boolean hasUnitSuffix(String name, Set<String> extra) {
        int dot = name.lastIndexOf('.');
        return dot >= 0 && (SUFFIXES.contains(name.substring(dot + 1)) || extra.contains(name.substring(dot + 1)));
    }

    /** The longest line systemd reads (bytes). */
    static final int MAX_LINE = 2048;

    boolean hasSection(String section) {
        return options.stream().anyMatch(o -> o.section().equals(section));
    }

    List<Option> options(String section, String name) {
        return options.stream()
                .filter(o -> o.section().equals(section) && o.name().equals(name))
                .toList();
    }

    static UnitFile parse(String text) throws Malformed {
        String[] lines = text.split("\r?\n", -1);
        List<Option> options = new ArrayList<>();
        String section = null;
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            if (line.length() >= MAX_LINE) {
                throw new Malformed("line too long (max " + MAX_LINE + " bytes)", i + 1);
            }
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#") || t.startsWith(";")) {
                continue;
            }
            if (t.startsWith("[")) {
                int end = t.indexOf(']');
                if (end < 0) {
                    throw new Malformed("unable to find the end of the section name", i + 1);
                }
                if (!t.substring(end + 1).isBlank()) {
                    throw new Malformed(
                            "text after the section name: \""
                                    + t.substring(end + 1).strip() + "\"",
                            i + 1);
                }
                section = t.substring(1, end);
                continue;
            }
            if (section == null) {
                continue;
            }
            int eq = t.indexOf('=');
            if (eq < 0) {
                throw new Malformed("'" + t + "' is not Name=value", i + 1);
            }
            int start = i;
            StringBuilder value = new StringBuilder(t.substring(eq + 1));
            while (value.length() > 0
                    && value.charAt(value.length() - 1) == '\\'
                    && i + 1 < lines.length
                    && !lines[i + 1].isBlank()) {
                value.setLength(value.length() - 1);
                value.append('\n').append(lines[++i].strip());
            }
            options.add(new Option(
                    section, t.substring(0, eq).strip(), value.toString().strip(), start + 1));
        }
        return new UnitFile(options);
    }
}
