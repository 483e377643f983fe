package dev.stockade.registry;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One authentication challenge from a {@code WWW-Authenticate} header (RFC 7235 section 4.1):
 * {@code Bearer realm="https://auth.example/token",service="registry.example",scope="repository:team/app:pull"}.
 * The scheme is lower-cased, parameter names too; values keep their case with quoting removed.
 */
public record Challenge(String scheme, Map<String, String> params) {

    public Challenge {
        Objects.requireNonNull(scheme, "scheme");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name));
    }

    /**
     * Every challenge in the header values (a response may send several headers, and one header may
     * hold several challenges separated by commas). Parameters may be tokens or quoted strings with
     * backslash escapes; quoted values may hold commas ({@code scope="repository:a:pull,push"}).
     * Text that does not parse ends the challenge it is in; what was read before it is kept.
     */
    public static List<Challenge> parse(List<String> headers) {
        List<Challenge> out = new ArrayList<>();
        for (String h : headers) {
            new Parser(h).challenges(out);
        }
        return out;
    }

    public static List<Challenge> parse(String header) {
        return parse(List.of(header));
    }

    /** A small cursor over one header value. */
    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        void challenges(List<Challenge> out) {
            while (true) {
                skip(", \t");
                String scheme = token();
                if (scheme.isEmpty()) {
                    return;
                }
                Map<String, String> params = new LinkedHashMap<>();
                params(params);
                out.add(new Challenge(scheme.toLowerCase(Locale.ROOT), params));
            }
        }

        /**
         * auth-params up to the next challenge's scheme (a token not followed by '='). A token68
         * right after the scheme ({@code Negotiate abc==}) is skipped: it carries no parameters.
         */
        private void params(Map<String, String> params) {
            boolean first = true;
            while (true) {
                skip(" \t");
                int start = i;
                String name = token();
                skip(" \t");
                boolean equals = i < s.length() && s.charAt(i) == '=';
                if (name.isEmpty() || !equals) {
                    if (!(first && !name.isEmpty() && (i >= s.length() || s.charAt(i) == ','))) {
                        i = start; // the next challenge's scheme, or the end
                    }
                    return;
                }
                i++;
                skip(" \t");
                if (i >= s.length() || s.charAt(i) == ',' || s.charAt(i) == '=') {
                    skip("="); // a token68 with padding
                    return;
                }
                String value = s.charAt(i) == '"' ? quoted() : token();
                params.putIfAbsent(name.toLowerCase(Locale.ROOT), value);
                first = false;
                skip(" \t");
                if (i >= s.length() || s.charAt(i) != ',') {
                    return;
                }
                i++;
            }
        }

        private String quoted() {
            StringBuilder b = new StringBuilder();
            i++; // opening quote
            while (i < s.length()) {
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c == '\\' && i < s.length()) {
                    c = s.charAt(i++);
                }
                b.append(c);
            }
            return b.toString(); // unterminated: what there is
        }

        private String token() {
            int start = i;
            while (i < s.length() && isTokenChar(s.charAt(i))) {
                i++;
            }
            return s.substring(start, i);
        }

        private void skip(String chars) {
            while (i < s.length() && chars.indexOf(s.charAt(i)) >= 0) {
                i++;
            }
        }

        private static boolean isTokenChar(char c) {
            return c > 0x20 && c < 0x7f && "()<>@,;:\\\"/[]?={} \t".indexOf(c) < 0;
        }
    }
}
