package dev.stockade.validate;

import java.io.ByteArrayOutputStream;
import java.util.Base64;

/**
 * RFC 2397 {@code data:} URLs as Ignition decodes them: an optional media type and parameters, an
 * optional {@code ;base64}, a comma, then the data, percent-encoded or in base64.
 */
final class DataUrl {

    private DataUrl() {}

    /** Why a data URL does not decode. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String message) {
            super(message);
        }
    }

    static byte[] decode(String url) throws Malformed {
        if (!url.startsWith("data:")) {
            throw new Malformed("a data URL starts with 'data:' (lower case)");
        }
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw new Malformed("no ',' before the data");
        }
        String header = url.substring(5, comma);
        String data = url.substring(comma + 1);
        if (header.endsWith(";base64")) {
            try {
                return Base64.getDecoder().decode(data.replace("\n", ""));
            } catch (IllegalArgumentException e) {
                throw new Malformed("the base64 data does not decode: " + e.getMessage());
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(data.length());
        for (int i = 0; i < data.length(); i++) {
            char c = data.charAt(i);
            if (c == '%') {
                if (i + 2 >= data.length()) {
                    throw new Malformed("a '%' escape is cut short at character " + (comma + 2 + i));
                }
                int hi = Character.digit(data.charAt(i + 1), 16);
                int lo = Character.digit(data.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new Malformed("'%" + data.substring(i + 1, i + 3) + "' is not a percent escape");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c < 0x21 || c > 0x7e || "<>#\"{}|\\^[]`".indexOf(c) >= 0) {
                throw new Malformed("character " + (comma + 2 + i) + " ('"
                        + (c < 0x21 ? "\\u" + Integer.toHexString(c) : c) + "') must be percent-encoded");
            } else {
                out.write(c); // printable ASCII, one byte
            }
        }
        return out.toByteArray();
    }
}
