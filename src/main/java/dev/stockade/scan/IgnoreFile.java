package dev.stockade.scan;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import dev.stockade.report.Suggestions;
import java.io.StringReader;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads an ignore file for {@code images gate --ignore}: YAML, one top-level key {@code ignore}
 * holding a list of entries, each with {@code id}, {@code expires} (a date, {@code YYYY-MM-DD}) and
 * {@code reason}, all three required, and optionally {@code package} and {@code image}:
 *
 * <pre>
 * ignore:
 *   - id: CVE-2023-5363
 *     expires: 2027-01-31
 *     reason: the service never uses the affected cipher modes
 *     package: openssl
 *     image: registry.example.com/app
 * </pre>
 *
 * <p>The YAML is composed into nodes (keeping line and column) and read as the text written, never
 * through YAML 1.1 type resolution. Every problem of every entry is collected, located, and thrown
 * together: YAML syntax and the file's shape are {@code GATE-IGNORE-SYNTAX}, an entry's missing,
 * unknown, repeated or malformed keys, and a second entry for the same vulnerability, package and
 * image, {@code GATE-IGNORE-ENTRY}.
 */
public final class IgnoreFile {

    static final List<String> KEYS = List.of("id", "expires", "reason", "package", "image");
    private static final String SHAPE_HINT = "write 'ignore:' and below it one '- id: ...' entry per vulnerability,"
            + " each with expires: YYYY-MM-DD and reason: ...";
    private static final int MAX_DEPTH = 16;

    private final String file;
    private final List<Diagnostic> problems = new ArrayList<>();

    private IgnoreFile(String file) {
        this.file = file;
    }

    /** The entries of the ignore file {@code text}, in file order; {@code file} is the name messages use. */
    public static List<IgnoreEntry> parse(String file, String text) throws InputException {
        return new IgnoreFile(file).read(text);
    }

    private List<IgnoreEntry> read(String text) throws InputException {
        Node root = compose(text);
        if (root == null || isNull(root)) {
            return List.of(); // nothing but comments: no entry
        }
        Map<String, Node> top = mapping(root, "the ignore file", List.of("ignore"), "GATE-IGNORE-SYNTAX");
        List<IgnoreEntry> entries = new ArrayList<>();
        Node list = top.get("ignore");
        if (list == null) {
            if (problems.isEmpty()) {
                error(root, "GATE-IGNORE-SYNTAX", "the ignore file needs 'ignore:'", SHAPE_HINT);
            }
        } else if (list instanceof SequenceNode s) {
            for (Node item : s.getValue()) {
                entry(item).ifPresent(entries::add);
            }
        } else if (!isNull(list)) {
            error(list, "GATE-IGNORE-SYNTAX", "'ignore' must be a list of entries", SHAPE_HINT);
        }
        duplicates(entries);
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        return entries;
    }

    /** Two entries for the same vulnerability, package and image: the second could never apply. */
    private void duplicates(List<IgnoreEntry> entries) {
        Map<List<Object>, IgnoreEntry> seen = new LinkedHashMap<>();
        for (IgnoreEntry e : entries) {
            IgnoreEntry first = seen.putIfAbsent(List.of(e.id(), e.packageName(), e.image()), e);
            if (first != null) {
                problems.add(Diagnostic.error(
                        "GATE-IGNORE-ENTRY",
                        e.span(),
                        Diagnostic.oneLine("a second entry for " + e.id() + " with the same package and image as the"
                                + " entry at " + first.span()),
                        "keep one entry, with the later expiry date if that is what you mean"));
            }
        }
    }

    private Optional<IgnoreEntry> entry(Node node) {
        int before = problems.size();
        Map<String, Node> m = mapping(node, "an ignore entry", KEYS, "GATE-IGNORE-ENTRY");
        if (problems.size() > before && !(node instanceof MappingNode)) {
            return Optional.empty();
        }
        Optional<String> id =
                required(node, m, "id", "the vulnerability id as the report names it, e.g. CVE-2023-5363");
        Optional<String> expiresText = required(node, m, "expires", "the last day it applies, e.g. 2027-01-31");
        Optional<String> reason = required(node, m, "reason", "why it is safe to accept for now");
        Optional<LocalDate> expires = expiresText.flatMap(t -> {
            try {
                return Optional.of(LocalDate.parse(t));
            } catch (DateTimeParseException e) {
                error(
                        m.get("expires"),
                        "GATE-IGNORE-ENTRY",
                        "'" + t + "' is not a date",
                        "write it as YYYY-MM-DD, e.g. 2027-01-31");
                return Optional.empty();
            }
        });
        Optional<String> pkg = optional(m, "package");
        Optional<String> image = optional(m, "image");
        if (problems.size() > before) {
            return Optional.empty();
        }
        return Optional.of(new IgnoreEntry(id.get(), expires.get(), reason.get(), pkg, image, span(node)));
    }

