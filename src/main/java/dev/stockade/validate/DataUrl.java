package dev.stockade.validate;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * RFC 2397 {@code data:} URLs as Ignition decodes them: an optional media type and parameters, an
 * optional {@code ;base64}, a comma, then the data, percent-encoded or in base64.
 */
final class DataUrl {

    /** Printable ASCII that must still be percent-encoded, indexed from '!' (0x21). */
    private static final boolean[] UNSAFE = new boolean[0x7e - 0x21 + 1];

    static {
        for (char c : "<>#\"{}|\\^[]`".toCharArray()) {
            UNSAFE[c - 0x21] = true;
        }
    }

    /** The value of each hexadecimal digit by its byte, -1 for other bytes. */
    private static final int[] HEX = new int[256];

    static {
        Arrays.fill(HEX, -1);
        for (int d = 0; d < 16; d++) {
            HEX[Character.forDigit(d, 16)] = d;
            HEX[Character.toUpperCase(Character.forDigit(d, 16))] = d;
        }
    }

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
        // one pass over bytes: configs carry whole rules files here. A character beyond Latin-1
        // becomes '?' in this copy, so every '?' is checked against the text itself
        byte[] in = data.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[in.length];
        int n = 0;
        for (int i = 0; i < in.length; i++) {
            int c = in[i] & 0xff;
            if (c == '%') {
                int hi = i + 2 < in.length ? HEX[in[i + 1] & 0xff] : -2;
                int lo = i + 2 < in.length ? HEX[in[i + 2] & 0xff] : -2;
                if (hi == -2) {
                    throw new Malformed("a '%' escape is cut short at character " + (comma + 2 + i));
                }
                if (hi < 0 || lo < 0) {
                    throw new Malformed("'%" + data.substring(i + 1, i + 3) + "' is not a percent escape");
                }
                out[n++] = (byte) (hi * 16 + lo);
                i += 2;
            } else if (c < 0x21 || c > 0x7e || UNSAFE[c - 0x21] || (c == '?' && data.charAt(i) != '?')) {
                char bad = data.charAt(i);
                throw new Malformed("character " + (comma + 2 + i) + " ('"
                        + (bad < 0x21 ? "\\u" + Integer.toHexString(bad) : bad) + "') must be percent-encoded");
            } else {
                out[n++] = (byte) c; // printable ASCII, one byte
            }
        }
        return Arrays.copyOf(out, n);
    }
}
