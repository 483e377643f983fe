package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.Packet;
import dev.stockade.analysis.Verdict;
import dev.stockade.cli.Main;
import dev.stockade.iptables.Rule;
import dev.stockade.iptables.Table;
import dev.stockade.net.IpFamily;
import dev.stockade.net.Prefix;
import dev.stockade.nftables.NftJsonParser;
import dev.stockade.nftables.NftRuleset;
import dev.stockade.nftables.NftTextParser;
import dev.stockade.nftables.NftablesToRulesets;
import dev.stockade.nftables.ParsedNftRuleset;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Probe;
import dev.stockade.testing.ProbeResult;
import dev.stockade.testing.Segment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The kernel as the judge of the nftables reading: hand-written and random nft rulesets are loaded
 * with {@code nft -f} into a server namespace, dumped back with {@code nft -j list ruleset} (and
 * {@code nft list ruleset}), read by {@link NftJsonParser} (and {@link NftTextParser}), converted by
 * {@link NftablesToRulesets} and asked, with {@link FilterAnalysis#verdict}, what INPUT does with the
 * first packet of each probe; real TCP and UDP connections from several client addresses (IPv4 and
 * IPv6) must reach exactly the ports the analysis accepts. The text and JSON dumps must convert to
 * the same rules.
 *
 * <p>Every ruleset starts its input chain with {@code ct state established,related accept}, so the
 * first packet decides a connection (as in Stockade's own output). Addresses: 10.250.7.0/24 and
 * 2001:db8:7::/64, inside the lab's namespaces only.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class NftablesKernelIT {

    static final List<Integer> TCP = List.of(22, 80, 443, 8080);
    static final List<Integer> UDP = List.of(53, 5353);
    static final List<String> CLIENTS_V4 = List.of("10.250.7.2", "10.250.7.66");
    static final List<String> CLIENTS_V6 = List.of("2001:db8:7::2", "2001:db8:7::8:2");
    static final String SERVER_V4 = "10.250.7.1";
    static final String SERVER_V6 = "2001:db8:7::1";
    static final int RANDOM_RULESETS = 16;

    NetnsLab lab;
    Host server;
    Host client;
    int probesChecked;

    @BeforeAll
    void setUp() {
        boolean nft = Files.isExecutable(Path.of("/usr/sbin/nft"));
        if (!nft && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("nft (Debian package nftables) is missing; bin/test installs it");
        }
        Assumptions.assumeTrue(nft, "nft is not installed (Debian package nftables)");
        lab = NetnsLab.create();
        Segment lan = lab.segment("lan");
        server = lab.host("nftsrv");
        lab.attach(server, "eth0", lan, SERVER_V4 + "/24", SERVER_V6 + "/64");
        client = lab.host("nftcli");
        lab.attach(client, "eth0", lan, CLIENTS_V4.get(0) + "/24", CLIENTS_V6.get(0) + "/64");
        lab.addAddress(client, "eth0", CLIENTS_V4.get(1) + "/24");
        lab.addAddress(client, "eth0", CLIENTS_V6.get(1) + "/64");
        lab.listen(server, TCP, UDP);
    }

    @AfterAll
    void tearDown() {
        if (lab != null) {
            lab.close();
        }
    }

    static final String HEAD = "table inet stk {\n"
            + "\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n"
            + "\t\tct state established,related accept\n"
            + "\t\tmeta l4proto ipv6-icmp accept\n";

    static final Map<String, String> HAND_WRITTEN = new LinkedHashMap<>();

    static {
        HAND_WRITTEN.put(
                "sets, ranges and implied families",
                "table inet stk {\n"
                        + "\tset admins4 { type ipv4_addr; flags interval; elements = { 10.250.7.64/27, 10.250.7.3-10.250.7.9 } }\n"
                        + "\tset admins6 { type ipv6_addr; flags interval; elements = { 2001:db8:7::8:0/112 } }\n"
                        + "\tset web { type inet_service; flags interval; elements = { 80, 8000-8080 } }\n"
                        + "\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n"
                        + "\t\tct state established,related accept\n"
                        + "\t\tmeta l4proto ipv6-icmp accept\n"
                        + "\t\tip saddr @admins4 tcp dport 22 accept\n"
                        + "\t\tip6 saddr @admins6 tcp dport 22 accept\n"
                        + "\t\ttcp dport @web accept\n"
                        + "\t\tmeta l4proto { tcp, udp } th dport 53 jump dns\n"
                        + "\t\tiifname \"eth*\" udp dport != 53 ip6 saddr 2001:db8:7::2 accept\n"
                        + "\t}\n"
                        + "\tchain dns {\n\t\tip saddr != 10.250.7.2 return\n\t\taccept\n\t}\n"
                        + "}\n");
        HAND_WRITTEN.put(
                "two tables on the input hook",
                "table inet stk {\n"
                        + "\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n"
                        + "\t\tct state established,related accept\n"
                        + "\t\ttcp dport { 22, 80 } accept\n"
                        + "\t\tudp dport 5353 drop\n"
                        + "\t}\n"
                        + "}\n"
                        + "table ip early {\n"
                        + "\tchain in {\n\t\ttype filter hook input priority -10; policy accept;\n"
                        + "\t\tct state established,related accept\n"
                        + "\t\ttcp dport 80 ip saddr 10.250.7.66 reject\n"
                        + "\t\ttcp dport 443 goto c\n"
                        + "\t}\n"
                        + "\tchain c {\n\t\tip saddr 10.250.7.2 accept\n\t\tdrop\n\t}\n"
                        + "}\n"
                        + "table ip6 late {\n"
                        + "\tchain in {\n\t\ttype filter hook input priority 10; policy drop;\n"
                        + "\t\tct state established,related accept\n"
                        + "\t\tmeta l4proto ipv6-icmp accept\n"
                        + "\t\ttcp dport 22 accept\n"
                        + "\t\tip6 saddr 2001:db8:7::8:2 accept\n"
                        + "\t}\n"
                        + "}\n");
    }

    @Test
    void handWritten_kernelAgreesWithTheAnalysisOfItsJsonDump() throws Exception {
        for (Map.Entry<String, String> e : HAND_WRITTEN.entrySet()) {
            check(e.getKey(), e.getValue());
        }
    }

    @Test
    void random_kernelAgreesWithTheAnalysisOfItsJsonDump() throws Exception {
        Random random = new Random(Long.getLong("stockade.nft.seed", 20261203L));
        for (int i = 0; i < RANDOM_RULESETS; i++) {
            check("random #" + i, randomRuleset(random));
        }
        System.out.println("NftablesKernelIT: " + probesChecked + " probes agreed with the analysis");
    }

    /**
     * Issue 15's acceptance: fw analyze of the kernel's {@code nft -j} dump of Stockade's own
     * nftables output (the demo spec built with {@code firewall: nftables}) prints the same exposure
     * as fw analyze of the file the build wrote and proved, for both families, exactly; and the same
     * as fw analyze of the iptables output the same spec builds.
     */
    @Test
    void stockadeOwnOutput_analyzeOfItsJsonDumpEqualsAnalyzeOfTheFile() throws Exception {
        Path tmp = Files.createTempDirectory("stockade-nft-it");
        String spec = Files.readString(Path.of("examples/demo.yaml"))
                .replaceFirst("(?m)^target: flatcar", "target: flatcar\nfirewall: nftables");
        Files.writeString(tmp.resolve("demo.yaml"), spec);
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {
                    "build",
                    tmp.resolve("demo.yaml").toString(),
                    "-o",
                    tmp.resolve("out").toString(),
                    "--pki",
                    tmp.resolve("pki").toString()
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(0, code, err.toString());
        Path ipt = tmp.resolve("iptables-out");
        code = Main.run(
                new String[] {
                    "build",
                    "examples/demo.yaml",
                    "-o",
                    ipt.toString(),
                    "--pki",
                    tmp.resolve("pki").toString()
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err));
        assertEquals(0, code, err.toString());
        List<Path> files;
        try (Stream<Path> walk = Files.walk(tmp.resolve("out"))) {
            files = walk.filter(p -> p.getFileName().toString().equals("nftables.conf"))
                    .filter(p -> p.startsWith(tmp.resolve("out")))
                    .sorted()
                    .toList();
        }
        assertEquals(3, files.size(), files.toString());
        for (Path file : files) {
            Path loaded = lab.scratchFile("flush ruleset\n" + Files.readString(file), ".nft");
            ExecResult load = lab.exec(server, "/usr/sbin/nft", "-f", loaded.toString());
            assertEquals(0, load.exit(), file + ": " + load.stderr());
            ExecResult json = lab.exec(server, "/usr/sbin/nft", "-j", "list", "ruleset");
            assertEquals(0, json.exit(), json.stderr());
            Path dump = tmp.resolve("dump.json");
            Files.writeString(dump, json.stdout());
            String written = analyze(file).replace(file.toString(), "FILE");
            String dumped = analyze(dump).replace(dump.toString(), "FILE");
            assertTrue(written.contains("IPv4, filter INPUT, new connections (exact)"), written);
            assertTrue(written.contains("IPv6, filter INPUT, new connections (exact)"), written);
            assertEquals(written, dumped, file.toString());
            // and the same exposure as the iptables output of the same spec, proved by its own build
            Path node = ipt.resolve("demo").resolve(file.getParent().getFileName());
            Path v4 = node.resolve("iptables.rules");
            Path v6 = node.resolve("ip6tables.rules");
            String iptables = analyze(v4, v6).replace(v4.toString(), "FILE").replace(v6.toString(), "FILE");
            assertEquals(iptables, dumped, "the iptables and nftables outputs of " + node.getFileName());
        }
    }

    private static String analyze(Path v4, Path v6) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(
                new String[] {"fw", "analyze", v4.toString(), v6.toString()},
                new PrintWriter(out),
                new PrintWriter(err));
        assertEquals(0, code, err.toString());
        return out.toString();
    }

    private static String analyze(Path file) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                Main.run(new String[] {"fw", "analyze", file.toString()}, new PrintWriter(out), new PrintWriter(err));
        assertEquals(0, code, err.toString());
        assertEquals("", err.toString(), "no warnings for Stockade's own output");
        return out.toString();
    }

    private void check(String name, String ruleset) throws Exception {
        Path file = lab.scratchFile("flush ruleset\n" + ruleset, ".nft");
        ExecResult load = lab.exec(server, "/usr/sbin/nft", "-f", file.toString());
        assertEquals(0, load.exit(), name + ": nft refused the ruleset: " + load.stderr() + "\n" + ruleset);
        ExecResult json = lab.exec(server, "/usr/sbin/nft", "-j", "list", "ruleset");
        ExecResult text = lab.exec(server, "/usr/sbin/nft", "list", "ruleset");
        assertEquals(0, json.exit(), json.stderr());
        assertEquals(0, text.exit(), text.stderr());
        ParsedNftRuleset fromJson = NftJsonParser.parse("dump.json", json.stdout());
        ParsedNftRuleset fromText = NftTextParser.parse("dump.nft", text.stdout());
        assertEquals(List.of(), fromJson.warnings(), name);
        for (IpFamily family : List.of(IpFamily.V4, IpFamily.V6)) {
            Table a = convert(fromJson.ruleset(), family);
            Table b = convert(fromText.ruleset(), family);
            assertEquals(lines(b), lines(a), name + ": the text and JSON dumps convert differently");
        }
        Table t4 = convert(fromJson.ruleset(), IpFamily.V4);
        Table t6 = convert(fromJson.ruleset(), IpFamily.V6);
        lab.flushConntrack(server);
        List<Probe> probes = new ArrayList<>();
        for (String src : CLIENTS_V4) {
            TCP.forEach(p -> probes.add(Probe.tcp(src, SERVER_V4, p)));
            UDP.forEach(p -> probes.add(Probe.udp(src, SERVER_V4, p)));
        }
        for (String src : CLIENTS_V6) {
            TCP.forEach(p -> probes.add(Probe.tcp(src, SERVER_V6, p)));
            UDP.forEach(p -> probes.add(Probe.udp(src, SERVER_V6, p)));
        }
        List<String> disagreements = new ArrayList<>();
        for (ProbeResult r : lab.probe(client, probes)) {
            boolean v6 = r.probe().dst().contains(":");
            Packet packet = Packet.of(
                            Prefix.parse(r.probe().src()),
                            Prefix.parse(r.probe().dst()),
                            r.probe().proto().equals("tcp") ? 6 : 17)
                    .withPorts(40000, r.probe().port())
                    .withInterfaces(Optional.of("eth0"), Optional.empty());
            Verdict v = FilterAnalysis.of(v6 ? IpFamily.V6 : IpFamily.V4, v6 ? t6 : t4)
                    .verdict("INPUT", packet);
            assertTrue(v != Verdict.UNDETERMINED, name + ": undetermined for " + r.probe());
            if ((v == Verdict.ACCEPT) != r.reached()) {
                disagreements.add(r.probe() + ": kernel " + (r.reached() ? "reached" : "refused") + ", analysis " + v);
            }
            probesChecked++;
        }
        assertEquals(List.of(), disagreements, name + "\n" + ruleset + "\n" + String.join("\n", lines(t4)));
    }

    private static Table convert(NftRuleset r, IpFamily family) {
        return NftablesToRulesets.convert("dump", r, family).filter();
    }

    private static List<String> lines(Table t) {
        return t.rules().stream().map(Rule::toSaveLine).toList();
    }

    /** A random input chain (and sometimes a second table) over the probes' addresses and ports. */
    static String randomRuleset(Random random) {
        StringBuilder sb = new StringBuilder(HEAD);
        int rules = 2 + random.nextInt(6);
        for (int i = 0; i < rules; i++) {
            sb.append("\t\t").append(randomRule(random, true)).append('\n');
        }
        sb.append("\t}\n\tchain sub {\n");
        for (int i = 0; i < 1 + random.nextInt(3); i++) {
            sb.append("\t\t").append(randomRule(random, false)).append('\n');
        }
        sb.append("\t}\n}\n");
        if (random.nextInt(3) == 0) {
            sb.append("table ip other {\n\tchain in {\n\t\ttype filter hook input priority ")
                    .append(random.nextBoolean() ? "-5" : "5")
                    .append("; policy ")
                    .append(random.nextBoolean() ? "accept" : "drop")
                    .append(";\n\t\tct state established,related accept\n");
            int n = 1 + random.nextInt(3);
            for (int tries = 0; n > 0 && tries < 50; tries++) {
                String rule = randomRule(random, false);
                if (!rule.contains("ip6") && !rule.contains("nfproto")) {
                    sb.append("\t\t").append(rule).append('\n');
                    n--;
                }
            }
            sb.append("\t}\n}\n");
        }
        return sb.toString().replace("policy drop;", random.nextBoolean() ? "policy drop;" : "policy accept;");
    }

    private static String pick(Random random, String... options) {
        return options[random.nextInt(options.length)];
    }

    private static String randomRule(Random random, boolean mayJump) {
        List<String> parts = new ArrayList<>();
        if (random.nextInt(3) == 0) {
            parts.add(pick(
                    random,
                    "ip saddr 10.250.7.2",
                    "ip saddr != 10.250.7.2",
                    "ip saddr 10.250.7.64/26",
                    "ip saddr { 10.250.7.1-10.250.7.5, 10.250.7.66 }",
                    "ip6 saddr 2001:db8:7::8:0/112",
                    "ip6 saddr != { 2001:db8:7::2, 2001:db8:7::9 }"));
        }
        boolean l4proto = random.nextInt(3) == 0;
        if (l4proto) {
            parts.add(pick(
                    random,
                    "meta l4proto tcp",
                    "meta l4proto udp",
                    "meta l4proto { tcp, udp }",
                    "meta l4proto != udp"));
            if (random.nextBoolean()) {
                parts.add(pick(random, "th dport 53", "th dport >= 5000", "th dport { 22, 5353 }"));
            }
        } else if (random.nextInt(2) == 0) {
            parts.add(pick(
                    random,
                    "tcp dport 22",
                    "tcp dport { 80, 443 }",
                    "tcp dport 400-8080",
                    "tcp dport != 443",
                    "tcp dport < 100",
                    "udp dport 53",
                    "udp dport { 53, 5353 }",
                    "th dport 53",
                    "th dport >= 5000"));
        }
        if (random.nextInt(4) == 0) {
            parts.add(pick(
                    random,
                    "iifname \"eth*\"",
                    "iifname != \"eth0\"",
                    "iifname { \"lo\", \"eth0\" }",
                    "iif \"eth0\"",
                    "meta nfproto ipv6",
                    "ct state new"));
        }
        String verdict = mayJump && random.nextInt(4) == 0
                ? pick(random, "jump sub", "goto sub")
                : pick(random, "accept", "accept", "drop", "reject", "counter", mayJump ? "accept" : "return");
        parts.add(verdict);
        return String.join(" ", parts);
    }
}