    private Optional<String> required(Node entry, Map<String, Node> m, String key, String what) {
        Node v = m.get(key);
        if (v == null || isNull(v)) {
            error(entry, "GATE-IGNORE-ENTRY", "this entry needs '" + key + "'", "add '" + key + ": ...': " + what);
            return Optional.empty();
        }
        Optional<String> text = scalar(v, key);
        if (text.isPresent() && text.get().isBlank()) {
            error(v, "GATE-IGNORE-ENTRY", "'" + key + "' is empty", "give " + what);
            return Optional.empty();
        }
        return text;
    }

    private Optional<String> optional(Map<String, Node> m, String key) {
        Node v = m.get(key);
        if (v == null || isNull(v)) {
            return Optional.empty();
        }
        return scalar(v, key).filter(t -> !t.isBlank());
    }

    private Optional<String> scalar(Node v, String key) {
        if (v instanceof ScalarNode s) {
            return Optional.of(s.getValue().strip());
        }
        error(v, "GATE-IGNORE-ENTRY", "'" + key + "' must be a single value, not a " + kind(v), "");
        return Optional.empty();
    }

    private Map<String, Node> mapping(Node node, String what, List<String> known, String code) {
        Map<String, Node> entries = new LinkedHashMap<>();
        if (!(node instanceof MappingNode)) {
            error(node, code, what + " must be a mapping (key: value), not a " + kind(node), SHAPE_HINT);
            return entries;
        }
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            Node keyNode = t.getKeyNode();
            String key = keyNode instanceof ScalarNode s ? s.getValue() : "";
            if (!known.contains(key)) {
                error(
                        keyNode,
                        code,
                        "unknown key '" + key + "' in " + what,
                        Suggestions.hint(key, known, "known keys: " + String.join(", ", known)));
            } else if (entries.containsKey(key)) {
                error(keyNode, code, "'" + key + "' appears twice in " + what, "keep one");
            } else {
                entries.put(key, t.getValueNode());
            }
        }
        return entries;
    }

    private Node compose(String text) throws InputException {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10);
        options.setAllowRecursiveKeys(false);
        options.setNestingDepthLimit(MAX_DEPTH);
        try {
            return new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            SourceSpan at =
                    m == null ? SourceSpan.ofFile(file) : new SourceSpan(file, m.getLine() + 1, m.getColumn() + 1);
            String problem = e.getProblem() == null ? "invalid YAML" : e.getProblem();
            throw new InputException(Diagnostic.error(
                    "GATE-IGNORE-SYNTAX",
                    at,
                    Diagnostic.oneLine("YAML syntax error: " + problem),
                    "check indentation (spaces, not tabs), colons and dashes near this point"));
        } catch (YAMLException e) {
            throw new InputException(Diagnostic.error(
                    "GATE-IGNORE-SYNTAX",
                    SourceSpan.ofFile(file),
                    Diagnostic.oneLine("YAML error: " + e.getMessage()),
                    SHAPE_HINT));
        }
    }

    private SourceSpan span(Node node) {
        return new SourceSpan(
                file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    private void error(Node at, String code, String message, String hint) {
        problems.add(Diagnostic.error(code, span(at), Diagnostic.oneLine(message), Diagnostic.oneLine(hint)));
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode s
                && node.getTag().equals(Tag.NULL)
                && s.getScalarStyle().getChar() == null;
    }

    private static String kind(Node node) {
        if (node instanceof MappingNode) {
            return "mapping";
        }
        if (node instanceof SequenceNode) {
            return "list";
        }
        return "value '" + ((ScalarNode) node).getValue() + "'";
    }
}
