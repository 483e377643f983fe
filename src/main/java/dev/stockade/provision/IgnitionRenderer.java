package dev.stockade.provision;

import dev.stockade.json.JsonWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link NodePlan} as an Ignition config, spec 3.3.0 (read by Flatcar and Fedora CoreOS,
 * and checked by {@code ignition-validate}). File contents travel as RFC 2397 data URLs with
 * percent-encoding, so the config stays self-contained and diffable.
 */
public final class IgnitionRenderer {

    public static final String VERSION = "3.3.0";

    private IgnitionRenderer() {}

    public static String render(NodePlan plan) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("ignition", Map.of("version", VERSION));
        if (!plan.sshKeys().isEmpty()) {
            Map<String, Object> core = new LinkedHashMap<>();
            core.put("name", "core");
            core.put("sshAuthorizedKeys", plan.sshKeys());
            root.put("passwd", Map.of("users", List.of(core)));
        }
        List<Object> files = new ArrayList<>();
        for (ProvisionedFile f : plan.files()) {
            files.add(file(f));
        }
        root.put("storage", Map.of("files", files));
        List<Object> units = new ArrayList<>();
        for (Unit u : plan.units()) {
            units.add(unit(u));
        }
        root.put("systemd", Map.of("units", units));
        return JsonWriter.write(root);
    }

    private static Map<String, Object> file(ProvisionedFile f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", f.path());
        m.put("mode", f.mode());
        m.put("overwrite", true);
        m.put("user", Map.of("name", f.owner()));
        m.put("group", Map.of("name", f.owner()));
        m.put("contents", Map.of("source", dataUrl(f.contents())));
        return m;
    }

    private static Map<String, Object> unit(Unit u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", u.name());
        if (u.mask()) {
            m.put("mask", true);
        }
        if (u.enable()) {
            m.put("enabled", true);
        }
        u.contents().ifPresent(c -> m.put("contents", c));
        if (!u.dropins().isEmpty()) {
            List<Object> dropins = new ArrayList<>();
            for (Unit.Dropin d : u.dropins()) {
                Map<String, Object> dm = new LinkedHashMap<>();
                dm.put("name", d.name());
                dm.put("contents", d.contents());
                dropins.add(dm);
            }
            m.put("dropins", dropins);
        }
        return m;
    }

    /** {@code data:,} followed by the UTF-8 bytes, everything but RFC 3986 unreserved characters escaped. */
    static String dataUrl(String contents) {
        byte[] bytes = contents.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder(bytes.length * 2 + 6).append("data:,");
        for (byte b : bytes) {
            int c = b & 0xFF;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '.'
                    || c == '_'
                    || c == '~') {
                sb.append((char) c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return sb.toString();
    }
}
