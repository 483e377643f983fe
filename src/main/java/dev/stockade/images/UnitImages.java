package dev.stockade.images;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The image references in a systemd unit: the image argument of {@code docker}, {@code podman}
 * or {@code nerdctl} {@code run}, {@code create} and {@code pull} on {@code Exec*=} lines (also
 * inside {@code sh -c "..."}), {@code docker://} images of {@code rkt run} and {@code rkt fetch},
 * and a Quadlet {@code .container}'s {@code Image=}.
 *
 * <p>Exec lines are split the way systemd splits them (continuation lines joined, single and double
 * quotes), keeping each character's offset in the unit. The image is the first argument after the
 * subcommand that is not an option or an option's value; which options take no value is known per
 * engine subcommand (the short and long boolean flags of docker and podman {@code run} and {@code
 * pull}); an unknown option without {@code =} is taken to take the next word, which is what all
 * value options of both engines do.
 */
final class UnitImages {

    private UnitImages() {}

    private static final Set<String> ENGINES = Set.of("docker", "podman", "nerdctl");
    private static final Set<String> SHELLS = Set.of("sh", "bash", "dash", "ash", "zsh");
    private static final Set<String> BOOLEAN_LONG = Set.of(
            "--detach",
            "--interactive",
            "--tty",
            "--rm",
            "--privileged",
            "--read-only",
            "--init",
            "--publish-all",
            "--no-healthcheck",
            "--oom-kill-disable",
            "--disable-content-trust",
            "--quiet",
            "--help",
            "--replace",
            "--rmi",
            "--no-hosts",
            "--read-only-tmpfs",
            "--env-host",
            "--http-proxy",
            "--rootfs",
            "--sig-proxy",
            "--tls-verify",
            "--all-tags",
            "--passwd");
    private static final String BOOLEAN_SHORT_RUN = "ditPq";
    private static final String BOOLEAN_SHORT_PULL = "aq";
    private static final int MAX_LINE = 1 << 16;
    private static final Pattern SEPARATOR = Pattern.compile("&&|\\|\\||;|\\||\\n");

    /** A word of a command line and the unit offset of each of its characters. */
    record Word(String text, int[] offsets) {
        int at(int index) {
            return index < offsets.length ? offsets[index] : offsets.length == 0 ? -1 : offsets[offsets.length - 1];
        }
    }

    static List<Hit> find(String unitName, String text) {
        List<Hit> out = new ArrayList<>();
        String section = "";
        int pos = 0;
        while (pos < text.length()) {
            int end = lineEnd(text, pos);
            String line = text.substring(pos, end).strip();
            if (line.startsWith("[") && line.endsWith("]")) {
                section = line.substring(1, line.length() - 1);
                pos = next(text, end);
                continue;
            }
            int eq = line.indexOf('=');
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";") || eq < 0) {
                pos = next(text, end);
                continue;
            }
            String key = line.substring(0, eq).strip();
            Line value = logicalLine(text, text.indexOf('=', pos) + 1, end);
            int lineEnd = value.end();
            String where = "unit " + unitName + " " + key;
            if (key.startsWith("Exec")) {
                command(words(value.text(), value.offsets()), where, out);
            } else if (key.equals("Image") && (section.equals("Container") || section.equals("Image"))) {
                List<Word> w = words(value.text(), value.offsets());
                if (w.size() == 1) {
                    image(w.get(0), where, out);
                }
            }
            pos = next(text, lineEnd);
        }
        return out;
    }

    /** A line with its continuation lines joined, each character with its offset, and where it ends. */
    private record Line(String text, int[] offsets, int end) {}

    /**
     * From {@code from} to the end of the line at {@code lineEnd}, joined with the lines a
     * trailing backslash continues onto (the backslash and line break become one space).
     */
    private static Line logicalLine(String text, int from, int lineEnd) {
        StringBuilder value = new StringBuilder();
        List<Integer> offsets = new ArrayList<>();
        int cursor = from;
        int end = lineEnd;
        while (true) {
            for (int i = cursor; i < end && value.length() < MAX_LINE; i++) {
                value.append(text.charAt(i));
                offsets.add(i);
            }
            int last = value.length() - 1;
            while (last >= 0 && Character.isWhitespace(value.charAt(last))) {
                last--;
            }
            if (last < 0 || value.charAt(last) != '\\' || end >= text.length()) {
                break;
            }
            value.setLength(last);
            offsets.subList(last, offsets.size()).clear();
            value.append(' ');
            offsets.add(end);
            cursor = next(text, end);
            end = lineEnd(text, cursor);
        }
        return new Line(
                value.toString(), offsets.stream().mapToInt(Integer::intValue).toArray(), end);
    }

    /**
     * The image references of a shell script: each command of each line ({@code &&}, {@code ||},
     * {@code ;} and pipes separate commands), read as an Exec line is; comments are skipped.
     */
    static List<Hit> script(String name, String text) {
        List<Hit> out = new ArrayList<>();
        int pos = 0;
        int lines = 0;
        while (pos < text.length() && lines++ < 1_000_000) {
            int end = lineEnd(text, pos);
            String line = text.substring(pos, end).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                pos = next(text, end);
                continue;
            }
            Line l = logicalLine(text, pos, end);
            commands(new Word(l.text(), l.offsets()), "script " + name, out);
            pos = next(text, l.end());
        }
        return out;
    }

    private static int lineEnd(String text, int from) {
        int nl = text.indexOf('\n', from);
        int end = nl < 0 ? text.length() : nl;
        return end > from && text.charAt(end - 1) == '\r' ? end - 1 : end;
    }

    private static int next(String text, int lineEnd) {
        int nl = text.indexOf('\n', lineEnd);
        return nl < 0 ? text.length() : nl + 1;
    }

    /** One command line's words: systemd's quoting (whole-word quotes, backslash escapes). */
    static List<Word> words(String line, int[] offsets) {
        List<Word> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(line.charAt(i))) {
                i++;
            }
            if (i >= n) {
                break;
            }
            StringBuilder w = new StringBuilder();
            List<Integer> at = new ArrayList<>();
            char quote = 0;
            while (i < n && (quote != 0 || !Character.isWhitespace(line.charAt(i)))) {
                char c = line.charAt(i);
                if (quote == 0 && (c == '"' || c == '\'')) {
                    quote = c;
                } else if (quote != 0 && c == quote) {
                    quote = 0;
                } else if (c == '\\' && i + 1 < n && quote != '\'') {
                    i++;
                    w.append(line.charAt(i));
                    at.add(offsets[i]);
                } else {
                    w.append(c);
                    at.add(offsets[i]);
                }
                i++;
            }
            out.add(new Word(
                    w.toString(), at.stream().mapToInt(Integer::intValue).toArray()));
        }
        return out;
    }

    private static void command(List<Word> words, String where, List<Hit> out) {
        if (words.isEmpty()) {
            return;
        }
        int first = 0;
        String program = words.get(0).text().replaceFirst("^[-@:+!|]+", "");
        if (program.equals("/usr/bin/env") || program.equals("env")) {
            first = 1;
            while (first < words.size() && words.get(first).text().contains("=")) {
                first++;
            }
            if (first >= words.size()) {
                return;
            }
            program = words.get(first).text();
        }
        String base = program.substring(program.lastIndexOf('/') + 1);
        if (SHELLS.contains(base)) {
            for (int i = first + 1; i + 1 < words.size(); i++) {
                if (words.get(i).text().equals("-c")) {
                    commands(words.get(i + 1), where, out);
                    return;
                }
            }
            return;
        }
        if (base.equals("rkt")) {
            boolean fetches = words.stream()
                    .skip(first + 1L)
                    .anyMatch(w -> w.text().equals("run")
                            || w.text().equals("fetch")
                            || w.text().equals("prepare"));
            if (fetches) {
                words.stream()
                        .skip(first + 1L)
                        .filter(w -> w.text().startsWith("docker://"))
                        .forEach(w -> image(w, where, out));
            }
            return;
        }
        if (!ENGINES.contains(base)) {
            return;
        }
        int i = first + 1;
        // global options before the subcommand
        while (i < words.size() && words.get(i).text().startsWith("-")) {
            i += words.get(i).text().contains("=") || i + 1 >= words.size() ? 1 : 2;
        }
        if (i < words.size()
                && (words.get(i).text().equals("container")
                        || words.get(i).text().equals("image"))) {
            i++;
        }
        if (i >= words.size()) {
            return;
        }
        String sub = words.get(i).text();
        String shortBooleans;
        if (sub.equals("run") || sub.equals("create")) {
            shortBooleans = BOOLEAN_SHORT_RUN;
        } else if (sub.equals("pull")) {
            shortBooleans = BOOLEAN_SHORT_PULL;
        } else {
            return;
        }
        for (i++; i < words.size(); i++) {
            String w = words.get(i).text();
            if (w.equals("--")) {
                i++;
                break;
            }
            if (!w.startsWith("-") || w.equals("-")) {
                break;
            }
            if (w.startsWith("--")) {
                if (!w.contains("=") && !BOOLEAN_LONG.contains(w.toLowerCase(Locale.ROOT))) {
                    i++;
                }
            } else if (w.length() == 2 && shortBooleans.indexOf(w.charAt(1)) < 0) {
                i++;
            }
            // -dit (all boolean) or -p8080:80 (value attached): one word
        }
        if (i < words.size()) {
            image(words.get(i), where, out);
        }
    }

    /** Each command of a shell command line, split at {@code && || ; |} and line breaks. */
    private static void commands(Word script, String where, List<Hit> out) {
        Matcher separator = SEPARATOR.matcher(script.text());
        int start = 0;
        while (true) {
            boolean more = separator.find();
            int end = more ? separator.start() : script.text().length();
            command(
                    words(script.text().substring(start, end), slice(script.offsets(), start, end - start)),
                    where,
                    out);
            if (!more) {
                return;
            }
            start = separator.end();
        }
    }

    private static int[] slice(int[] offsets, int start, int length) {
        int[] out = new int[length];
        System.arraycopy(offsets, start, out, 0, length);
        return out;
    }

    private static void image(Word w, String where, List<Hit> out) {
        String text = w.text();
        int skip = 0;
        if (text.startsWith("docker://")) {
            skip = "docker://".length();
        }
        if (text.length() > skip) {
            out.add(new Hit(text.substring(skip), w.at(skip), where));
        }
    }
}
