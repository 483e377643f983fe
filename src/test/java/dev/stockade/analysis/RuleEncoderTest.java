package dev.stockade.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.bdd.Bdd;
import dev.stockade.iptables.Match;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Target;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import java.util.List;
import org.junit.jupiter.api.Test;

class RuleEncoderTest {

    /** The space knows the addresses the tests name, as an analysis learns them from its rules. */
    private final PacketSpace space = new PacketSpace(IpFamily.V4, List.of(), atoms(), atoms(), 0);

    private static AddressAtoms atoms() {
        AddressAtoms.Builder b = new AddressAtoms.Builder(IpFamily.V4);
        for (String p : List.of("198.51.100.7", "198.51.100.8", "203.0.113.0/24", "10.250.0.1")) {
            b.add(Prefix.parse(p));
        }
        return b.build();
    }

    private final RuleEncoder encoder = new RuleEncoder(space, FilterAnalysis.Approximation.EXACT, null, List.of());

    private static Rule rule(Match m) {
        return Rule.of("OUTPUT", List.of(m), Target.jump("ACCEPT"));
    }

    @Test
    void encode_unresolvedHost_isADoubtNamingTheOption() {
        RuleEncoder.Encoded e = encoder.encode(rule(Match.Host.of(false, false, "ntp.example.net")));
        assertEquals(Bdd.FALSE, e.must());
        assertEquals(Bdd.TRUE, e.may());
        assertEquals(1, e.doubts().size());
        assertEquals("-d ntp.example.net", e.doubts().get(0).condition());
        assertTrue(
                e.doubts().get(0).reason().contains("--hosts FILE"),
                e.doubts().get(0).reason());
    }

    @Test
    void encode_resolvedHost_isTheUnionOfItsAddresses() {
        Prefix a = Prefix.parse("198.51.100.7");
        Prefix b = Prefix.parse("198.51.100.8");
        Bdd bdd = space.bdd();
        int union = bdd.or(space.destination(a), space.destination(b));
        RuleEncoder.Encoded e = encoder.encode(rule(new Match.Host(false, false, "mirror.example.net", List.of(a, b))));
        assertTrue(e.certain());
        assertEquals(union, e.must());
        RuleEncoder.Encoded negated =
                encoder.encode(rule(new Match.Host(false, true, "mirror.example.net", List.of(a, b))));
        assertEquals(bdd.not(union), negated.must());
    }

    @Test
    void encode_addressSet_isTheUnionOfItsMembersOfThisFamily() {
        Prefix a = Prefix.parse("203.0.113.0/24");
        Prefix b = Prefix.parse("10.250.0.1");
        Bdd bdd = space.bdd();
        int union = bdd.or(space.source(a), space.source(b));
        RuleEncoder.Encoded e = encoder.encode(rule(new Match.AddressSet(true, false, "admins", List.of(a, b))));
        assertTrue(e.certain());
        assertEquals(union, e.must());
        assertEquals(
                bdd.not(union),
                encoder.encode(rule(new Match.AddressSet(true, true, "admins", List.of(a, b))))
                        .must());
        assertEquals(
                Bdd.FALSE,
                encoder.encode(rule(new Match.AddressSet(false, false, "none", List.of())))
                        .may());
        assertEquals(
                Bdd.FALSE,
                encoder.encode(rule(new Match.AddressSet(false, false, "v6", List.of(Prefix.parse("2001:db8::/32")))))
                        .may());
    }

    @Test
    void write_addressSet_isAnIpsetMatch() {
        assertEquals(
                "-A OUTPUT -m set ! --match-set admins dst -j ACCEPT",
                rule(new Match.AddressSet(false, true, "admins", List.of(Prefix.parse("192.0.2.0/24"))))
                        .toSaveLine());
    }
}
