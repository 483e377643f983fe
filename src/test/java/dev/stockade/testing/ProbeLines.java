package dev.stockade.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the helper script's result lines, e.g. {@code {"i":3,"reached":true,"detail":"connected","ms":2}}.
 * The script controls the format (fixed key order, details are plain words), so a regex is enough and no
 * JSON library is needed.
 */
final class ProbeLines {

    private static final Pattern LINE =
            Pattern.compile("\\{\"i\":(\\d+),\"reached\":(true|false),\"detail\":\"([a-z0-9-]*)\",\"ms\":(-?\\d+)}");

    private ProbeLines() {}

    /**
     * Matches every result line in {@code stdout} to its probe.
     *
     * @throws AssertionError when a probe has no result line, or a harness problem was reported
     */
    static List<ProbeResult> parse(List<Probe> probes, String stdout, String context) {
        ProbeResult[] results = new ProbeResult[probes.size()];
        for (String line : stdout.split("\n")) {
            Matcher m = LINE.matcher(line.strip());
            if (m.matches()) {
                int index = Integer.parseInt(m.group(1));
                if (index < results.length) {
                    results[index] = new ProbeResult(probes.get(index), Boolean.parseBoolean(m.group(2)), m.group(3));
                }
            }
        }
        List<ProbeResult> list = new ArrayList<>(results.length);
        for (int i = 0; i < results.length; i++) {
            list.add(checked(probes.get(i), results[i], context));
        }
        return List.copyOf(list);
    }

    private static ProbeResult checked(Probe probe, ProbeResult result, String context) {
        if (result == null) {
            throw new AssertionError("no result for probe " + probe + "\n" + context);
        }
        if (result.detail().startsWith("bind-error") || result.detail().startsWith("harness")) {
            throw new AssertionError("probe could not run (is " + probe.src() + " an address of the probing host?): "
                    + result + "\n" + context);
        }
        return result;
    }
}
