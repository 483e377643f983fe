package dev.stockade.firewall;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.SpecLoader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Openings as the compiler makes them from a spec: port text, interface and per-family sources. */
class OpeningTest {

    private static Map<String, Opening> openings() throws Exception {
        ClusterSpec spec = SpecLoader.parse(
                        "s.yaml",
                        "stockade: 1\ncluster: t\ntarget: flatcar\ninterfaces: {public: eth0, private: eth1}\n"
                                + "nodes:\n  - {name: a, private: 10.250.0.1}\n"
                                + "admin: {ssh: {from: [203.0.113.0/24, \"2001:db8:ad::/48\"], keys: []}}\n"
                                + "services:\n"
                                + "  - {name: cb, ports: [3000, 3001, 4000-4010], from: [192.0.2.0/24]}\n"
                                + "  - {name: db, port: 5432, from: [cluster], on: private}\n")
                .spec();
        return FirewallCompiler.compile(spec, spec.nodes().get(0)).openings().stream()
                .collect(Collectors.toMap(Opening::label, Function.identity()));
    }

    private static List<String> sources(Opening o, IpFamily family) {
        return o.sources(family).prefixes().stream().map(Prefix::toString).toList();
    }

    @Test
    void portText_portsIcmpEcho() throws Exception {
        Map<String, Opening> o = openings();
        assertEquals("22", o.get("admin.ssh").portText());
        assertEquals("3000-3001,4000-4010", o.get("services.cb").portText());
        assertEquals("echo", o.get("icmp.ping").portText());
    }

    @Test
    void sources_perFamily_interfaceByRole() throws Exception {
        Map<String, Opening> o = openings();
        Opening ssh = o.get("admin.ssh");
        assertEquals(List.of("203.0.113.0/24"), sources(ssh, IpFamily.V4));
        assertEquals(List.of("2001:db8:ad::/48"), sources(ssh, IpFamily.V6));
        assertEquals(List.of(), sources(o.get("services.cb"), IpFamily.V6));
        assertEquals(Optional.of("eth1"), o.get("services.db").inInterface());
        assertEquals(List.of("10.250.0.1"), sources(o.get("services.db"), IpFamily.V4));
        assertEquals(Optional.empty(), ssh.inInterface());
        assertEquals("tcp", ssh.protocol());
        assertThrows(UnsupportedOperationException.class, () -> ssh.ports().clear());
    }
}
