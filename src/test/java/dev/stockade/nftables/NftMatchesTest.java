package dev.stockade.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.iptables.Match;
import dev.stockade.net.IpFamily;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NftMatchesTest {

    private static final NftTable TABLE = new NftTable("inet", "t", List.of(), List.of());

    private static List<String> alternatives(IpFamily family, NftStatement.Match m) {
        return new NftMatches(family, TABLE)
                .convert(m).alternatives().stream()
                        .map(alt -> {
                            StringBuilder sb = new StringBuilder();
                            alt.forEach(x -> x.write(sb));
                            return sb.toString().trim();
                        })
                        .toList();
    }

    @Test
    void convert_impliedFamily_neverMatchesTheOther() {
        NftStatement.Match m = NftStatement.Match.eq(new NftExpr.Payload("ip", "saddr"), NftExpr.Value.of("192.0.2.1"));
        assertEquals(List.of("-s 192.0.2.1/32"), alternatives(IpFamily.V4, m));
        assertEquals(List.of(), alternatives(IpFamily.V6, m));
        NftStatement.Match v4only = NftStatement.Match.eq(new NftExpr.Meta("nfproto"), NftExpr.Value.of("ipv4"));
        assertEquals(List.of(""), alternatives(IpFamily.V4, v4only));
        assertEquals(List.of(), alternatives(IpFamily.V6, v4only));
    }

    @Test
    void convert_comparisonsAndNegatedSets() {
        assertEquals(
                List.of("-p tcp ! -f -m multiport --dports 0:1023"),
                alternatives(
                        IpFamily.V4,
                        new NftStatement.Match(new NftExpr.Payload("tcp", "dport"), "<", NftExpr.Value.of(1024))));
        assertEquals(
                List.of("! -p tcp ! -p udp"),
                alternatives(
                        IpFamily.V6,
                        new NftStatement.Match(
                                new NftExpr.Meta("l4proto"),
                                "!=",
                                new NftExpr.AnonSet(List.of(NftExpr.Value.of("tcp"), NftExpr.Value.of("udp"))))));
        assertEquals(
                List.of("-m hl --hl-lt 255"),
                alternatives(
                        IpFamily.V6,
                        new NftStatement.Match(new NftExpr.Payload("ip6", "hoplimit"), "<", NftExpr.Value.of(255))));
        assertEquals(
                List.of("-m nft --match \"meta skuid 0\""),
                alternatives(IpFamily.V4, NftStatement.Match.eq(new NftExpr.Meta("skuid"), NftExpr.Value.of(0))));
    }

    @Test
    void convert_undefinedSet_isUnknown() {
        List<List<Match>> alts = new NftMatches(IpFamily.V4, TABLE)
                .convert(NftStatement.Match.eq(new NftExpr.Payload("ip", "saddr"), new NftExpr.SetRef("nope")))
                .alternatives();
        assertEquals(1, alts.size());
        assertEquals(
                Optional.of("nft"),
                alts.get(0).stream()
                        .filter(x -> x instanceof Match.Module)
                        .map(x -> ((Match.Module) x).name())
                        .findFirst());
    }
}
