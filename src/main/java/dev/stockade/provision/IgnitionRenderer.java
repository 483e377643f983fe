package dev.stockade.provision;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.stockade.json.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Renders a {@link NodePlan} as an Ignition config, spec 3.3.0 (read by Flatcar and Fedora CoreOS,
 * and checked by {@code ignition-validate}). File contents travel as RFC 2397 data URLs with
 * percent-encoding, so the config stays self-contained and diffable.
 */
public final class IgnitionRenderer {

    public static final String VERSION = "3.3.0";

    private IgnitionRenderer() {}

    public static String render(NodePlan plan) {
        return Json.object(g -> {
            g.writeObjectFieldStart("ignition");
            g.writeStringField("version", VERSION);
            g.writeEndObject();
            if (!plan.sshKeys().isEmpty()) {
                g.writeObjectFieldStart("passwd");
                g.writeArrayFieldStart("users");
                g.writeStartObject();
                g.writeStringField("name", "core");
                g.writeArrayFieldStart("sshAuthorizedKeys");
                for (String key : plan.sshKeys()) {
                    g.writeString(key);
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeObjectFieldStart("storage");
            g.writeArrayFieldStart("files");
            for (ProvisionedFile f : plan.files()) {
                file(g, f);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("systemd");
            g.writeArrayFieldStart("units");
            for (Unit u : plan.units()) {
                unit(g, u);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private static void file(JsonGenerator g, ProvisionedFile f) throws IOException {
        g.writeStartObject();
        g.writeStringField("path", f.path());
        g.writeNumberField("mode", f.mode());
        g.writeBooleanField("overwrite", true);
        g.writeObjectFieldStart("user");
        g.writeStringField("name", f.owner());
        g.writeEndObject();
        g.writeObjectFieldStart("group");
        g.writeStringField("name", f.owner());
        g.writeEndObject();
        g.writeObjectFieldStart("contents");
        g.writeStringField("source", dataUrl(f.contents()));
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void unit(JsonGenerator g, Unit u) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", u.name());
        if (u.mask()) {
            g.writeBooleanField("mask", true);
        }
        if (u.enable()) {
            g.writeBooleanField("enabled", true);
        }
        if (u.contents().isPresent()) {
            g.writeStringField("contents", u.contents().get());
        }
        if (!u.dropins().isEmpty()) {
            g.writeArrayFieldStart("dropins");
            for (Unit.Dropin d : u.dropins()) {
                g.writeStartObject();
                g.writeStringField("name", d.name());
                g.writeStringField("contents", d.contents());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        g.writeEndObject();
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
