package dev.stockade.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;

/**
 * Every JSON document Stockade writes (reports, Ignition configs) goes through jackson-core's
 * streaming generator configured here: two-space indents, {@code "key": value}, and control
 * characters (C0, DEL, C1) and the Unicode line separators escaped, so a value can never steer a
 * terminal and the text is also a valid YAML double-quoted scalar. No data binding, no reflection.
 */
public final class Json {

    /** Writes the fields (or elements) of one document. */
    public interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static final JsonFactory FACTORY =
            new JsonFactory().setCharacterEscapes(new SafeEscapes()).disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

    private Json() {}

    /** One pretty-printed JSON object, built by {@code body}, and a final newline. */
    public static void object(Writer out, Body body) {
        write(out, true, g -> {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        });
        newline(out);
    }

    /** The same object as text. */
    public static String object(Body body) {
        StringWriter w = new StringWriter(8192);
        object(w, body);
        return w.toString();
    }

    /** One JSON object on one line (JSON lines), and a newline. */
    public static void line(Writer out, Body body) {
        write(out, false, g -> {
            g.writeStartObject();
            body.write(g);
            g.writeEndObject();
        });
        newline(out);
    }

    /** A JSON string literal, escaped as every document is; also a valid YAML double-quoted scalar. */
    public static String quote(String s) {
        StringWriter w = new StringWriter(s.length() + 2);
        write(w, false, g -> g.writeString(s));
        return w.toString();
    }

    private static void write(Writer out, boolean pretty, Body body) {
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            if (pretty) {
                g.setPrettyPrinter(prettyPrinter());
            }
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void newline(Writer out) {
        try {
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        return new DefaultPrettyPrinter(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withObjectEmptySeparator("")
                        .withArrayEmptySeparator(""))
                .withObjectIndenter(indenter)
                .withArrayIndenter(indenter);
    }

    /** JSON's own escapes plus DEL, C1 controls and U+2028/U+2029. */
    private static final class SafeEscapes extends CharacterEscapes {
        private static final long serialVersionUID = 1L;
        private final int[] ascii;

        SafeEscapes() {
            ascii = standardAsciiEscapesForJSON();
            ascii[0x7f] = ESCAPE_STANDARD;
        }

        @Override
        public int[] getEscapeCodesForAscii() {
            return ascii;
        }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if ((ch >= 0x80 && ch <= 0x9f) || ch == 0x2028 || ch == 0x2029) {
                return new SerializedString(String.format(java.util.Locale.ROOT, "\\u%04x", ch));
            }
            return null;
        }
    }
}
