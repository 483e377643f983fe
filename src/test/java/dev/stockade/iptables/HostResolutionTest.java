package dev.stockade.iptables;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.HostsFile;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.Problems;
import dev.stockade.report.SourceSpan;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostResolutionTest {

    private static final SourceSpan AT = new SourceSpan("f.rules", 3, 4);

    private static Table table(boolean negated) {
        Rule r = Rule.of(
                "INPUT",
                List.of(new Match.Host(true, negated, "db", List.of())),
                new Target("ACCEPT", false, List.of()));
        return new Table("filter", List.of(Chain.builtin("INPUT", "DROP")), List.of(r));
    }

    private static HostsFile hosts() throws Exception {
        return HostsFile.parse("hosts", "192.0.2.7 db\n192.0.2.8 db\n2001:db8::7 db\n2001:db8::9 v6only\n");
    }

    private static List<Prefix> resolved(List<Table> tables) {
        return ((Match.Host) tables.get(0).rules().get(0).matches().get(0)).addresses();
    }

    @Test
    void resolve_nameGetsTheAddressesOfTheFileFamilyOnly() throws Exception {
        Problems p = new Problems("f.rules");
        List<Table> v4 = HostResolution.resolve(
                List.of(table(false)), IpFamily.V4, hosts(), List.of(new RuleReader.HostUse("db", false, AT)), p);
        assertEquals(List.of(Prefix.parse("192.0.2.7"), Prefix.parse("192.0.2.8")), resolved(v4));
        List<Table> v6 = HostResolution.resolve(
                List.of(table(false)), IpFamily.V6, hosts(), List.of(new RuleReader.HostUse("db", false, AT)), p);
        assertEquals(List.of(Prefix.parse("2001:db8::7")), resolved(v6));
        assertEquals(List.of(), p.all());
    }

    @Test
    void resolve_noHostUses_tablesUnchanged() throws Exception {
        List<Table> in = List.of(table(false));
        assertSame(in, HostResolution.resolve(in, IpFamily.V4, hosts(), List.of(), new Problems("f")));
    }

    @Test
    void resolve_unknownOrWrongFamilyName_oneWarningPerName() throws Exception {
        Problems p = new Problems("f.rules");
        HostResolution.resolve(
                List.of(table(false)),
                IpFamily.V4,
                hosts(),
                List.of(
                        new RuleReader.HostUse("nowhere", false, AT),
                        new RuleReader.HostUse("nowhere", false, AT),
                        new RuleReader.HostUse("v6only", false, AT)),
                p);
        List<Diagnostic> w = p.all();
        assertEquals(2, w.size(), w::toString);
        assertTrue(w.get(0).message().contains("unresolved here"), w.get(0).message());
        assertEquals(
                "'v6only' has no IPv4 address in the hosts file; unresolved",
                w.get(1).message());
        assertTrue(w.stream().allMatch(d -> d.code().equals("IPT-HOSTNAME")));
    }

    @Test
    void resolve_negatedNameWithSeveralAddresses_warned() throws Exception {
        Problems p = new Problems("f.rules");
        HostResolution.resolve(
                List.of(table(true)), IpFamily.V4, hosts(), List.of(new RuleReader.HostUse("db", true, AT)), p);
        assertEquals(1, p.all().size());
        assertTrue(
                p.all().get(0).message().startsWith("'! db': the name has 2 addresses"),
                p.all().get(0).message());
        assertEquals(AT, p.all().get(0).span());
    }
}
