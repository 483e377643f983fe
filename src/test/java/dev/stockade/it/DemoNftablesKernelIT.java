package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.nftables.NftTextParser;
import dev.stockade.nftables.NftablesToRulesets;
import dev.stockade.testing.Host;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@link DemoFirewallKernelIT} with {@code firewall: nftables}: the demo spec built into one
 * {@code nftables.conf} per node, loaded with {@code nft -f} as the node's unit loads it, and every
 * connection of the hand-written expectations tried again, and the analysis' verdict on each
 * (the file read by the nft text parser) compared with the kernel's. Same expectations, same
 * result: the nftables output passes the kernel proof the iptables output passes.
 */
class DemoNftablesKernelIT extends DemoFirewallKernelIT {

    @Override
    Path spec() throws IOException {
        String demo = Files.readString(Path.of("examples/demo.yaml"));
        String nft = demo.replaceFirst("\ntarget: flatcar([^\n]*)\n", "\ntarget: flatcar$1\nfirewall: nftables\n");
        assertTrue(nft.contains("\nfirewall: nftables\n"), "the demo names its target on one line");
        Path spec = tmp.resolve("demo-nftables.yaml");
        Files.writeString(spec, nft);
        return spec;
    }

    /** The analysis' view: the written file read by the nft text parser and converted for the family. */
    @Override
    Table filter(Path dir, boolean v6) throws Exception {
        Path file = dir.resolve("nftables.conf");
        return NftablesToRulesets.convert(
                        file.toString(),
                        NftTextParser.parse(file.toString(), Files.readString(file))
                                .ruleset(),
                        v6 ? IpFamily.V6 : IpFamily.V4)
                .filter();
    }

    @Override
    void load(Host node, Path dir) {
        assertFalse(Files.exists(dir.resolve("iptables.rules")), "no iptables rules beside nftables.conf");
        lab.loadNft(node, dir.resolve("nftables.conf"));
    }
}
