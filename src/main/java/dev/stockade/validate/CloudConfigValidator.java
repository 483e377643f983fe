package dev.stockade.validate;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import dev.stockade.report.Suggestions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.GZIPInputStream;
import org.yaml.snakeyaml.DumperOptions;
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
 * {@code #cloud-config} for coreos-cloudinit, checked as its own validator checks it (header,
 * YAML, unknown, deprecated and wrongly typed keys, allowed values, writes under /usr, write_files
 * under coreos), with the severities it uses, and with line <em>and column</em> from the YAML
 * parser rather than a text search. Then what it misses: relative and duplicate paths, units
 * without a unit suffix, duplicate units and users, unit contents that do not parse, hyphenated keys
 * (Flatcar 3975.2.0 and later ignore them), and YAML 1.1 traps.
 */
final class CloudConfigValidator {

    /** coreos-cloudinit also places networkd files through units. */
    private static final Set<String> NETWORKD = Set.of("network", "netdev", "link");

    private static final Set<String> YAML11_BOOLEANS =
            Set.of("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF");
    private static final Set<String> TRUE_WORDS = Set.of("y", "Y", "yes", "Yes", "YES", "on", "On", "ON");
    private static final List<String> VARIABLES =
            List.of("$private_ipv4", "$public_ipv4", "$private_ipv6", "$public_ipv6");

    private final String file;
    private final String[] lines;
    private final List<Finding> findings = new ArrayList<>();
    private final List<HostConfig.File> files = new ArrayList<>();
    private final List<HostConfig.Unit> units = new ArrayList<>();
    private final List<HostConfig.User> users = new ArrayList<>();

    private CloudConfigValidator(String file, String text) {
        this.file = file;
        this.lines = text.split("\n", -1);
    }

    static Checked validate(String file, String text) {
        CloudConfigValidator v = new CloudConfigValidator(file, text);
        boolean read = v.run(text);
        return new Checked(
                v.findings, read ? Optional.of(new HostConfig(v.files, v.units, v.users)) : Optional.empty());
    }

