package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One rule line read on its own (the parser hands the words after {@code -A CHAIN}). */
class RuleReaderTest {

    private final Problems problems = new Problems("f.rules");
    private final List<RuleReader.HostUse> hosts = new ArrayList<>();

    private Optional<Rule> read(String line) throws Exception {
        List<Tokenizer.Token> tokens = Tokenizer.split(line);
        RuleReader reader = new RuleReader(problems, new FamilyClues(null, problems), hosts, 5, tokens, 2);
        return reader.read(tokens.get(1).text(), Optional.empty());
    }

    @Test
    void read_rule_matchesTargetAndPosition() throws Exception {
        Rule r =
                read("-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -m comment --comment \"admin ssh\" -j ACCEPT")
                        .orElseThrow();
        assertEquals("INPUT", r.chain());
        assertEquals("ACCEPT", r.target().orElseThrow().name());
        assertEquals(
                "-A INPUT -s 203.0.113.0/24 -p tcp -m tcp --dport 22 -m comment --comment \"admin ssh\" -j ACCEPT",
                r.toSaveLine());
        assertEquals(5, r.span().orElseThrow().line());
        assertEquals(List.of(), problems.all());
    }

    @Test
    void read_countersAndGoto() throws Exception {
        Rule r = read("-A INPUT -c 3 180 -g other").orElseThrow();
        assertEquals(new Counters(3, 180), r.counters().orElseThrow());
        assertTrue(r.target().orElseThrow().isGoto());
    }

    @Test
    void read_valueWithoutOption_locatedError() throws Exception {
        assertEquals(Optional.empty(), read("-A INPUT stray -j ACCEPT"));
        Diagnostic d = problems.all().get(0);
        assertEquals("unexpected 'stray'", d.message());
        assertEquals("f.rules:5:10", d.span().toString());
    }

    @Test
    void read_hostName_recordedForResolution() throws Exception {
        Rule r = read("-A INPUT ! -s db.example -j DROP").orElseThrow();
        assertEquals(1, hosts.size());
        assertEquals("db.example", hosts.get(0).name());
        assertTrue(hosts.get(0).negated());
        assertTrue(r.matches().get(0) instanceof Match.Host);
    }
}
