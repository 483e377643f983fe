package dev.stockade.validate;

import static dev.stockade.validate.JsonTree.list;
import static dev.stockade.validate.JsonTree.member;
import static dev.stockade.validate.JsonTree.object;
import static dev.stockade.validate.JsonTree.objects;
import static dev.stockade.validate.JsonTree.string;
import static dev.stockade.validate.JsonTree.text;

import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import dev.stockade.report.Suggestions;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Ignition configs, spec 3.0.0 to 3.5.0, checked as Ignition checks them and a little more strictly.
 * Every finding names the JSON path (as {@code ignition-validate} prints it, {@code
 * $.storage.files.0.path}) and the line and column of the value.
 *
 * <p>Stricter than Ignition, on purpose: a key Ignition does not know is an error, not a warning
 * (a misspelt key silently drops its setting); keys must be spelt with their exact case (Ignition
 * accepts any case and then warns); a key repeated in one object is an error (JSON readers disagree
 * on which copy wins); and a key of a later spec version than the config declares is an error.
 */
final class IgnitionValidator {

    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)(-experimental)?");
    /** The most a gzip data URL may expand to before its text is checked. */
    static final int MAX_INFLATED = 16 << 20;

    private static final Pattern VARIABLE = Pattern.compile("\\$(private|public)_ipv[46]");

    private final String file;
    private final List<Finding> findings = new ArrayList<>();
    private final List<HostConfig.File> files = new ArrayList<>();
    private final List<HostConfig.Unit> units = new ArrayList<>();
    private final List<HostConfig.User> users = new ArrayList<>();
    private int minor;
    /** Decoded {@code data:} URLs by their text: each is checked and then read, but decoded once. */
    private final Map<String, byte[]> decoded = new HashMap<>();
    /** The directories the config creates, for hard links that would point at one. */
    private final java.util.Set<String> directories = new java.util.HashSet<>();

    private IgnitionValidator(String file) {
        this.file = file;
    }

    static Checked validate(String file, String text) {
        IgnitionValidator v = new IgnitionValidator(file);
        boolean read = v.run(text);
        return new Checked(
                v.findings, read ? Optional.of(new HostConfig(v.files, v.units, v.users)) : Optional.empty());
    }

    /** Checks {@code text}; false when it could not be read as a config at all (nothing to walk). */
    private boolean run(String text) {
        JsonValue root;
        try {
            root = JsonReader.read(file, text);
        } catch (InputException e) {
            for (Diagnostic d : e.diagnostics()) {
                findings.add(new Finding(d.code(), d.severity(), file, Optional.of(d.span()), d.message(), d.hint()));
            }
            return false;
        }
        if (!(root instanceof JsonValue.JsonObject top)) {
            error("IGN-TYPE", root.span(), "$", "an Ignition config is a JSON object, not " + root.kind(), "");
            return false;
        }
        if (!version(top)) {
            return false;
        }
        walk(top, IgnitionSchema.ROOT, "$");
        object(top, "storage").ifPresent(s -> {
            storage(s, "$.storage");
            new IgnitionStorage(minor, this::add).check(s, "$.storage");
        });
        object(top, "systemd").ifPresent(s -> systemd(s, "$.systemd"));
        object(top, "passwd").ifPresent(p -> passwd(p, "$.passwd"));
        object(top, "ignition").ifPresent(this::ignitionSection);
        variables();
        return true;
    }

    /** cloud-config's {@code $private_ipv4} and friends mean nothing to Ignition: they stay as written. */
    private void variables() {
        for (HostConfig.File f : files) {
            f.contents()
                    .filter(c -> c.contains("_ipv") && VARIABLE.matcher(c).find())
                    .ifPresent(c -> warning(
                            "IGN-VARIABLE",
                            f.contentsAt(),
                            f.path(),
                            "contains a $private_ipv4-style variable, which Ignition never substitutes: the file gets"
                                    + " the text as it is",
                            "write the address itself, or use a systemd unit that reads it from the metadata"
                                    + " service (e.g. coreos-metadata / afterburn)"));
        }
    }

    // ------------------------------------------------------------------ version

    /** Reads {@code ignition.version}; false when the config cannot be checked further. */
    private boolean version(JsonValue.JsonObject top) {
        Optional<JsonValue.JsonObject> ignition = object(top, "ignition");
        JsonValue v = ignition.map(i -> i.members().get("version")).orElse(null);
        if (!(v instanceof JsonValue.JsonString s)) {
            error(
                    "IGN-VERSION",
                    v != null ? v.span() : ignition.map(JsonValue::span).orElse(top.span()),
                    "$.ignition.version",
                    "the config has no ignition.version string",
                    "start it with {\"ignition\": {\"version\": \"3.4.0\"}, ...}");
            return false;
        }
        Matcher m = VERSION.matcher(s.value());
        if (!m.matches()) {
            error(
                    "IGN-VERSION",
                    s.span(),
                    "$.ignition.version",
                    "'" + s.value() + "' is not a spec version",
                    "write it as 3.4.0");
            return false;
        }
        int major = Integer.parseInt(m.group(1));
        if (major < 3) {
            error(
                    "IGN-VERSION",
                    s.span(),
                    "$.ignition.version",
                    "this is an Ignition " + s.value() + " config; Flatcar and Fedora CoreOS read spec 3",
                    "convert it with ign-converter (Fedora's ignition-config-transpiler) or write it again with"
                            + " Butane, then validate the result");
            return false;
        }
        int min = Integer.parseInt(m.group(2));
        if (major > 3 || min > IgnitionSchema.LATEST_MINOR || !m.group(3).equals("0") || m.group(4) != null) {
            error(
                    "IGN-VERSION",
                    s.span(),
                    "$.ignition.version",
                    "spec version " + s.value() + " is not one Stockade knows (3.0.0 to 3."
                            + IgnitionSchema.LATEST_MINOR + ".0)",
                    "use a released version the machines' Ignition reads");
            return false;
        }
        minor = min;
        return true;
    }

    // ------------------------------------------------------------------ the key tree

    private void walk(JsonValue v, Schema.Type type, String path) {
        if (type instanceof Schema.Obj o) {
            {
                if (!(v instanceof JsonValue.JsonObject obj)) {
                    typeError(v, "an object", path);
                    return;
                }
                for (Map.Entry<String, JsonValue> e : obj.members().entrySet()) {
                    String key = e.getKey();
                    String at = path + "." + key;
                    Schema.Field f = o.fields().get(key);
                    if (f == null) {
                        error(
                                "IGN-UNKNOWN-KEY",
                                obj.keySpans().get(key),
                                at,
                                "unknown key '" + key + "'",
                                Suggestions.hint(
                                        key,
                                        o.fields().keySet(),
                                        "Ignition ignores it and its setting is lost; known keys here: "
                                                + String.join(
                                                        ", ",
                                                        new java.util.TreeSet<>(
                                                                o.fields().keySet()))));
                        continue;
                    }
                    if (f.since() > minor) {
                        error(
                                "IGN-KEY-VERSION",
                                obj.keySpans().get(key),
                                at,
                                "'" + key + "' needs spec 3." + f.since() + ".0 or later; this config is 3." + minor
                                        + ".0",
                                "raise ignition.version (the machines' Ignition must read it) or drop the key");
                        continue;
                    }
                    if (!(e.getValue() instanceof JsonValue.JsonNull)) {
                        walk(e.getValue(), f.type(), at);
                    }
                }
            }
        } else if (type instanceof Schema.Arr a) {
            {
                if (!(v instanceof JsonValue.JsonArray arr)) {
                    typeError(v, "a list", path);
                    return;
                }
                for (int i = 0; i < arr.items().size(); i++) {
                    walk(arr.items().get(i), a.item(), path + "." + i);
                }
            }
        } else {
            Schema.Scalar s = (Schema.Scalar) type;
            boolean ok = switch (s) {
                case STRING -> v instanceof JsonValue.JsonString;
                case BOOL -> v instanceof JsonValue.JsonBoolean;
                case INT -> v instanceof JsonValue.JsonNumber n && n.text().matches("-?\\d{1,18}");
                case FLOAT -> v instanceof JsonValue.JsonNumber;
            };
            if (!ok) {
                typeError(v, s.words, path);
            }
        }
    }

    private void typeError(JsonValue v, String expected, String path) {
        String hint = v instanceof JsonValue.JsonString str && expected.equals("a whole number")
                ? "write the number without quotes"
                        + (str.value().matches("0[0-7]{3,4}")
                                ? "; modes are decimal in Ignition: 0"
                                        + str.value().replaceFirst("^0", "") + " octal is "
                                        + Integer.parseInt(str.value(), 8)
                                : "")
                : "";
        error("IGN-TYPE", v.span(), path, "expected " + expected + ", not " + v.kind(), hint);
    }

    // ------------------------------------------------------------------ storage

    private void storage(JsonValue.JsonObject storage, String path) {
        Map<String, String> seenPaths = new HashMap<>();
        List<String> linkPaths = new ArrayList<>();
        for (JsonValue.JsonObject link : objects(storage, "links")) {
            string(link, "path").ifPresent(linkPaths::add);
        }
        objects(storage, "directories").forEach(d -> string(d, "path").ifPresent(directories::add));
        for (String kind : List.of("directories", "files", "links")) {
            List<JsonValue.JsonObject> entries = objects(storage, kind);
            for (int i = 0; i < entries.size(); i++) {
                JsonValue.JsonObject e = entries.get(i);
                String at = path + "." + kind + "." + i;
                node(e, at, kind, seenPaths, linkPaths);
            }
        }
        for (String kind : List.of("disks", "filesystems", "luks")) {
            List<JsonValue.JsonObject> entries = objects(storage, kind);
            Map<String, String> seen = new HashMap<>();
            String key = kind.equals("luks") ? "name" : "device";
            for (int i = 0; i < entries.size(); i++) {
                JsonValue.JsonObject e = entries.get(i);
                String at = path + "." + kind + "." + i;
                if (!kind.equals("luks") || e.members().containsKey("device")) {
                    member(e, "device").ifPresent(d -> devicePath(d, at + ".device"));
                }
                if (kind.equals("filesystems")) {
                    member(e, "path").filter(p -> !isEmptyString(p)).ifPresent(p -> devicePath(p, at + ".path"));
                }
                duplicate(seen, string(e, key).orElse(""), e.span(), at);
            }
        }
        List<JsonValue.JsonObject> raids = objects(storage, "raid");
        for (int i = 0; i < raids.size(); i++) {
            JsonValue.JsonObject r = raids.get(i);
            List<JsonValue> devices = list(r, "devices");
            for (int d = 0; d < devices.size(); d++) {
                devicePath(devices.get(d), path + ".raid." + i + ".devices." + d);
            }
        }
    }

    private static boolean isEmptyString(JsonValue v) {
        return v instanceof JsonValue.JsonString s && s.value().isEmpty();
    }

    /** A file, directory or link: path, duplicates, links on the way, mode, owner, contents. */
    private void node(
            JsonValue.JsonObject e, String at, String kind, Map<String, String> seenPaths, List<String> linkPaths) {
        Optional<JsonValue> pathValue = member(e, "path");
        String p = pathValue.flatMap(JsonTree::text).orElse("");
        if (pathValue.isEmpty()) {
            error("IGN-PATH", e.span(), at + ".path", "no path", "give the absolute path, e.g. \"/etc/hostname\"");
        } else if (pathValue.get() instanceof JsonValue.JsonString) {
            pathRules(pathValue.get(), p, at + ".path");
            duplicate(seenPaths, p, pathValue.get().span(), at);
            for (String link : linkPaths) {
                if (p.startsWith(link + "/")) {
                    error(
                            "IGN-PATH-LINK",
                            pathValue.get().span(),
                            at + ".path",
                            p + " lies under " + link + ", which this config makes a link",
                            "Ignition refuses to write through a link it creates; write to the link's target");
                }
            }
        }
        for (String who : List.of("user", "group")) {
            object(e, who).ifPresent(o -> {
                if (o.members().containsKey("id")
                        && o.members().get("id") instanceof JsonValue.JsonNumber
                        && string(o, "name").filter(n -> !n.isEmpty()).isPresent()) {
                    error(
                            "IGN-OWNER",
                            o.span(),
                            at + "." + who,
                            "both an id and a name for the " + who,
                            "give one: the id or the name");
                }
            });
        }
        OptionalInt mode = OptionalInt.empty();
        Optional<JsonValue> modeValue = member(e, "mode");
        if (modeValue.isPresent()
                && modeValue.get() instanceof JsonValue.JsonNumber n
                && n.text().matches("-?\\d{1,18}")) {
            long m = Long.parseLong(n.text());
            if (m < 0 || m > 07777) {
                error(
                        "IGN-MODE",
                        n.span(),
                        at + ".mode",
                        "mode " + m + " is not a file mode (0 to 4095, i.e. 0 to 07777 octal)",
                        "Ignition modes are decimal: 420 is 0644, 384 is 0600, 493 is 0755");
            } else {
                mode = OptionalInt.of((int) m);
                if (isDecimalLookingOctal(m)) {
                    warning(
                            "IGN-MODE-DECIMAL",
                            n.span(),
                            at + ".mode",
                            "mode " + m + " is decimal, i.e. 0" + Long.toOctalString(m) + "; did you mean 0" + m + "?",
                            "Ignition modes are decimal: write " + Integer.parseInt(Long.toString(m), 8) + " for 0"
                                    + m);
                } else if ((m & 07000) != 0 && minor < 4) {
                    warning(
                            "IGN-MODE-SPECIAL",
                            n.span(),
                            at + ".mode",
                            "setuid, setgid and sticky bits (mode " + m + " = 0" + Long.toOctalString(m)
                                    + ") are not applied before spec 3.4.0",
                            "raise ignition.version to 3.4.0 or later, or drop the special bits");
                }
            }
        }
        if (kind.equals("links")) {
            if (minor >= 3 && string(e, "target").filter(t -> !t.isEmpty()).isEmpty()) {
                error("IGN-LINK-TARGET", e.span(), at + ".target", "a link needs a target", "");
            }
            boolean hard = member(e, "hard")
                    .filter(b -> b instanceof JsonValue.JsonBoolean jb && jb.value())
                    .isPresent();
            string(e, "target").filter(t -> hard && !t.isEmpty()).ifPresent(t -> {
                String target = t.startsWith("/") ? clean(t) : clean(p + "/" + t);
                if (directories.contains(target)) {
                    error(
                            "IGN-LINK-TARGET",
                            e.span(),
                            at,
                            "hard link to " + target + ", which this config makes a" + " directory",
                            "a hard link must point at a file; use a symbolic link");
                }
            });
            return;
        }
        if (kind.equals("directories")) {
            return;
        }
        Optional<JsonValue.JsonObject> contents = object(e, "contents");
        contents.ifPresent(c -> resource(c, at + ".contents"));
        for (int i = 0; i < list(e, "append").size(); i++) {
            JsonValue a = list(e, "append").get(i);
            if (a instanceof JsonValue.JsonObject ao) {
                resource(ao, at + ".append." + i);
            }
        }
        boolean hasSource = contents.flatMap(c -> member(c, "source"))
                .filter(s -> !(s instanceof JsonValue.JsonNull))
                .isPresent();
        member(e, "overwrite").ifPresent(o -> {
            if (o instanceof JsonValue.JsonBoolean b && b.value() && !hasSource) {
                error(
                        "IGN-OVERWRITE",
                        o.span(),
                        at + ".overwrite",
                        "overwrite is true but the file has no contents.source",
                        "give contents.source (\"data:,\" for an empty file) or drop overwrite");
            }
        });
        String compression = contents.flatMap(c -> string(c, "compression")).orElse("");
        Optional<String> inline = contents.flatMap(c -> member(c, "source"))
                .filter(s -> s instanceof JsonValue.JsonString js && js.value().startsWith("data:"))
                .flatMap(s -> decodeData(((JsonValue.JsonString) s).value())
                        .flatMap(b -> compression.isEmpty()
                                ? Optional.of(b)
                                : compression.equals("gzip")
                                        ? gunzip(b, s.span(), at + ".contents.source")
                                        : Optional.empty())
                        .map(b -> new String(b, StandardCharsets.UTF_8)));
        if (!p.isEmpty()) {
            SourceSpan contentsAt = contents.flatMap(c -> member(c, "source"))
                    .map(JsonValue::span)
                    .orElse(e.span());
            files.add(new HostConfig.File(p, mode, 0644, inline, e.span(), contentsAt, OptionalInt.empty()));
        }
    }

    /** Modes people write in octal: as a decimal number each is almost surely a missed conversion. */
    private static final Set<Long> OCTAL_LOOKING =
            Set.of(400L, 440L, 444L, 600L, 640L, 644L, 660L, 664L, 666L, 700L, 750L, 755L, 770L, 775L, 777L);

    private static boolean isDecimalLookingOctal(long m) {
        return OCTAL_LOOKING.contains(m);
    }

    private void pathRules(JsonValue v, String p, String at) {
        if (p.isEmpty()) {
            error("IGN-PATH", v.span(), at, "the path is empty", "give an absolute path");
        } else if (!p.startsWith("/")) {
            error("IGN-PATH", v.span(), at, "'" + p + "' is not an absolute path", "start it with /");
        } else if (!clean(p).equals(p)) {
            error("IGN-PATH", v.span(), at, "'" + p + "' is not simplified", "write it as " + clean(p));
        }
    }

    private void devicePath(JsonValue v, String at) {
        if (v instanceof JsonValue.JsonString s) {
            pathRules(v, s.value(), at);
        }
    }

    /** POSIX lexical clean: no {@code //}, {@code .}, {@code ..} or trailing {@code /}. */
    static String clean(String p) {
        List<String> parts = new ArrayList<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.remove(parts.size() - 1);
                }
                continue;
            }
            parts.add(seg);
        }
        return "/" + String.join("/", parts);
    }

    private void resource(JsonValue.JsonObject r, String at) {
        Optional<JsonValue> source = member(r, "source").filter(s -> !(s instanceof JsonValue.JsonNull));
        string(r, "compression").ifPresent(c -> {
            if (!c.isEmpty() && !c.equals("gzip")) {
                error(
                        "IGN-COMPRESSION",
                        r.members().get("compression").span(),
                        at + ".compression",
                        "compression '" + c + "' is not one Ignition knows",
                        "use \"gzip\" or leave it out");
            }
        });
        object(r, "verification").flatMap(vo -> member(vo, "hash")).ifPresent(h -> {
            if (source.isEmpty()) {
                error(
                        "IGN-HASH",
                        h.span(),
                        at + ".verification.hash",
                        "a hash without a source",
                        "give contents.source, or drop the verification");
            }
            text(h).ifPresent(hash -> hash(hash, h.span(), at + ".verification.hash"));
        });
        source.flatMap(JsonTree::text)
                .filter(s -> !s.isEmpty())
                .ifPresent(s -> url(s, source.get().span(), at + ".source"));
        headers(r, source.flatMap(JsonTree::text).orElse(""), at);
    }

    /** HTTP headers (3.1+): only for http(s) sources, each with a name, none twice. */
    private void headers(JsonValue.JsonObject r, String source, String at) {
        List<JsonValue.JsonObject> headers = objects(r, "httpHeaders");
        if (headers.isEmpty()) {
            return;
        }
        String scheme =
                source.contains(":") ? source.substring(0, source.indexOf(':')).toLowerCase(java.util.Locale.ROOT) : "";
        if (!scheme.equals("http") && !scheme.equals("https")) {
            error(
                    "IGN-HEADER",
                    member(r, "httpHeaders").orElseThrow().span(),
                    at + ".httpHeaders",
                    source.isEmpty() ? "HTTP headers without a source" : "HTTP headers with a " + scheme + ": source",
                    "headers are sent only to http:// and https:// sources");
        }
        Map<String, String> seen = new HashMap<>();
        for (int i = 0; i < headers.size(); i++) {
            JsonValue.JsonObject h = headers.get(i);
            String hat = at + ".httpHeaders." + i;
            String name = string(h, "name").orElse("");
            if (name.isEmpty()) {
                error("IGN-HEADER", h.span(), hat + ".name", "an HTTP header needs a name", "");
            }
            string(h, "value")
                    .filter(String::isEmpty)
                    .ifPresent(v -> error(
                            "IGN-HEADER",
                            member(h, "value").orElseThrow().span(),
                            hat + ".value",
                            "an empty header value",
                            "give a value, or leave 'value' out to remove the header when configs are merged"));
            duplicate(seen, name, h.span(), hat);
        }
    }

    private void hash(String hash, SourceSpan span, String at) {
        int dash = hash.indexOf('-');
        if (dash < 0) {
            error("IGN-HASH", span, at, "'" + hash + "' is not FUNCTION-HEXDIGEST", "e.g. sha512-<128 hex digits>");
            return;
        }
        String function = hash.substring(0, dash);
        int length = switch (function) {
            case "sha512" -> 128;
            case "sha256" -> minor >= 1 ? 64 : -1;
            default -> -1;
        };
        if (length < 0) {
            error(
                    "IGN-HASH",
                    span,
                    at,
                    "hash function '" + function + "' is not available in spec 3." + minor + ".0",
                    minor >= 1 ? "use sha512 or sha256" : "use sha512 (sha256 needs spec 3.1.0)");
        } else if (hash.length() - dash - 1 != length
                || !hash.substring(dash + 1).matches("[0-9a-fA-F]*")) {
            error("IGN-HASH", span, at, "a " + function + " digest is " + length + " hex digits", "");
        }
    }

    private void url(String url, SourceSpan span, String at) {
        int colon = url.indexOf(':');
        String scheme = colon > 0 && url.substring(0, colon).matches("[A-Za-z][A-Za-z0-9+.-]*")
                ? url.substring(0, colon).toLowerCase(java.util.Locale.ROOT)
                : "";
        List<String> allowed = new ArrayList<>(List.of("http", "https", "tftp", "s3", "data"));
        if (minor >= 2) {
            allowed.add("gs");
        }
        if (minor >= 4) {
            allowed.add("arn");
        }
        if (!allowed.contains(scheme)) {
            error(
                    "IGN-URL",
                    span,
                    at,
                    scheme.isEmpty()
                            ? "'" + abbreviate(url) + "' is not a URL"
                            : "Ignition 3." + minor + ".0 cannot fetch " + scheme + ": URLs",
                    "use one of " + String.join(", ", allowed) + " (data:,... for inline contents)");
            return;
        }
        if (scheme.equals("data")) {
            try {
                DataUrl.decode(url);
            } catch (DataUrl.Malformed m) {
                error(
                        "IGN-DATA-URL",
                        span,
                        at,
                        "the data URL does not decode: " + m.getMessage(),
                        "percent-encode the text (RFC 3986), or use data:;base64,...");
            }
        }
    }

    /**
     * The gzip data of a {@code compression: gzip} data URL, decompressed (at most
     * {@link #MAX_INFLATED} bytes, so a small config cannot expand without bound); an error where
     * Ignition would fail to write the file.
     */
    private Optional<byte[]> gunzip(byte[] data, SourceSpan at, String path) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            byte[] out = in.readNBytes(MAX_INFLATED + 1);
            if (out.length > MAX_INFLATED) {
                warning(
                        "IGN-COMPRESSION",
                        at,
                        path,
                        "the gzip data expands to more than " + (MAX_INFLATED >> 20) + " MiB; its text is not checked",
                        "");
                return Optional.empty();
            }
            return Optional.of(out);
        } catch (IOException e) {
            error(
                    "IGN-COMPRESSION",
                    at,
                    path,
                    "compression is gzip but the data does not decompress (" + e.getMessage() + "): Ignition fails"
                            + " to write the file",
                    "compress the data with gzip, or drop compression");
            return Optional.empty();
        }
    }

    private Optional<byte[]> decodeData(String url) {
        byte[] known = decoded.get(url);
        if (known != null) {
            return Optional.of(known);
        }
        try {
            return Optional.of(DataUrl.decode(url));
        } catch (DataUrl.Malformed m) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    // ------------------------------------------------------------------ systemd, passwd, ignition

    private void systemd(JsonValue.JsonObject systemd, String path) {
        Map<String, String> seen = new HashMap<>();
        List<JsonValue.JsonObject> list = objects(systemd, "units");
        for (int i = 0; i < list.size(); i++) {
            JsonValue.JsonObject u = list.get(i);
            String at = path + ".units." + i;
            String name = string(u, "name").orElse("");
            SourceSpan nameAt = member(u, "name").map(JsonValue::span).orElse(u.span());
            if (!UnitFile.hasUnitSuffix(name, Set.of())) {
                error(
                        "IGN-UNIT-NAME",
                        nameAt,
                        at + ".name",
                        name.isEmpty() ? "a unit needs a name" : "'" + name + "' has no unit type suffix",
                        "end it with .service, .socket, .timer, .mount, .path, .target...");
            }
            duplicate(seen, name, u.span(), at);
            boolean enabled = member(u, "enabled")
                    .filter(b -> b instanceof JsonValue.JsonBoolean jb && jb.value())
                    .isPresent();
            boolean masked = member(u, "mask")
                    .filter(b -> b instanceof JsonValue.JsonBoolean jb && jb.value())
                    .isPresent();
            Optional<String> contents = string(u, "contents");
            contents.ifPresent(c -> {
                Optional<UnitFile> parsed =
                        unit(c, member(u, "contents").orElseThrow().span(), at + ".contents");
                if (enabled
                        && !c.isEmpty()
                        && parsed.isPresent()
                        && !parsed.get().hasSection("Install")) {
                    warning(
                            "IGN-UNIT-INSTALL",
                            member(u, "contents").orElseThrow().span(),
                            at + ".contents",
                            "unit '" + name + "' is enabled but has no [Install] section, so enabling does nothing",
                            "add [Install] with WantedBy=multi-user.target (or what it should start with)");
                }
            });
            units.add(new HostConfig.Unit(
                    name,
                    Optional.empty(),
                    enabled,
                    masked,
                    contents,
                    u.span(),
                    member(u, "contents").map(JsonValue::span).orElse(u.span()),
                    OptionalInt.empty()));
            Map<String, String> seenDropins = new HashMap<>();
            List<JsonValue.JsonObject> dropins = objects(u, "dropins");
            for (int d = 0; d < dropins.size(); d++) {
                JsonValue.JsonObject di = dropins.get(d);
                String dat = at + ".dropins." + d;
                String dname = string(di, "name").orElse("");
                if (!dname.endsWith(".conf")) {
                    error(
                            "IGN-DROPIN-NAME",
                            member(di, "name").map(JsonValue::span).orElse(di.span()),
                            dat + ".name",
                            dname.isEmpty()
                                    ? "a drop-in needs a name"
                                    : "drop-in '" + dname + "' does not end in .conf",
                            "systemd reads only *.conf drop-ins: name it e.g. 20-local.conf");
                }
                duplicate(seenDropins, dname, di.span(), dat);
                Optional<String> dc = string(di, "contents");
                dc.ifPresent(c -> unit(c, member(di, "contents").orElseThrow().span(), dat + ".contents"));
                units.add(new HostConfig.Unit(
                        name,
                        Optional.of(dname),
                        enabled,
                        masked,
                        dc,
                        di.span(),
                        member(di, "contents").map(JsonValue::span).orElse(di.span()),
                        OptionalInt.empty()));
            }
        }
    }

    private Optional<UnitFile> unit(String text, SourceSpan span, String at) {
        try {
            return Optional.of(UnitFile.parse(text));
        } catch (UnitFile.Malformed m) {
            error(
                    "IGN-UNIT-CONTENT",
                    span,
                    at,
                    "the unit does not parse: " + m.getMessage() + " (line " + m.line + " of the unit)",
                    "systemd would refuse it");
            return Optional.empty();
        }
    }

    private void passwd(JsonValue.JsonObject passwd, String path) {
        for (String kind : List.of("users", "groups")) {
            Map<String, String> seen = new HashMap<>();
            List<JsonValue.JsonObject> list = objects(passwd, kind);
            for (int i = 0; i < list.size(); i++) {
                JsonValue.JsonObject u = list.get(i);
                String at = path + "." + kind + "." + i;
                String name = string(u, "name").orElse("");
                if (name.isEmpty()) {
                    error(
                            "IGN-NAME",
                            u.span(),
                            at + ".name",
                            "a " + kind.substring(0, kind.length() - 1) + " needs a name",
                            "");
                }
                duplicate(seen, name, u.span(), at);
                if (kind.equals("users")) {
                    List<String> groups = new ArrayList<>();
                    list(u, "groups").forEach(g -> text(g).ifPresent(groups::add));
                    users.add(new HostConfig.User(name, groups, u.span()));
                    Map<String, String> keys = new HashMap<>();
                    List<JsonValue> sshKeys = list(u, "sshAuthorizedKeys");
                    for (int k = 0; k < sshKeys.size(); k++) {
                        duplicate(
                                keys,
                                text(sshKeys.get(k)).orElse(""),
                                sshKeys.get(k).span(),
                                at + ".sshAuthorizedKeys." + k);
                    }
                }
            }
        }
    }

    private void ignitionSection(JsonValue.JsonObject ignition) {
        object(ignition, "config").ifPresent(c -> {
            List<JsonValue.JsonObject> merge = objects(c, "merge");
            for (int i = 0; i < merge.size(); i++) {
                sourceRequired(merge.get(i), "$.ignition.config.merge." + i);
                resource(merge.get(i), "$.ignition.config.merge." + i);
            }
            object(c, "replace").ifPresent(r -> resource(r, "$.ignition.config.replace"));
        });
        object(ignition, "security").flatMap(s -> object(s, "tls")).ifPresent(t -> {
            List<JsonValue.JsonObject> cas = objects(t, "certificateAuthorities");
            for (int i = 0; i < cas.size(); i++) {
                sourceRequired(cas.get(i), "$.ignition.security.tls.certificateAuthorities." + i);
                resource(cas.get(i), "$.ignition.security.tls.certificateAuthorities." + i);
            }
        });
        object(ignition, "proxy").ifPresent(p -> {
            for (String key : List.of("httpProxy", "httpsProxy")) {
                string(p, key).filter(v -> !v.isEmpty()).ifPresent(v -> {
                    SourceSpan vs = member(p, key).orElseThrow().span();
                    if (!v.matches("(?i)https?://.+")) {
                        error(
                                "IGN-PROXY",
                                vs,
                                "$.ignition.proxy." + key,
                                "proxies must be http:// or https:// URLs",
                                "");
                    } else if (key.equals("httpsProxy") && v.regionMatches(true, 0, "http://", 0, 7)) {
                        warning(
                                "IGN-PROXY",
                                vs,
                                "$.ignition.proxy." + key,
                                "a plaintext http:// proxy for https resources",
                                "the proxy sees which hosts are fetched; use an https:// proxy if there is one");
                    }
                });
            }
        });
    }

    /** From spec 3.1, config merges and certificate authorities need a source. */
    private void sourceRequired(JsonValue.JsonObject r, String at) {
        if (minor >= 1 && string(r, "source").filter(s -> !s.isEmpty()).isEmpty()) {
            error("IGN-SOURCE", r.span(), at, "a source is required here", "give the URL of the config or certificate");
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Reports {@code key} when it was seen before (the first occurrence is fine, later ones are not). */
    private void duplicate(Map<String, String> seen, String key, SourceSpan span, String at) {
        String first = seen.putIfAbsent(key, at);
        if (first != null) {
            error(
                    "IGN-DUPLICATE",
                    span,
                    at,
                    (key.isEmpty() ? "a second entry without a name" : "'" + key + "' is defined again") + " (first at "
                            + first + ")",
                    "Ignition refuses the config: keep one entry");
        }
    }

    private void add(Severity severity, String id, SourceSpan span, String path, String message, String hint) {
        findings.add(new Finding(id, severity, file, Optional.of(span), path + ": " + message, hint));
    }

    private void error(String id, SourceSpan span, String path, String message, String hint) {
        findings.add(new Finding(id, Severity.ERROR, file, Optional.of(span), path + ": " + message, hint));
    }

    private void warning(String id, SourceSpan span, String path, String message, String hint) {
        findings.add(new Finding(id, Severity.WARNING, file, Optional.of(span), path + ": " + message, hint));
    }
}
