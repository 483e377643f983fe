package dev.stockade.provision;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

/**
 * A systemd unit or drop-in file read as systemd reads it: {@code [Section]} headers and
 * {@code Key=Value} assignments in order. For list settings ({@code ListenStream=},
 * {@code ExecStartPre=}, {@code Environment=}...) an empty assignment clears what came before, which
 * is how a drop-in replaces a shipped unit's value instead of adding to it.
 */
record UnitText(List<Assignment> assignments) {

    record Assignment(String section, String key, String value) {}

    static UnitText parse(String text) {
        List<Assignment> out = new ArrayList<>();
        String section = null;
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            assertTrue(!line.endsWith("\\"), "line continuations are not expected: " + line);
            if (line.startsWith("[")) {
                assertTrue(line.endsWith("]"), "bad section header " + line);
                section = line.substring(1, line.length() - 1);
                continue;
            }
            int eq = line.indexOf('=');
            assertTrue(eq > 0, "not an assignment: " + line);
            assertTrue(section != null, "assignment before any section: " + line);
            out.add(new Assignment(
                    section,
                    line.substring(0, eq).strip(),
                    line.substring(eq + 1).strip()));
        }
        return new UnitText(out);
    }

    /** The effective list of {@code key} in {@code section}, starting from {@code base} (the shipped unit's values). */
    List<String> list(String section, String key, List<String> base) {
        List<String> values = new ArrayList<>(base);
        for (Assignment a : assignments) {
            if (a.section().equals(section) && a.key().equals(key)) {
                if (a.value().isEmpty()) {
                    values.clear();
                } else {
                    values.add(a.value());
                }
            }
        }
        return values;
    }

    List<String> list(String section, String key) {
        return list(section, key, List.of());
    }

    /** The last value of a single-valued setting, or null when it is not set. */
    String value(String section, String key) {
        List<String> all = list(section, key);
        return all.isEmpty() ? null : all.get(all.size() - 1);
    }

    List<String> sections() {
        return assignments.stream().map(Assignment::section).distinct().toList();
    }
}
