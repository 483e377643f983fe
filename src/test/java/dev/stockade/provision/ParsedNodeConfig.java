package dev.stockade.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * What a node gets from one provisioning document, read back the way the node's first-boot tool
 * reads it: Ignition (spec 3.x JSON, file contents as data URLs, modes as decimal numbers) or
 * coreos-cloudinit's {@code #cloud-config} (YAML, octal mode strings, top-level
 * {@code ssh_authorized_keys} meaning the {@code core} user). Both parsers are strict: a key they do
 * not know, a duplicate key, a second entry for the same path, unit or user fails the test, so a
 * field the renderer adds or renames cannot slip past the assertions built on this model.
 *
 * @param authorizedKeys per user name, the SSH keys in the order given
 * @param files per absolute path
 * @param units per unit name
 */
public record ParsedNodeConfig(
        String format,
        Optional<String> hostname,
        Map<String, List<String>> authorizedKeys,
        Map<String, FileEntry> files,
        Map<String, UnitEntry> units) {

    /** A file as the node writes it: permission bits, owner and group names, contents. */
    public record FileEntry(String path, int mode, String user, String group, String contents) {}

    /**
     * A unit as the node's systemd sees it after provisioning.
     *
     * @param contents the unit file itself, when the document defines it
     * @param dropins drop-in file name to contents
     * @param command the cloud-config {@code command} run after writing (Ignition has none)
     */
    public record UnitEntry(
            String name,
            boolean enabled,
            boolean masked,
            Optional<String> contents,
            Map<String, String> dropins,
            Optional<String> command) {}

    public Optional<FileEntry> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    public FileEntry requireFile(String path) {
        return file(path)
                .orElseThrow(() -> new AssertionError(format + " writes no " + path + "; it writes " + files.keySet()));
    }

    public UnitEntry requireUnit(String name) {
        return Optional.ofNullable(units.get(name))
                .orElseThrow(() -> new AssertionError(format + " has no unit " + name + "; it has " + units.keySet()));
    }

    // ---------------------------------------------------------------- Ignition

    /** Reads an Ignition 3.x config as JSON (not YAML), refusing duplicate keys. */
    public static ParsedNodeConfig ignition(String json) {
        Map<String, Object> root = map(readJson(json), "ignition config");
        only(root, "ignition config", Set.of("ignition", "passwd", "storage", "systemd"));
        Map<String, Object> ign = map(root.get("ignition"), "ignition");
        only(ign, "ignition", Set.of("version"));
        assertTrue(
                String.valueOf(ign.get("version")).matches("3\\.[0-4]\\.0"), "Ignition version " + ign.get("version"));

        Map<String, List<String>> keys = new LinkedHashMap<>();
        if (root.containsKey("passwd")) {
            Map<String, Object> passwd = map(root.get("passwd"), "passwd");
            only(passwd, "passwd", Set.of("users"));
            for (Object o : list(passwd.get("users"), "passwd.users")) {
                Map<String, Object> u = map(o, "passwd.users[]");
                only(u, "passwd.users[]", Set.of("name", "sshAuthorizedKeys"));
                String name = string(u.get("name"), "passwd.users[].name");
                List<String> k = new ArrayList<>();
                for (Object key : list(u.getOrDefault("sshAuthorizedKeys", List.of()), "sshAuthorizedKeys")) {
                    k.add(string(key, "sshAuthorizedKeys[]"));
                }
                assertTrue(keys.put(name, k) == null, "user " + name + " is listed twice");
            }
        }

        Map<String, FileEntry> files = new LinkedHashMap<>();
        if (root.containsKey("storage")) {
            Map<String, Object> storage = map(root.get("storage"), "storage");
            only(storage, "storage", Set.of("files"));
            for (Object o : list(storage.get("files"), "storage.files")) {
                Map<String, Object> f = map(o, "storage.files[]");
                only(f, "storage.files[]", Set.of("path", "mode", "overwrite", "user", "group", "contents"));
                String path = string(f.get("path"), "storage.files[].path");
                assertTrue(path.startsWith("/"), "relative path " + path);
                Object mode = f.get("mode");
                assertTrue(mode instanceof Integer, path + ": mode is a JSON number, not " + mode);
                assertEquals(true, f.get("overwrite"), path + ": overwrite");
                Map<String, Object> user = map(f.get("user"), path + " user");
                Map<String, Object> group = map(f.get("group"), path + " group");
                only(user, path + " user", Set.of("name"));
                only(group, path + " group", Set.of("name"));
                Map<String, Object> contents = map(f.get("contents"), path + " contents");
                only(contents, path + " contents", Set.of("source"));
                FileEntry entry = new FileEntry(
                        path,
                        (Integer) mode,
                        string(user.get("name"), path + " user.name"),
                        string(group.get("name"), path + " group.name"),
                        dataUrl(string(contents.get("source"), path + " source")));
                assertTrue(files.put(path, entry) == null, path + " is written twice");
            }
        }

        Map<String, UnitEntry> units = new LinkedHashMap<>();
        if (root.containsKey("systemd")) {
            Map<String, Object> systemd = map(root.get("systemd"), "systemd");
            only(systemd, "systemd", Set.of("units"));
            for (Object o : list(systemd.get("units"), "systemd.units")) {
                Map<String, Object> u = map(o, "systemd.units[]");
                only(u, "systemd.units[]", Set.of("name", "enabled", "mask", "contents", "dropins"));
                String name = string(u.get("name"), "systemd.units[].name");
                Map<String, String> dropins = new LinkedHashMap<>();
                for (Object d : list(u.getOrDefault("dropins", List.of()), name + " dropins")) {
                    Map<String, Object> dm = map(d, name + " dropins[]");
                    only(dm, name + " dropins[]", Set.of("name", "contents"));
                    assertTrue(
                            dropins.put(string(dm.get("name"), "dropin name"), string(dm.get("contents"), "contents"))
                                    == null,
                            name + ": a drop-in is listed twice");
                }
                UnitEntry entry = new UnitEntry(
                        name,
                        bool(u.get("enabled"), name + ".enabled"),
                        bool(u.get("mask"), name + ".mask"),
                        Optional.ofNullable(u.get("contents")).map(c -> string(c, name + ".contents")),
                        dropins,
                        Optional.empty());
                assertTrue(units.put(name, entry) == null, "unit " + name + " is listed twice");
            }
        }
        Optional<String> hostname = Optional.ofNullable(files.get("/etc/hostname"))
                .map(f -> f.contents().strip());
        return new ParsedNodeConfig("ignition", hostname, keys, files, units);
    }

    /**
     * Decodes an RFC 2397 data URL as Ignition does: {@code data:[mediatype][;base64],payload}, the
     * payload percent-decoded ({@code +} stays a plus: this is not form encoding).
     */
    static String dataUrl(String url) {
        assertTrue(url.startsWith("data:"), "not a data URL: " + url);
        int comma = url.indexOf(',');
        assertTrue(comma > 0, "data URL without a comma");
        String meta = url.substring("data:".length(), comma);
        String payload = url.substring(comma + 1);
        if (meta.endsWith(";base64")) {
            return new String(java.util.Base64.getDecoder().decode(payload), StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(payload.length());
        for (int i = 0; i < payload.length(); i++) {
            char c = payload.charAt(i);
            if (c == '%') {
                assertTrue(i + 2 < payload.length(), "truncated escape in data URL");
                bytes.write(Integer.parseInt(payload.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                assertTrue(c < 0x80, "a data URL is ASCII");
                bytes.write(c);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static Object readJson(String json) {
        JsonFactory factory = new JsonFactory().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        try (JsonParser p = factory.createParser(json)) {
            Object value = value(p, p.nextToken());
            assertTrue(p.nextToken() == null, "text after the JSON document");
            return value;
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }

    private static Object value(JsonParser p, JsonToken t) throws IOException {
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                for (JsonToken k = p.nextToken(); k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    String name = p.currentName();
                    m.put(name, value(p, p.nextToken()));
                }
                return m;
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(p, e));
                }
                return l;
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getIntValue();
            case VALUE_TRUE:
                return true;
            case VALUE_FALSE:
                return false;
            case VALUE_NULL:
                return null;
            default:
                throw new AssertionError("unexpected JSON token " + t);
        }
    }

    // ---------------------------------------------------------------- cloud-config

    /** Reads a {@code #cloud-config} document as coreos-cloudinit would, refusing duplicate keys. */
    public static ParsedNodeConfig cloudConfig(String yaml) {
        assertTrue(yaml.startsWith("#cloud-config\n"), "coreos-cloudinit needs '#cloud-config' on the first line");
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Map<String, Object> root =
                map(new Yaml(new SafeConstructor(options)).load(new StringReader(yaml)), "cloud-config");
        only(root, "cloud-config", Set.of("hostname", "ssh_authorized_keys", "users", "write_files", "coreos"));

        Map<String, List<String>> keys = new LinkedHashMap<>();
        if (root.containsKey("ssh_authorized_keys")) {
            keys.put("core", strings(root.get("ssh_authorized_keys"), "ssh_authorized_keys"));
        }
        for (Object o : list(root.getOrDefault("users", List.of()), "users")) {
            Map<String, Object> u = map(o, "users[]");
            only(u, "users[]", Set.of("name", "ssh_authorized_keys"));
            String name = string(u.get("name"), "users[].name");
            List<String> k = strings(u.getOrDefault("ssh_authorized_keys", List.of()), name + " keys");
            keys.computeIfAbsent(name, n -> new ArrayList<>()).addAll(k);
        }

        Map<String, FileEntry> files = new LinkedHashMap<>();
        for (Object o : list(root.getOrDefault("write_files", List.of()), "write_files")) {
            Map<String, Object> f = map(o, "write_files[]");
            only(f, "write_files[]", Set.of("path", "permissions", "owner", "content"));
            String path = string(f.get("path"), "write_files[].path");
            assertTrue(path.startsWith("/"), "relative path " + path);
            String perms = string(f.get("permissions"), path + " permissions");
            assertTrue(perms.matches("0[0-7]{3}"), path + ": permissions '" + perms + "' are not an octal string");
            String owner = string(f.get("owner"), path + " owner");
            String[] ug = owner.split(":", -1);
            assertEquals(2, ug.length, path + ": owner is user:group, not " + owner);
            FileEntry entry = new FileEntry(
                    path, Integer.parseInt(perms, 8), ug[0], ug[1], string(f.get("content"), path + " content"));
            assertTrue(files.put(path, entry) == null, path + " is written twice");
        }

        Map<String, UnitEntry> units = new LinkedHashMap<>();
        if (root.containsKey("coreos")) {
            Map<String, Object> coreos = map(root.get("coreos"), "coreos");
            only(coreos, "coreos", Set.of("units"));
            for (Object o : list(coreos.get("units"), "coreos.units")) {
                Map<String, Object> u = map(o, "coreos.units[]");
                only(u, "coreos.units[]", Set.of("name", "enable", "mask", "command", "content", "drop_ins"));
                String name = string(u.get("name"), "coreos.units[].name");
                Map<String, String> dropins = new LinkedHashMap<>();
                for (Object d : list(u.getOrDefault("drop_ins", List.of()), name + " drop_ins")) {
                    Map<String, Object> dm = map(d, name + " drop_ins[]");
                    only(dm, name + " drop_ins[]", Set.of("name", "content"));
                    assertTrue(
                            dropins.put(string(dm.get("name"), "drop-in name"), string(dm.get("content"), "content"))
                                    == null,
                            name + ": a drop-in is listed twice");
                }
                Optional<String> command = Optional.ofNullable(u.get("command")).map(c -> string(c, name + ".command"));
                command.ifPresent(c -> assertTrue(
                        Set.of(
                                        "start",
                                        "stop",
                                        "restart",
                                        "reload",
                                        "try-restart",
                                        "reload-or-restart",
                                        "reload-or-try-restart")
                                .contains(c),
                        name + ": unknown command " + c));
                UnitEntry entry = new UnitEntry(
                        name,
                        bool(u.get("enable"), name + ".enable"),
                        bool(u.get("mask"), name + ".mask"),
                        Optional.ofNullable(u.get("content")).map(c -> string(c, name + ".content")),
                        dropins,
                        command);
                assertTrue(units.put(name, entry) == null, "unit " + name + " is listed twice");
            }
        }
        Optional<String> hostname = Optional.ofNullable(root.get("hostname")).map(h -> string(h, "hostname"));
        return new ParsedNodeConfig("cloud-config", hostname, keys, files, units);
    }

    // ---------------------------------------------------------------- shape checks

    private static void only(Map<String, Object> m, String where, Set<String> known) {
        for (String k : m.keySet()) {
            assertTrue(known.contains(k), where + ": unexpected key '" + k + "' (known: " + known + ")");
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) {
        assertTrue(o instanceof Map, where + " is not a mapping: " + o);
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> list(Object o, String where) {
        assertTrue(o instanceof List, where + " is not a list: " + o);
        return (List<Object>) o;
    }

    private static List<String> strings(Object o, String where) {
        List<String> out = new ArrayList<>();
        for (Object e : list(o, where)) {
            out.add(string(e, where + "[]"));
        }
        return out;
    }

    private static String string(Object o, String where) {
        assertTrue(o instanceof String, where + " is not a string: " + o);
        return (String) o;
    }

    private static boolean bool(Object o, String where) {
        if (o == null) {
            return false;
        }
        assertTrue(o instanceof Boolean, where + " is not a boolean: " + o);
        return (Boolean) o;
    }
}
