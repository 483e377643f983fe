package dev.stockade.json;

/**
 * A JSON syntax error in words a person editing the file can act on. jackson-core's own messages
 * name parser internals ("was expecting double-quote to start field name", feature flags); this
 * maps each kind it reports to a short message and a hint. Unknown kinds keep jackson's first line.
 */
record JsonSyntaxMessage(String message, String hint) {

    private static final String QUOTES = "strings and keys need double quotes";
    private static final String NUMBER = "not a JSON number";

    boolean aboutNumber() {
        return message.equals(NUMBER);
    }

    /** {@code jackson} is the parser's message without location; {@code at} the character it stopped at (0 at the end). */
    static JsonSyntaxMessage explain(String jackson, char at) {
        String shown = at == 0 ? "the end of the file" : "'" + printable(at) + "'";
        if (jackson.startsWith("Unexpected end-of-input")) {
            return jackson.contains("closing quote")
                    ? new JsonSyntaxMessage("unterminated string", "add the closing '\"'")
                    : new JsonSyntaxMessage("unexpected end of file", "check for a missing '}' or ']'");
        }
        if (jackson.contains("start field name")) {
            return new JsonSyntaxMessage(
                    "expected a quoted key, found " + shown,
                    at == '}' ? "remove the trailing comma" : "keys need double quotes");
        }
        if (jackson.contains("maybe a (non-standard) comment")) {
            return new JsonSyntaxMessage("unexpected " + shown, "JSON has no comments; remove them");
        }
        if (jackson.contains("expected a valid value")) {
            return at == ']' || at == '}'
                    ? new JsonSyntaxMessage(
                            "expected a value before " + shown, "remove the trailing comma, or add the value")
                    : new JsonSyntaxMessage("unexpected character " + shown, QUOTES + "; JSON has no comments");
        }
        if (jackson.startsWith("Unrecognized token")) {
            return new JsonSyntaxMessage(
                    "unexpected text " + token(jackson), QUOTES + "; true, false and null are lower case");
        }
        return structure(jackson, shown);
    }

    private static JsonSyntaxMessage structure(String jackson, String shown) {
        if (jackson.contains("expecting a colon")) {
            return new JsonSyntaxMessage("expected ':' after the key, found " + shown, "write \"key\": value");
        }
        if (jackson.contains("separate Object entries")) {
            return new JsonSyntaxMessage("expected ',' or '}', found " + shown, "separate members with commas");
        }
        if (jackson.contains("separate Array entries")) {
            return new JsonSyntaxMessage("expected ',' or ']', found " + shown, "separate list items with commas");
        }
        if (jackson.startsWith("Unexpected close marker")) {
            return new JsonSyntaxMessage("unexpected " + shown + " with nothing open to close", "remove it");
        }
        if (jackson.startsWith("Illegal unquoted character")) {
            return new JsonSyntaxMessage(
                    "control character or line break inside a string", "write it as \\n, \\t or \\u00XX");
        }
        if (jackson.startsWith("Unrecognized character escape")) {
            return new JsonSyntaxMessage(
                    "bad escape in a string", "JSON escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX");
        }
        if (jackson.contains("hex-digit for character escape")) {
            return new JsonSyntaxMessage("bad \\u escape", "write \\u and four hex digits, e.g. \\u00e9");
        }
        if (jackson.contains("numeric value") || jackson.startsWith("Non-standard token")) {
            return new JsonSyntaxMessage(NUMBER, "write numbers like 256, -1 or 1.5e3 (no leading zeros or '+')");
        }
        int end = jackson.indexOf('\n');
        return new JsonSyntaxMessage(end < 0 ? jackson : jackson.substring(0, end), "");
    }

    /** The token jackson quotes in "Unrecognized token 'tru': ...", kept short. */
    private static String token(String jackson) {
        int start = jackson.indexOf('\'');
        int end = jackson.indexOf("':", start + 1);
        if (start < 0 || end < 0) {
            return "";
        }
        String t = jackson.substring(start + 1, end);
        return "'" + (t.length() > 40 ? t.substring(0, 40) + "..." : t) + "'";
    }

    private static String printable(char c) {
        return c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || Character.isSurrogate(c) || c == '\uFEFF'
                ? String.format(java.util.Locale.ROOT, "\\u%04x", (int) c)
                : String.valueOf(c);
    }
}