    /** Checks {@code text}; false when it could not be read as a config at all (nothing to walk). */
    private boolean run(String text) {
        String first = lines.length == 0 ? "" : lines[0].stripTrailing();
        if (!first.equals("#cloud-config")) {
            add(
                    "CC-HEADER",
                    Severity.ERROR,
                    new SourceSpan(file, 1, 1),
                    "the first line must be #cloud-config (or #! for a script)",
                    "coreos-cloudinit ignores user data without it");
            return false;
        }
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(true); // reported below, with both places
            options.setMaxAliasesForCollections(50);
            options.setNestingDepthLimit(50);
            options.setCodePointLimit(8 << 20);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            add(
                    "CC-SYNTAX",
                    Severity.ERROR,
                    m == null ? new SourceSpan(file, 1, 1) : span(m),
                    "not valid YAML: " + e.getProblem(),
                    "");
            return false;
        } catch (YAMLException e) {
            add("CC-SYNTAX", Severity.ERROR, new SourceSpan(file, 1, 1), "not valid YAML: " + e.getMessage(), "");
            return false;
        }
        if (root == null) {
            return false;
        }
        if (!(root instanceof MappingNode)) {
            add("CC-TYPE", Severity.ERROR, span(root), "a cloud-config is a mapping of keys", "");
            return false;
        }
        walk(root, CloudConfigSchema.ROOT, "");
        Map<String, Node> top = mapping((MappingNode) root);
        Optional.ofNullable(top.get("write_files")).ifPresent(this::writeFiles);
        Optional.ofNullable(top.get("users")).ifPresent(this::users);
        Optional.ofNullable(top.get("coreos"))
                .filter(MappingNode.class::isInstance)
                .map(c -> mapping((MappingNode) c))
                .ifPresent(coreos -> {
                    Optional.ofNullable(coreos.get("units")).ifPresent(this::units);
                    SERVICES.forEach((section, service) -> Optional.ofNullable(coreos.get(section))
                            .filter(MappingNode.class::isInstance)
                            .ifPresent(m -> environment(service, section, (MappingNode) m)));
                });
        variables(text);
        return true;
    }

    // ------------------------------------------------------------------ keys and types

    private void walk(Node node, Schema.Type type, String path) {
        if (type instanceof Schema.Obj o) {
            if (!(node instanceof MappingNode m)) {
                wrongType(node, path, "a mapping");
                return;
            }
            Map<String, Node> seen = new HashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (!(t.getKeyNode() instanceof ScalarNode k)) {
                    add("CC-TYPE", Severity.WARNING, span(t.getKeyNode()), "a key must be a plain word", "");
                    continue;
                }
                String key = k.getValue();
                Node earlier = seen.putIfAbsent(key, k);
                if (earlier != null) {
                    add(
                            "CC-DUPLICATE-KEY",
                            Severity.ERROR,
                            span(k),
                            "'" + key + "' appears twice in this mapping (first at line "
                                    + span(earlier).line() + ")",
                            "YAML readers disagree on which one wins: keep one");
                }
                String at = path.isEmpty() ? key : path + "." + key;
                String canonical = key.replace('-', '_');
                Schema.Field f = o.fields().get(canonical);
                if (path.equals("coreos") && canonical.equals("write_files")) {
                    add(
                            "CC-MISPLACED",
                            Severity.WARNING,
                            span(k),
                            "write_files under coreos is not read: these files are not written",
                            "move write_files to the top level");
                    continue;
                }
                if (f == null) {
                    add(
                            "CC-UNKNOWN-KEY",
                            Severity.WARNING,
                            span(k),
                            "unrecognized key '" + at + "'",
                            Suggestions.hint(
                                    canonical,
                                    o.fields().keySet(),
                                    "coreos-cloudinit ignores it; known keys here: "
                                            + String.join(
                                                    ", ",
                                                    new TreeSet<>(o.fields().keySet()))));
                    continue;
                }
                if (!canonical.equals(key)) {
                    add(
                            "CC-HYPHEN",
                            Severity.WARNING,
                            span(k),
                            "'" + key + "' is ignored by Flatcar 3975.2.0 and later, which read only '" + canonical
                                    + "'",
                            "write " + canonical);
                }
                f.deprecated()
                        .ifPresent(why -> add(
                                "CC-DEPRECATED", Severity.WARNING, span(k), "deprecated key '" + at + "': " + why, ""));
                Node value = t.getValueNode();
                if (isNull(value)) {
                    add(
                            "CC-TYPE",
                            Severity.WARNING,
                            span(value),
                            "'" + at + "' has no value",
                            "give it one or remove it");
                    continue;
                }
                walk(value, f.type(), at);
                if (f.allowed().isPresent()
                        && value instanceof ScalarNode s
                        && !s.getValue().isEmpty()
                        && !f.allowed().get().matcher(s.getValue()).matches()) {
                    add(
                            "CC-VALUE",
                            Severity.ERROR,
                            span(value),
                            "invalid value '" + s.getValue() + "' for '" + at + "'",
                            "allowed: "
                                    + f.allowed()
                                            .get()
                                            .pattern()
                                            .replace("\\+", "+")
                                            .replace("|", ", "));
                }
                if (canonical.equals("permissions") && value instanceof ScalarNode s) {
                    permissions(s);
                }
                if (canonical.equals("discovery")
                        && (path.equals("coreos.etcd") || path.equals("coreos.etcd2"))
                        && value instanceof ScalarNode s) {
                    discovery(s, at);
                }
            }
        } else if (type instanceof Schema.Arr a) {
            if (!(node instanceof SequenceNode seq)) {
                wrongType(node, path, "a list");
                return;
            }
            for (int i = 0; i < seq.getValue().size(); i++) {
                walk(seq.getValue().get(i), a.item(), path + "[" + i + "]");
            }
        } else {
            Schema.Scalar want = (Schema.Scalar) type;
            if (!(node instanceof ScalarNode s)) {
                wrongType(node, path, want.words);
                return;
            }
            boolean plain = s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN;
            Tag tag = s.getTag();
            switch (want) {
                case STRING -> {
                    if (plain && YAML11_BOOLEANS.contains(s.getValue())) {
                        add(
                                "CC-YAML-BOOL",
                                Severity.NOTE,
                                span(s),
                                "'" + s.getValue() + "' for '" + path + "' is a string to coreos-cloudinit but the"
                                        + " boolean " + (TRUE_WORDS.contains(s.getValue()) ? "true" : "false")
                                        + " to YAML 1.1 tools that read the same file",
                                "quote it: \"" + s.getValue() + "\"");
                    }
                }
                case BOOL -> {
                    if (!plain || !tag.equals(Tag.BOOL)) {
                        wrongType(s, path, want.words);
                    } else if (YAML11_BOOLEANS.contains(s.getValue())) {
                        add(
                                "CC-YAML-BOOL",
                                Severity.WARNING,
                                span(s),
                                "'" + s.getValue() + "' is a boolean only to YAML 1.1 readers; Flatcar 3975.2.0 and"
                                        + " later read YAML 1.2 and refuse it",
                                "write true or false");
                    }
                }
                case INT -> {
                    if (!plain || !tag.equals(Tag.INT)) {
                        wrongType(s, path, want.words);
                    }
                }
                case FLOAT -> {
                    if (!plain || !(tag.equals(Tag.INT) || tag.equals(Tag.FLOAT))) {
                        wrongType(s, path, want.words);
                    }
                }
            }
        }
    }

    /**
     * An etcd discovery URL: an absolute URL (http and https with a host) or an absolute path, as
     * coreos-cloudinit requires for {@code coreos.etcd} (the same is checked for {@code etcd2}).
     */
    private void discovery(ScalarNode s, String at) {
        String v = s.getValue();
        boolean valid;
        try {
            URI u = new URI(v);
            valid = v.startsWith("/")
                    || (u.isAbsolute()
                            && (!(u.getScheme().equals("http") || u.getScheme().equals("https"))
                                    || (u.getHost() != null && !u.getHost().isEmpty())));
        } catch (URISyntaxException e) {
            valid = false;
        }
        if (!valid) {
            add(
                    "CC-DISCOVERY",
                    Severity.WARNING,
                    span(s),
                    "'" + at + "' is not a valid discovery URL: '" + v + "'",
                    "give the whole URL, e.g. https://discovery.etcd.io/TOKEN");
        }
    }

    private void wrongType(Node node, String path, String want) {
        add("CC-TYPE", Severity.WARNING, span(node), "incorrect type for '" + path + "': want " + want, "");
    }

    /** {@code permissions}: an octal string; unquoted numbers and decimal-looking modes are traps. */
    private void permissions(ScalarNode s) {
        String v = s.getValue();
        String digits = v.replaceFirst("^0", "");
        if (s.getScalarStyle() == DumperOptions.ScalarStyle.PLAIN && v.matches("[0-9]{1,9}")) {
            // YAML 1.1 reads a leading 0 as octal only when every digit is an octal one
            String read = v.startsWith("0") && v.matches("[0-7]+")
                    ? v + " as the octal number " + Integer.parseInt(v, 8)
                    : v + " as a decimal number";
            add(
                    "CC-PERMISSIONS",
                    Severity.WARNING,
                    span(s),
                    "permissions " + v + " is unquoted: a YAML 1.1 reader takes " + read,
                    "quote it as an octal string: '0" + digits + "'");
        }
        if (v.matches("0?[0-7]{3,4}") && DECIMAL_MODES.contains(digits)) {
            add(
                    "CC-PERMISSIONS",
                    Severity.WARNING,
                    span(s),
                    "permissions " + v + " is 0" + Integer.toOctalString(Integer.parseInt(v, 8)) + " in octal; " + v
                            + " looks like the decimal form of a mode (Ignition writes modes in decimal)",
                    "cloud-config permissions are octal: write '0" + Integer.toOctalString(Integer.parseInt(digits))
                            + "'");
        }
    }

    /** 0644, 0600 and 0755 written in decimal, as Ignition configs carry them. */
    private static final Set<String> DECIMAL_MODES = Set.of("420", "384", "493");

    // ------------------------------------------------------------------ write_files, units, users

    private void writeFiles(Node node) {
        Map<String, Integer> seen = new HashMap<>();
        for (MappingNode item : mappings(node)) {
            Map<String, Node> f = mapping(item);
            Optional<ScalarNode> path = scalar(f.get("path"));
            if (path.isEmpty() || path.get().getValue().isEmpty()) {
                add("CC-PATH", Severity.ERROR, span(item), "a write_files entry needs a path", "");
                continue;
            }
            String p = path.get().getValue();
            if (!p.startsWith("/")) {
                add(
                        "CC-PATH",
                        Severity.ERROR,
                        span(path.get()),
                        "write_files path '" + p + "' is relative: coreos-cloudinit resolves it against its own working"
                                + " directory",
                        "write the absolute path, e.g. /" + p);
            } else if (IgnitionValidator.clean(p).startsWith("/usr/")) {
                add(
                        "CC-READ-ONLY",
                        Severity.ERROR,
                        span(path.get()),
                        p + " cannot be written: /usr is a read-only filesystem",
                        "write under /etc, /opt or /var instead");
            }
            Integer first = seen.putIfAbsent(p, span(path.get()).line());
            if (first != null) {
                add(
                        "CC-DUPLICATE",
                        Severity.ERROR,
                        span(path.get()),
                        p + " is written twice (first at line " + first + "): only the last one stays",
                        "merge the two entries");
            }
            OptionalInt mode = scalar(f.get("permissions"))
                    .map(ScalarNode::getValue)
                    .filter(v -> v.matches("0?[0-7]{3,4}"))
                    .map(v -> OptionalInt.of(Integer.parseInt(v, 8)))
                    .orElse(OptionalInt.empty());
            Optional<ScalarNode> content = scalar(f.get("content"));
            String encoding =
                    scalar(f.get("encoding")).map(ScalarNode::getValue).orElse("");
            Optional<String> text = content.flatMap(c -> decode(c, encoding));
            OptionalInt firstLine =
                    content.filter(c -> encoding.isEmpty()).map(this::firstLine).orElse(OptionalInt.empty());
            SourceSpan contentsAt = content.map(c -> contentsAt(c, firstLine)).orElse(span(item));
            files.add(new HostConfig.File(p, mode, 0644, text, span(item), contentsAt, firstLine));
        }
    }

    /**
     * The text a {@code write_files} entry writes. Content tagged {@code !!binary} is base64 that
     * the YAML reader decodes first, as coreos-cloudinit's does; the encoding applies to the result.
     */
    private Optional<String> decode(ScalarNode content, String encoding) {
        String v = content.getValue();
        boolean binary = content.getTag().equals(Tag.BINARY);
        if (binary) {
            try {
                v = new String(base64(v), StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException e) {
                add(
                        "CC-ENCODING",
                        Severity.ERROR,
                        span(content),
                        "the !!binary content is not base64: " + e.getMessage(),
                        "encode the bytes in base64, or drop the !!binary tag");
                return Optional.empty();
            }
        }
        try {
            byte[] bytes = switch (encoding) {
                case "" -> v.getBytes(binary ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8);
                case "b64", "base64" -> base64(v);
                case "gz", "gzip" -> gunzip(v.getBytes(StandardCharsets.ISO_8859_1));
                default -> gunzip(base64(v));
            };
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | IOException e) {
            add(
                    "CC-ENCODING",
                    Severity.ERROR,
                    span(content),
                    "the content does not decode as " + encoding + ": " + e.getMessage(),
                    "");
            return Optional.empty();
        }
    }

    /** Strict standard base64; line breaks are allowed, as in a YAML block. */
    private static byte[] base64(String v) {
        return Base64.getDecoder().decode(v.replaceAll("[\\r\\n ]", ""));
    }

    private static byte[] gunzip(byte[] data) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readNBytes(16 << 20);
        }
    }

    private void units(Node node) {
        Map<String, Integer> seen = new HashMap<>();
        for (MappingNode item : mappings(node)) {
            Map<String, Node> u = mapping(item);
            Optional<ScalarNode> nameNode = scalar(u.get("name"));
            String name = nameNode.map(ScalarNode::getValue).orElse("");
            if (!UnitFile.hasUnitSuffix(name, NETWORKD)) {
                add(
                        "CC-UNIT-NAME",
                        Severity.ERROR,
                        nameNode.map(this::span).orElse(span(item)),
                        name.isEmpty() ? "a unit needs a name" : "'" + name + "' has no unit type suffix",
                        "end it with .service, .socket, .timer, .mount, .path, .target, .network...");
            }
            Integer first = seen.putIfAbsent(name, span(item).line());
            if (first != null) {
                add(
                        "CC-DUPLICATE",
                        Severity.ERROR,
                        nameNode.map(this::span).orElse(span(item)),
                        "unit " + name + " is defined twice (first at line " + first + ")",
                        "merge the two entries");
            }
            boolean enable = scalar(u.get("enable"))
                    .map(s -> s.getValue().equals("true"))
                    .orElse(false);
            String command = scalar(u.get("command")).map(ScalarNode::getValue).orElse("");
            boolean mask =
                    scalar(u.get("mask")).map(s -> s.getValue().equals("true")).orElse(false);
            Optional<ScalarNode> content = scalar(u.get("content"));
            content.ifPresent(c -> unitContent(c));
            units.add(new HostConfig.Unit(
                    name,
                    Optional.empty(),
                    enable || command.equals("start") || command.equals("restart"),
                    mask,
                    content.map(ScalarNode::getValue),
                    span(item),
                    content.map(c -> contentsAt(c, firstLine(c))).orElse(span(item)),
                    content.map(this::firstLine).orElse(OptionalInt.empty())));
            Node dropins = u.get("drop_ins");
            if (dropins instanceof SequenceNode ds) {
                for (Node d : ds.getValue()) {
                    if (d instanceof MappingNode dm) {
                        Map<String, Node> di = mapping(dm);
                        Optional<ScalarNode> dn = scalar(di.get("name"));
                        if (dn.map(n -> !n.getValue().endsWith(".conf")).orElse(true)) {
                            add(
                                    "CC-DROPIN-NAME",
                                    Severity.ERROR,
                                    dn.map(this::span).orElse(span(d)),
                                    "a drop-in name must end in .conf",
                                    "systemd reads only *.conf drop-ins");
                        }
                        Optional<ScalarNode> dc = scalar(di.get("content"));
                        dc.ifPresent(this::unitContent);
                        units.add(new HostConfig.Unit(
                                name,
                                dn.map(ScalarNode::getValue),
                                false,
                                mask,
                                dc.map(ScalarNode::getValue),
                                span(d),
                                dc.map(c -> contentsAt(c, firstLine(c))).orElse(span(d)),
                                dc.map(this::firstLine).orElse(OptionalInt.empty())));
                    }
                }
            }
        }
    }

    private void unitContent(ScalarNode c) {
        try {
            UnitFile.parse(c.getValue());
        } catch (UnitFile.Malformed m) {
            add(
                    "CC-UNIT-CONTENT",
                    Severity.ERROR,
                    span(c),
                    "the unit does not parse: " + m.getMessage() + " (line " + m.line + " of the unit)",
                    "systemd would refuse it");
        }
    }

    private void users(Node node) {
        Map<String, Integer> seen = new HashMap<>();
        for (MappingNode item : mappings(node)) {
            Map<String, Node> u = mapping(item);
            String name = scalar(u.get("name")).map(ScalarNode::getValue).orElse("");
            Integer first = seen.putIfAbsent(name, span(item).line());
            if (first != null) {
                add(
                        "CC-DUPLICATE",
                        Severity.ERROR,
                        span(item),
                        "user " + name + " is listed twice (first at line " + first + ")",
                        "merge the two entries");
            }
            List<String> groups = new ArrayList<>();
            if (u.get("groups") instanceof SequenceNode gs) {
                gs.getValue().forEach(g -> scalar(g).ifPresent(s -> groups.add(s.getValue())));
            }
            users.add(new HostConfig.User(name, groups, span(item)));
        }
    }

    /** coreos sections that coreos-cloudinit turns into a drop-in of environment variables, with their prefix. */
    private static final Map<String, String[]> SERVICES = Map.of(
            "etcd", new String[] {"etcd.service", "ETCD_"},
            "etcd2", new String[] {"etcd2.service", "ETCD_"},
            "fleet", new String[] {"fleet.service", "FLEET_"},
            "flannel", new String[] {"flanneld.service", "FLANNELD_"},
            "locksmith", new String[] {"locksmithd.service", "LOCKSMITHD_"});

    /**
     * A {@code coreos.etcd2} (etc.) section as coreos-cloudinit applies it: each key becomes {@code
     * PREFIX_KEY=value} in a drop-in of the service, so the security lints read it like any unit.
     */
    private void environment(String[] service, String section, MappingNode m) {
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k && t.getValueNode() instanceof ScalarNode v) {
                String name = service[1] + k.getValue().replace('-', '_').toUpperCase(java.util.Locale.ROOT);
                units.add(new HostConfig.Unit(
                        service[0],
                        Optional.of("20-cloudinit.conf"),
                        false,
                        false,
                        Optional.of("[Service]\nEnvironment=\"" + name + "=" + v.getValue() + "\"\n"),
                        span(v),
                        span(v),
                        OptionalInt.empty()));
            }
        }
    }

    /** {@code $private_ipv4} and friends are replaced only where a metadata service knows them. */
    private void variables(String text) {
        for (int i = 0; i < lines.length; i++) {
            for (String v : VARIABLES) {
                int at = lines[i].indexOf(v);
                if (at >= 0 && (at == 0 || lines[i].charAt(at - 1) != '\\')) {
                    add(
                            "CC-VARIABLE",
                            Severity.NOTE,
                            new SourceSpan(file, i + 1, at + 1),
                            v + " is replaced only on providers whose metadata service has the address (EC2, GCE,"
                                    + " Azure, DigitalOcean, Packet, VMware...); elsewhere it becomes empty",
                            "on bare metal and other platforms write the address itself");
                    break;
                }
            }
        }
    }

    // ------------------------------------------------------------------ helpers

    /** The mappings of a sequence (other items are type errors, reported by the walk). */
    private static List<MappingNode> mappings(Node node) {
        if (!(node instanceof SequenceNode seq)) {
            return List.of();
        }
        return seq.getValue().stream()
                .filter(MappingNode.class::isInstance)
                .map(MappingNode.class::cast)
                .toList();
    }

    private static boolean isNull(Node n) {
        return n instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    private static Map<String, Node> mapping(MappingNode m) {
        Map<String, Node> out = new HashMap<>();
        for (NodeTuple t : m.getValue()) {
            if (t.getKeyNode() instanceof ScalarNode k) {
                out.put(k.getValue().replace('-', '_'), t.getValueNode());
            }
        }
        return out;
    }

    private static Optional<ScalarNode> scalar(Node n) {
        return n instanceof ScalarNode s && !s.getTag().equals(Tag.NULL) ? Optional.of(s) : Optional.empty();
    }

    /** The file line of a literal block scalar's first line of text; empty for other styles. */
    private OptionalInt firstLine(ScalarNode c) {
        return c.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                ? OptionalInt.of(c.getStartMark().getLine() + 2)
                : OptionalInt.empty();
    }

    /** Where a scalar's text starts: the first line of a block scalar, else the scalar. */
    private SourceSpan contentsAt(ScalarNode c, OptionalInt firstLine) {
        if (firstLine.isEmpty()) {
            return span(c);
        }
        int l = firstLine.getAsInt();
        int col = l - 1 < lines.length
                ? lines[l - 1].length() - lines[l - 1].stripLeading().length() + 1
                : 1;
        return new SourceSpan(file, l, col);
    }

    private SourceSpan span(Node n) {
        return span(n.getStartMark());
    }

    private SourceSpan span(Mark m) {
        return new SourceSpan(file, m.getLine() + 1, m.getColumn() + 1);
    }

    private void add(String id, Severity severity, SourceSpan at, String message, String hint) {
        findings.add(new Finding(id, severity, file, Optional.of(at), message, hint));
    }
}
