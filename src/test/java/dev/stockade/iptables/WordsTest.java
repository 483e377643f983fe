package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Values quoted as iptables-save quotes them, so they read back as the same single value. */
class WordsTest {

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "dport      | 22                | 22",
                "dport      | 1000:2000         | 1000:2000",
                "comment    | admin_ssh-1       | admin_ssh-1",
                "comment    | admin.ssh         | \"admin.ssh\"",
                "comment    | two words         | \"two words\"",
                "log-prefix | drop:             | \"drop:\"",
                "state      | NEW,ESTABLISHED   | NEW,ESTABLISHED",
                "state      | a b               | \"a b\"",
                "set        | !                 | \"!\"",
                "set        | --x               | \"--x\"",
                "set        | -1                | -1",
                "comment    | say \"hi\"        | \"say \\\"hi\\\"\"",
                "name       | back\\slash       | \"back\\\\slash\"",
            })
    void value_quotesOnlyWhenNeeded(String option, String value, String written) {
        assertEquals(written, Words.value(option, value));
    }

    @ParameterizedTest
    @CsvSource({"comment", "dport"})
    void value_empty_writtenAsEmptyQuotes(String option) {
        assertEquals("\"\"", Words.value(option, ""));
    }

    @ParameterizedTest
    @CsvSource({"comment", "dport", "log-prefix"})
    void value_readsBackThroughTheTokenizer(String option) throws Exception {
        for (String v : new String[] {"a b", "q\"uote", "x\\y", "-j", "!", "plain", "tab\there"}) {
            Tokenizer.Token t = Tokenizer.split("--" + option + " " + Words.value(option, v))
                    .get(1);
            assertEquals(v, t.text(), option + " " + v);
        }
    }
}
