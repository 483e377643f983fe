package dev.stockade.images;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * The image references in YAML (or JSON) documents: every {@code image:} key with a text value,
 * wherever it is. That covers Kubernetes manifests (containers, init and ephemeral containers, in
 * pods and in every workload template), compose files ({@code services.NAME.image}) and Stockade's
 * own spec ({@code proxy.image}, {@code workloads[].image}), all documents of a multi-document
 * stream. Values that are mappings (Helm-style {@code image: {repository, tag}}) are not
 * references and are left alone.
 */
final class YamlImages {

    private YamlImages() {}

    /** Thrown when the text is not YAML; the message says where, as SnakeYAML reports it. */
    static final class NotYaml extends Exception {
        private static final long serialVersionUID = 1L;
        final int line;
        final int column;

        NotYaml(String message, int line, int column) {
            super(message);
            this.line = line;
            this.column = column;
        }
    }

    static List<Hit> find(String text) throws NotYaml {
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(50);
        options.setAllowDuplicateKeys(true);
        options.setCodePointLimit(Math.max(text.length() + 1, 1024));
        List<Hit> out = new ArrayList<>();
        try {
            int doc = 0;
            for (Node root : new Yaml(options).composeAll(new StringReader(text))) {
                if (doc++ > 10_000) {
                    break;
                }
                walk(root, "", out, 0);
            }
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            var mark = e.getProblemMark();
            throw new NotYaml(
                    e.getProblem(), mark == null ? 1 : mark.getLine() + 1, mark == null ? 1 : mark.getColumn() + 1);
        } catch (YAMLException e) {
            throw new NotYaml(e.getMessage(), 1, 1);
        }
        return out;
    }

    private static void walk(Node node, String path, List<Hit> out, int depth) {
        if (depth > 200) {
            return;
        }
        if (node instanceof MappingNode m) {
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    continue;
                }
                String child = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
                if (k.getValue().equals("image") && t.getValueNode() instanceof ScalarNode v) {
                    if (!v.getValue().isBlank()) {
                        DumperOptions.ScalarStyle style = v.getScalarStyle();
                        int quote = style == DumperOptions.ScalarStyle.SINGLE_QUOTED
                                        || style == DumperOptions.ScalarStyle.DOUBLE_QUOTED
                                ? 1
                                : 0;
                        String value = v.getValue().strip();
                        if (value.startsWith("docker://")) {
                            value = value.substring("docker://".length());
                            quote += "docker://".length();
                        }
                        out.add(new Hit(value, v.getStartMark().getIndex() + quote, child));
                    }
                } else {
                    walk(t.getValueNode(), child, out, depth + 1);
                }
            }
        } else if (node instanceof SequenceNode s) {
            List<Node> items = s.getValue();
            for (int i = 0; i < items.size(); i++) {
                walk(items.get(i), path + "[" + i + "]", out, depth + 1);
            }
        }
    }
}
