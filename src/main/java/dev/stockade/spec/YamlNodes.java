package dev.stockade.spec;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.SourceSpan;
import dev.stockade.report.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Typed access to a composed YAML node tree that records every problem with its position and
 * carries on, so one run reports all mistakes.
 *
 * <p>Scalars are read as the text the user wrote, never through YAML 1.1 type resolution: an
 * unquoted {@code no} stays "no", {@code 0644} stays "0644" and {@code 20:30} is not 1230.
 */
final class YamlNodes {

    private final String file;
    private final List<Diagnostic> problems = new ArrayList<>();

    YamlNodes(String file) {
        this.file = file;
    }

    List<Diagnostic> problems() {
        return problems;
    }

    boolean hasErrors() {
        return problems.stream().anyMatch(d -> d.severity() == dev.stockade.report.Severity.ERROR);
    }

    SourceSpan span(Node node) {
        return new SourceSpan(
                file, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    void error(Node at, String code, String message, String hint) {
        problems.add(Diagnostic.error(code, span(at), Diagnostic.oneLine(message), Diagnostic.oneLine(hint)));
    }

    void error(SourceSpan at, String code, String message, String hint) {
        problems.add(Diagnostic.error(code, at, Diagnostic.oneLine(message), Diagnostic.oneLine(hint)));
    }

    void warning(SourceSpan at, String code, String message, String hint) {
        problems.add(Diagnostic.warning(code, at, Diagnostic.oneLine(message), Diagnostic.oneLine(hint)));
    }

    /**
     * The entries of a mapping, by key, in file order. Unknown keys and repeated keys are reported;
     * missing required keys are reported at the mapping itself.
     */
    Map<String, Node> mapping(Node node, String what, List<String> known, List<String> required) {
        Map<String, Node> entries = new LinkedHashMap<>();
        if (!(node instanceof MappingNode)) {
            error(
                    node,
                    "SPEC-TYPE",
                    what + " must be a mapping (key: value), not " + describe(node),
                    "write it as 'key: value' lines or {key: value, ...}");
            return entries;
        }
        for (NodeTuple t : ((MappingNode) node).getValue()) {
            Node keyNode = t.getKeyNode();
            if (!(keyNode instanceof ScalarNode)) {
                error(keyNode, "SPEC-TYPE", "keys in " + what + " must be plain words", "");
                continue;
            }
            String key = ((ScalarNode) keyNode).getValue();
            if (!known.contains(key)) {
                String hint = Suggestions.hint(key, known, "known keys: " + String.join(", ", known));
                error(keyNode, "SPEC-UNKNOWN-KEY", "unknown key '" + key + "' in " + what, hint);
            } else if (entries.containsKey(key)) {
                error(
                        keyNode,
                        "SPEC-DUPLICATE-KEY",
                        "'" + key + "' appears twice in " + what,
                        "keep one; YAML would silently use the last");
            } else {
                entries.put(key, t.getValueNode());
            }
        }
        for (String r : required) {
            if (!entries.containsKey(r)) {
                error(node, "SPEC-MISSING", what + " needs '" + r + "'", "add '" + r + ": ...'");
            }
        }
        return entries;
    }

    /** The text of a scalar; empty (and reported) when it is missing, null or not a scalar. */
    Optional<String> text(Node node, String what) {
        if (node instanceof ScalarNode) {
            ScalarNode s = (ScalarNode) node;
            if (s.getTag().equals(Tag.NULL) && s.getScalarStyle().getChar() == null) {
                error(node, "SPEC-MISSING", what + " has no value", "give it a value or remove the key");
                return Optional.empty();
            }
            return Optional.of(s.getValue());
        }
        error(node, "SPEC-TYPE", what + " must be a single value, not " + describe(node), "");
        return Optional.empty();
    }

    /** Items of a list; a single scalar is accepted as a one-item list when {@code scalarOk}. */
    List<Node> list(Node node, String what, boolean scalarOk) {
        if (node instanceof SequenceNode) {
            return ((SequenceNode) node).getValue();
        }
        if (scalarOk && node instanceof ScalarNode && !isNull(node)) {
            return List.of(node);
        }
        if (isNull(node)) {
            return List.of();
        }
        error(
                node,
                "SPEC-TYPE",
                what + " must be a list, not " + describe(node),
                "write [a, b] or one '- item' per line");
        return List.of();
    }

    Optional<Boolean> bool(Node node, String what) {
        return text(node, what).flatMap(t -> {
            if (t.equals("true") || t.equals("false")) {
                return Optional.of(Boolean.parseBoolean(t));
            }
            error(node, "SPEC-TYPE", what + " must be true or false, not '" + t + "'", "write true or false");
            return Optional.empty();
        });
    }

    /**
     * A message that stays on its line: values quoted from the spec may hold line breaks and other
     * control characters (quoted scalars, escapes), shown here as {@code \\uXXXX}.
     */
    static boolean isNull(Node node) {
        return node instanceof ScalarNode
                && node.getTag().equals(Tag.NULL)
                && ((ScalarNode) node).getScalarStyle().getChar() == null;
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (isNull(node)) {
            return "empty";
        }
        return "'" + ((ScalarNode) node).getValue() + "'";
    }
}
