package dev.stockade.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.report.Problems;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NftRuleReaderTest {

    private static NftRule read(String text, Problems problems) {
        List<NftTokenizer.Token> tokens = NftTokenizer.tokens(text, problems).stream()
                .filter(t -> t.kind() != NftTokenizer.Kind.NEWLINE)
                .toList();
        return NftRuleReader.read(tokens, problems);
    }

    @Test
    void read_matchesVerdictsAndComment() {
        Problems problems = new Problems("r.nft");
        NftRule r = read(
                "ct state established,related meta l4proto { tcp, udp } th dport >= 1024 counter packets 3"
                        + " bytes 9 log prefix \"x: \" comment \"c\" jump ext",
                problems);
        assertEquals(
                "ct state { established, related } meta l4proto { tcp, udp } th dport >= 1024 counter log prefix \"x: \""
                        + " jump ext comment \"c\"",
                r.text());
        assertEquals(Optional.of("c"), r.comment());
        assertEquals(List.of(), problems.all());
    }

    @Test
    void read_valueShapes_prefixRangeNameAndWildcard() {
        assertEquals(new NftExpr.PrefixValue("2001:db8::", 32), NftRuleReader.value("2001:db8::/32"));
        assertEquals(
                new NftExpr.Range(NftExpr.Value.of("fe80::1"), NftExpr.Value.of("fe80::9")),
                NftRuleReader.value("fe80::1-fe80::9"));
        assertEquals(NftExpr.Value.of("nd-router-advert"), NftRuleReader.value("nd-router-advert"));
        assertEquals(new NftExpr.Unknown("$admins"), NftRuleReader.value("$admins"));
    }

    @Test
    void read_unknownStatements_keptAsWrittenAndWarned() {
        Problems problems = new Problems("r.nft");
        NftRule r = read(
                "ip saddr . tcp dport { 10.0.0.1 . 22 } meta mark set 0x1 limit rate over 5/minute drop", problems);
        assertEquals(
                List.of("ip saddr . tcp dport { 10.0.0.1 . 22 } meta mark set 0x1 limit rate over 5/minute", "drop"),
                r.statements().stream().map(NftStatement::text).toList());
        assertEquals(1, problems.all().size());
        assertEquals("r.nft:1:1", problems.all().get(0).span().toString());
    }
}
