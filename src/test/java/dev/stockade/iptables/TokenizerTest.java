package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenizerTest {

    @Test
    void split_quotesGroupWordsAndKeepColumns() throws Exception {
        List<Tokenizer.Token> t = Tokenizer.split("-A INPUT -m comment --comment \"ssh from 'office'\" -j ACCEPT");
        assertEquals(
                List.of("-A", "INPUT", "-m", "comment", "--comment", "ssh from 'office'", "-j", "ACCEPT"),
                t.stream().map(Tokenizer.Token::text).toList());
        assertEquals(1, t.get(0).column());
        assertEquals(31, t.get(5).column());
        assertTrue(t.get(5).quoted());
        assertFalse(t.get(4).quoted());
    }

    @Test
    void split_escapesOnlyInsideDoubleQuotes_blanksAndTabsSeparate() throws Exception {
        List<Tokenizer.Token> t = Tokenizer.split("a\t\"x\\\"y\"  'p\\q' b\"c d\"e");
        assertEquals(
                List.of("a", "x\"y", "p\\q", "bc de"),
                t.stream().map(Tokenizer.Token::text).toList());
        assertEquals(
                List.of(1, 3, 11, 17), t.stream().map(Tokenizer.Token::column).toList());
    }

    @Test
    void split_unterminatedQuote_columnOfTheQuote() {
        Tokenizer.UnterminatedQuote e =
                assertThrows(Tokenizer.UnterminatedQuote.class, () -> Tokenizer.split("-A X --comment \"open"));
        assertEquals(16, e.column);
    }

    @Test
    void words_blanksOnly_quotesArePlain() {
        List<Tokenizer.Token> t = Tokenizer.words(":my\"chain - [0:0]");
        assertEquals(
                List.of(":my\"chain", "-", "[0:0]"),
                t.stream().map(Tokenizer.Token::text).toList());
        assertEquals(List.of(1, 11, 13), t.stream().map(Tokenizer.Token::column).toList());
        assertTrue(Tokenizer.words("  \t ").isEmpty());
    }

    @Test
    void token_optionUnlessQuotedOrNegativeNumber() throws Exception {
        List<Tokenizer.Token> t = Tokenizer.split("--dport \"-x\" -5 - ! -j");
        assertTrue(t.get(0).isOption());
        assertFalse(t.get(1).isOption(), "a quoted word is a value");
        assertFalse(t.get(2).isOption(), "a negative number is a value");
        assertFalse(t.get(3).isOption());
        assertTrue(t.get(4).is("!"));
        assertTrue(t.get(5).is("-j"));
        assertFalse(Tokenizer.split("\"!\"").get(0).is("!"));
    }
}
