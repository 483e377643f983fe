package dev.stockade.iptables;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits one line of iptables-restore input into words the way iptables-restore does: blanks
 * separate words, double or single quotes group them, a backslash escapes a quote inside double
 * quotes. Each word keeps its 1-based column and whether it was quoted (a quoted word is always a
 * value, even if it starts with '-').
 */
final class Tokenizer {

    record Token(String text, int column, boolean quoted) {
        boolean is(String s) {
            return !quoted && text.equals(s);
        }

        boolean isOption() {
            return !quoted && text.length() > 1 && text.charAt(0) == '-' && !Character.isDigit(text.charAt(1));
        }
    }

    /** Thrown for an unterminated quote; {@code column} is where the quote opened. */
    static final class UnterminatedQuote extends Exception {
        final int column;

        UnterminatedQuote(int column) {
            super("unterminated quote", null, false, false);
            this.column = column;
        }
    }

    private Tokenizer() {}

    /**
     * Splits on blanks only, as iptables-restore splits table and chain lines (quotes are plain
     * characters there).
     */
    static List<Token> words(String line) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && isBlank(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isBlank(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(new Token(line.substring(start, i), start + 1, false));
            }
        }
        return out;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }

    static List<Token> split(String line) throws UnterminatedQuote {
        List<Token> out = new ArrayList<>(24);
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            int start = i;
            // most words have no quotes: take them as a substring, without copying char by char
            while (i < n) {
                char d = line.charAt(i);
                if (d == ' ' || d == '\t' || d == '"' || d == '\'') {
                    break;
                }
                i++;
            }
            if (i == n || isBlank(line.charAt(i))) {
                out.add(new Token(line.substring(start, i), start + 1, false));
                continue;
            }
            StringBuilder word = new StringBuilder(line.substring(start, i));
            boolean quoted = false;
            while (i < n && line.charAt(i) != ' ' && line.charAt(i) != '\t') {
                char q = line.charAt(i);
                if (q == '"' || q == '\'') {
                    quoted = true;
                    int open = i++;
                    while (i < n && line.charAt(i) != q) {
                        if (q == '"' && line.charAt(i) == '\\' && i + 1 < n) {
                            i++;
                        }
                        word.append(line.charAt(i++));
                    }
                    if (i >= n) {
                        throw new UnterminatedQuote(open + 1);
                    }
                    i++;
                } else {
                    word.append(q);
                    i++;
                }
            }
            out.add(new Token(word.toString(), start + 1, quoted));
        }
        return out;
    }
}
