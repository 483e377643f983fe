package dev.stockade.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Plain unit tests (no root needed) for the parts of the netns harness that do not touch the kernel. */
class ProbeLinesTest {

    private final List<Probe> probes =
            List.of(Probe.tcp("10.250.9.2", "10.250.9.1", 1111), Probe.udp("2001:db8:9::2", "2001:db8:9::1", 3333));

    @Test
    void resultLinesAreMatchedToTheirProbesByIndex() {
        String out = """
                {"i":1,"reached":false,"detail":"timeout","ms":1502}
                noise the helper never prints
                {"i":0,"reached":true,"detail":"connected","ms":2}
                """;
        List<ProbeResult> results = ProbeLines.parse(probes, out, "ctx");
        assertEquals(new ProbeResult(probes.get(0), true, "connected"), results.get(0));
        assertEquals(new ProbeResult(probes.get(1), false, "timeout"), results.get(1));
    }

    @Test
    void aMissingLineOrAHarnessProblemFailsLoudly() {
        String one = "{\"i\":0,\"reached\":true,\"detail\":\"connected\",\"ms\":2}\n";
        assertThrows(AssertionError.class, () -> ProbeLines.parse(probes, one, "ctx"));
        String bind = one + "{\"i\":1,\"reached\":false,\"detail\":\"bind-error-eaddrnotavail\",\"ms\":0}\n";
        assertThrows(AssertionError.class, () -> ProbeLines.parse(probes, bind, "ctx"));
    }

    @Test
    void probesRejectMixedFamiliesAndBadPorts() {
        assertThrows(IllegalArgumentException.class, () -> Probe.tcp("10.250.9.2", "2001:db8::1", 80));
        assertThrows(IllegalArgumentException.class, () -> Probe.udp("10.250.9.2", "10.250.9.1", 0));
        assertThrows(IllegalArgumentException.class, () -> new Probe("10.250.9.2", "10.250.9.1", "sctp", 80));
        assertEquals(
                "icmp,2001:db8::2,2001:db8::1,0",
                Probe.icmp("2001:db8::2", "2001:db8::1").spec());
    }

    @Test
    void onlyLinkLocalAddressesPassAsLinkLocal() {
        LabAddresses.requireLinkLocal("fe80::547");
        LabAddresses.requireLinkLocal("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
        for (String bad : List.of("fec0::1", "fe7f::1", "2001:db8::1", "10.250.0.1", "fe80::1/64", "fe80::1%eth0")) {
            assertThrows(IllegalArgumentException.class, () -> LabAddresses.requireLinkLocal(bad), bad);
        }
    }

    @Test
    void onlyTestRangesAreAllowedOnLabInterfaces() {
        assertFalse(LabAddresses.requireAllowedCidr("10.250.3.4/24"));
        assertFalse(LabAddresses.requireAllowedCidr("203.0.113.9/32"));
        assertTrue(LabAddresses.requireAllowedCidr("2001:db8:ffff::1/64"));
        for (String bad : List.of(
                "10.1.2.3/8",
                "192.168.0.1/24",
                "127.0.0.1/8",
                "2001:db9::1/64",
                "fe80::1/64",
                "example.com/24",
                "10.250.0.1",
                "10.250.0.1/33")) {
            assertThrows(IllegalArgumentException.class, () -> LabAddresses.requireAllowedCidr(bad), bad);
        }
    }
}
