package dev.stockade.nftables;

import dev.stockade.report.Problems;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits nft's text syntax into located tokens: words (names, numbers, addresses, prefixes,
 * ranges, {@code @set} references), double-quoted strings, punctuation and line ends. A {@code #}
 * outside a string starts a comment to the end of the line (the {@code #!} line, nft's
 * {@code # handle N}). One pass, no regular expressions, no recursion.
 */
final class NftTokenizer {

    enum Kind {
        WORD,
        STRING,
        PUNCT,
        NEWLINE
    }

    record Token(Kind kind, String text, int line, int column) {
        boolean is(String s) {
            return kind != Kind.STRING && text.equals(s);
        }

        boolean isWord() {
            return kind == Kind.WORD;
        }

        /** The token as nft syntax: strings in their quotes. */
        String source() {
            return kind == Kind.STRING ? '"' + text + '"' : text;
        }
    }

    private NftTokenizer() {}

    static boolean wordChar(char c) {
        return (c >= 'a' && c <= 'z')
                || (c >= 'A' && c <= 'Z')
                || (c >= '0' && c <= '9')
                || c == '_'
                || c == '.'
                || c == ':'
                || c == '/'
                || c == '-'
                || c == '*'
                || c == '@'
                || c == '$'
                || c == '%'
                || c == '\\';
    }

    /** The tokens of {@code text}; an unterminated string or a stray character is reported and skipped. */
    static List<Token> tokens(String text, Problems problems) {
        List<Token> out = new ArrayList<>();
        int line = 1;
        int lineStart = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            int col = i - lineStart + 1;
            if (c == '\n') {
                out.add(new Token(Kind.NEWLINE, "\n", line, col));
                line++;
                lineStart = i + 1;
                i++;
            } else if (c == ' ' || c == '\t' || c == '\r') {
                i++;
            } else if (c == '#') {
                while (i < n && text.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '\\' && i + 1 < n && text.charAt(i + 1) == '\n') {
                i++; // a line continued
                line++;
                lineStart = i + 1;
                i++;
            } else if (c == '"') {
                int end = i + 1;
                while (end < n && text.charAt(end) != '"' && text.charAt(end) != '\n') {
                    end++;
                }
                if (end >= n || text.charAt(end) != '"') {
                    problems.error(
                            problems.at(line, col),
                            "NFT-SYNTAX",
                            "string not closed on its line",
                            "end the string with '\"'");
                    out.add(new Token(Kind.STRING, text.substring(i + 1, end), line, col));
                    i = end;
                } else {
                    out.add(new Token(Kind.STRING, text.substring(i + 1, end), line, col));
                    i = end + 1;
                }
            } else if (wordChar(c)) {
                int end = i;
                while (end < n && wordChar(text.charAt(end))) {
                    end++;
                }
                out.add(new Token(Kind.WORD, text.substring(i, end), line, col));
                i = end;
            } else if ((c == '!' || c == '=' || c == '<' || c == '>') && i + 1 < n && text.charAt(i + 1) == '=') {
                out.add(new Token(Kind.PUNCT, text.substring(i, i + 2), line, col));
                i += 2;
            } else if ((c == '<' || c == '>') && i + 1 < n && text.charAt(i + 1) == c) {
                out.add(new Token(Kind.PUNCT, text.substring(i, i + 2), line, col));
                i += 2;
            } else if ("{};,!=<>&|^()[]+".indexOf(c) >= 0) {
                out.add(new Token(Kind.PUNCT, String.valueOf(c), line, col));
                i++;
            } else {
                problems.error(
                        problems.at(line, col),
                        "NFT-SYNTAX",
                        "unexpected character '"
                                + (Character.isISOControl(c) ? "\\u" + Integer.toHexString(c) : String.valueOf(c))
                                + "'",
                        "");
                i++;
            }
        }
        return out;
    }
}
