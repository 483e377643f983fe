package dev.stockade.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fw commands through the CLI: shared options, the family they name, JSON keys, located findings. */
class FwCommandsTest {

    static final String DIR = "src/test/resources/dev/stockade/cli/";
    static final String V4 = DIR + "v4.rules";
    static final String V6 = DIR + "v6.rules";
    static final String ADDRESS_FREE = DIR + "addressfree.rules";

    @TempDir
    Path tmp;

    static BuildCommandTest.Result run(String... args) {
        return BuildCommandTest.run(args);
    }

    /** The command line of each fw command on {@code file}, with {@code extra} options. */
    static List<String[]> everyCommand(String file, String... extra) {
        List<String[]> all = new ArrayList<>();
        for (String[] c : new String[][] {
            {"fw", "analyze", file},
            {"fw", "matrix", "--port", "22", file},
            {"fw", "diff", file, file},
            {"fw", "lint", file}
        }) {
            List<String> args = new ArrayList<>(List.of(c));
            args.addAll(List.of(extra));
            all.add(args.toArray(new String[0]));
        }
        return all;
    }

    @ParameterizedTest
    @ValueSource(strings = {"-6", "--family=ipv6"})
    void everyCommand_forcedIpv6_readsAddressFreeFileAsIpv6AndSaysSo(String option) {
        for (String[] args : everyCommand(ADDRESS_FREE, option)) {
            BuildCommandTest.Result text = run(args);
            assertTrue(text.code() <= 1, String.join(" ", args) + "\n" + text.err());
            assertTrue(text.out().contains("IPv6"), String.join(" ", args) + "\n" + text.out());
            assertFalse(text.out().contains("IPv4"), String.join(" ", args) + "\n" + text.out());
            List<String> json = new ArrayList<>(List.of(args));
            json.add("--format=json");
            BuildCommandTest.Result j = run(json.toArray(new String[0]));
            assertTrue(j.out().contains("\"family\": \"ipv6\""), String.join(" ", json) + "\n" + j.out());
        }
    }

    @Test
    void everyCommand_forcedIpv4_namesIpv4() {
        for (String[] args : everyCommand(V4, "-4")) {
            BuildCommandTest.Result r = run(args);
            assertTrue(r.code() <= 1, String.join(" ", args) + "\n" + r.err());
            assertTrue(r.out().contains("IPv4"), String.join(" ", args) + "\n" + r.out());
        }
    }

    @Test
    void everyCommand_ipv6File_namesIpv6InTextAndJson() {
        for (String[] args : everyCommand(V6)) {
            assertTrue(run(args).out().contains("IPv6"), String.join(" ", args));
            List<String> json = new ArrayList<>(List.of(args));
            json.add("--format=json");
            assertTrue(run(json.toArray(new String[0])).out().contains("\"family\": \"ipv6\""), json.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"v6-header.rules", "v6-icmp6.rules"})
    void everyCommand_addressFreeIpv6Dump_detectedAsIpv6WithoutOptions(String name) {
        String file = DIR + name;
        List<String[]> all = new ArrayList<>(everyCommand(file));
        all.add(new String[] {"fw", "query", file, "--src", "2001:db8::5", "--dst", "2001:db8::1", "--dport", "22"});
        for (String[] args : all) {
            BuildCommandTest.Result r = run(args);
            assertTrue(r.code() <= 1, String.join(" ", args) + "\n" + r.err());
            assertTrue(r.out().contains("IPv6"), String.join(" ", args) + "\n" + r.out());
            assertFalse(r.out().contains("IPv4"), String.join(" ", args) + "\n" + r.out());
            assertFalse(r.out().contains("not modelled"), String.join(" ", args) + "\n" + r.out());
        }
    }

    @Test
    void lint_ipv4ClosedAndAddressFreeIpv6Open_ipv6OpenFinding() {
        BuildCommandTest.Result r = run("fw", "lint", V4, DIR + "v6-header.rules");
        assertEquals(1, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("FW-IPV6-OPEN"), r.out());
    }

    @Test
    void diff_ipv4AgainstAddressFreeIpv6_refused() {
        BuildCommandTest.Result r = run("fw", "diff", V4, DIR + "v6-icmp6.rules");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("FW-FAMILY-MISMATCH"), r.err());
    }

    @Test
    void analyze_forcedFamilyContradictsAddresses_locatedErrorExit2() {
        BuildCommandTest.Result r = run("fw", "analyze", "-6", V4);
        assertEquals(2, r.code());
        assertTrue(r.err().contains(V4 + ":7:13: error:"), r.err());
    }

    @Test
    void analyze_bothFamilyOptions_usageErrorExit2() {
        BuildCommandTest.Result r = run("fw", "analyze", "-4", "-6", V4);
        assertEquals(2, r.code());
        assertTrue(r.err().contains("-6 contradicts -4; give one family"), r.err());
    }

    @Test
    void analyze_brokenFiles_reportsEveryFileAtOnce() throws IOException {
        Path a = Files.writeString(tmp.resolve("a.rules"), "*filter\n-A INPUT -s 10.0.0.256 -j DROP\nCOMMIT\n");
        Path b = Files.writeString(tmp.resolve("b.rules"), "*filter\n-A INPUT -d 10.0.0.0/33 -j DROP\nCOMMIT\n");
        BuildCommandTest.Result r = run("fw", "analyze", a.toString(), b.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(a + ":2:"), r.err());
        assertTrue(r.err().contains(b + ":2:"), r.err());
        assertTrue(r.err().contains("stockade: 2 errors in " + a + ", " + b), r.err());
    }

    @Test
    void matrix_withoutChain_usesInputLikeEveryFwCommand() {
        BuildCommandTest.Result r = run("fw", "matrix", "--port", "22", V4);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("# " + V4 + ": IPv4, filter INPUT,"), r.out());
        BuildCommandTest.Result json = run("fw", "matrix", "--format", "json", V4);
        assertTrue(json.out().contains("\"chain\": \"INPUT\""), json.out());
    }

    @Test
    void diff_ipv4AgainstIpv6_refusedExit2() {
        BuildCommandTest.Result r = run("fw", "diff", V4, V6);
        assertEquals(2, r.code(), r.out());
        assertEquals("", r.out());
        assertTrue(r.err().contains("cannot compare " + V4 + " (IPv4) with " + V6 + " (IPv6)"), r.err());
        assertTrue(r.err().contains("[FW-FAMILY-MISMATCH]"), r.err());
    }

    @Test
    void diff_jsonNamesFamily() {
        BuildCommandTest.Result r = run("fw", "diff", "--format", "json", V4, V4);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\"family\": \"ipv4\""), r.out());
    }

    @Test
    void lint_findingsAboutRules_printFileLineColumn() {
        BuildCommandTest.Result r = run("fw", "lint", "-4", ADDRESS_FREE);
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(ADDRESS_FREE + ":8:1: warning: never matches"), r.out());
        assertTrue(r.out().contains("[FW-SHADOWED]"), r.out());
        BuildCommandTest.Result json = run("fw", "lint", "-4", "--format", "json", ADDRESS_FREE);
        assertTrue(json.out().contains("\"line\": 8"), json.out());
    }

    @Test
    void lint_failOnWarning_exit1() {
        assertEquals(1, run("fw", "lint", "--fail-on", "warning", ADDRESS_FREE).code());
    }

    @Test
    void jsonOutput_everyCommand_camelCaseKeys() throws IOException {
        List<BuildCommandTest.Result> outputs = new ArrayList<>();
        for (String[] args : everyCommand(V4, "--format", "json")) {
            outputs.add(run(args));
        }
        outputs.add(run("build", "examples/demo.yaml", "--dry-run", "--format", "json"));
        Path pki = tmp.resolve("pki");
        assertEquals(0, run("pki", "init", "--dir", pki.toString()).code());
        outputs.add(
                run("pki", "inspect", "--format", "json", pki.resolve("ca.pem").toString()));
        outputs.add(run("pki", "verify", "--spec", "examples/demo.yaml", "--dir", pki.toString(), "--format", "json"));
        Pattern key = Pattern.compile("\"([^\"]+)\": ");
        for (BuildCommandTest.Result r : outputs) {
            assertTrue(r.out().startsWith("{\n"), r.out() + r.err());
            Matcher m = key.matcher(r.out());
            int keys = 0;
            while (m.find()) {
                keys++;
                assertTrue(m.group(1).matches("[a-z][a-zA-Z0-9]*"), "key '" + m.group(1) + "' in\n" + r.out());
            }
            assertTrue(keys > 0, r.out());
        }
    }

    @Test
    void jsonOutput_controlCharacters_escaped() throws IOException {
        Path odd = Files.writeString(tmp.resolve("odd\u0085\u001b[31m.rules"), Files.readString(Path.of(V4)));
        BuildCommandTest.Result r = run("fw", "analyze", "--format", "json", odd.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.out().contains("odd\\u0085\\u001B[31m.rules") || r.out().contains("odd\\u0085\\u001b[31m.rules"),
                r.out());
        assertFalse(r.out().contains("\u001b"), r.out());
    }

    @Test
    void analyze_hostNames_namedBoundsWithoutHostsExactWithThem() throws IOException {
        Path rules = tmp.resolve("names.rules");
        Files.writeString(
                rules,
                String.join(
                        "\n",
                        "*filter",
                        ":INPUT DROP [0:0]",
                        "-A INPUT -s ntp.example.net -p udp -m udp --dport 123 -j ACCEPT",
                        "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT",
                        "COMMIT",
                        ""));
        BuildCommandTest.Result bounds = run("fw", "analyze", rules.toString());
        assertEquals(0, bounds.code(), bounds.err());
        assertTrue(bounds.err().contains("names.rules:3:"), bounds.err());
        assertTrue(bounds.out().contains("bounds: 1 unmodelled conditions"), bounds.out());
        assertTrue(bounds.out().contains("-s ntp.example.net"), bounds.out());
        Path hosts = tmp.resolve("hosts");
        Files.writeString(hosts, "# ntp\n192.0.2.123 ntp.example.net ntp\n2001:db8::123 ntp.example.net\n");
        BuildCommandTest.Result exact = run("fw", "analyze", "--hosts", hosts.toString(), rules.toString());
        assertEquals(0, exact.code(), exact.err());
        assertTrue(exact.out().contains("(exact)"), exact.out());
        assertTrue(exact.out().contains("udp    123"), exact.out());
        assertTrue(exact.out().contains("udp    123        any  192.0.2.123"), exact.out());
        BuildCommandTest.Result query = run(
                "fw",
                "query",
                rules.toString(),
                "--src",
                "192.0.2.123",
                "--dst",
                "198.51.100.1",
                "--proto",
                "udp",
                "--dport",
                "123");
        assertEquals(0, query.code(), query.err());
        assertTrue(query.out().contains("host name not resolved"), query.out());
        BuildCommandTest.Result badHosts = run("fw", "analyze", "--hosts", rules.toString(), rules.toString());
        assertEquals(2, badHosts.code());
        assertTrue(badHosts.err().contains("HOSTS-SYNTAX"), badHosts.err());
    }

    /** {@link #everyCommand} and fw query, each on {@code file} with {@code extra} options. */
    static List<String[]> everyCommandAndQuery(String file, String... extra) {
        List<String[]> all = new ArrayList<>(everyCommand(file, extra));
        List<String> query = new ArrayList<>(List.of("fw", "query", file, "--src", "192.0.2.1", "--dst", "192.0.2.2"));
        query.addAll(List.of(extra));
        all.add(query.toArray(new String[0]));
        return all;
    }

    @Test
    void everyCommand_fileWithoutFilterTable_noTableErrorNamingTheFileExit2() throws IOException {
        Path nat = Files.writeString(tmp.resolve("nat.rules"), "*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n");
        for (String[] args : everyCommandAndQuery(nat.toString())) {
            BuildCommandTest.Result r = run(args);
            String what = String.join(" ", args) + "\n" + r.err();
            assertEquals(2, r.code(), what);
            assertEquals("", r.out(), what);
            assertTrue(r.err().startsWith(nat + ":1:1: error: no *filter table in this file [FW-NO-TABLE]\n"), what);
            assertTrue(
                    r.err()
                            .contains("  hint: give iptables-save (or ip6tables-save) output that includes the filter"
                                    + " table\n"),
                    what);
        }
    }

    @Test
    void lint_fileWithoutFilterTable_refusedNotNoFindings() throws IOException {
        // lint used to skip such a file and print "No findings." with exit 0: nothing had been checked
        Path nat = Files.writeString(tmp.resolve("nat.rules"), "*nat\n:PREROUTING ACCEPT [0:0]\nCOMMIT\n");
        BuildCommandTest.Result r = run("fw", "lint", "--format", "json", V4, nat.toString());
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("", r.out());
        assertTrue(r.err().contains(nat + ":1:1: error: no *filter table in this file [FW-NO-TABLE]"), r.err());
        assertTrue(r.err().contains("stockade: 1 error in " + nat + ";"), r.err());
    }

    @Test
    void matrix_tableOption_missingTableNamedInTheError() {
        BuildCommandTest.Result r = run("fw", "matrix", "--table", "nat", V4);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith(V4 + ":1:1: error: no *nat table in this file [FW-NO-TABLE]"), r.err());
        assertTrue(r.err().contains("output that includes the nat table"), r.err());
    }

    @Test
    void everyChainCommand_unknownChain_noChainErrorListingTheBuiltinsExit2() {
        for (String[] args : everyCommandAndQuery(V4, "--chain", "NOPE")) {
            if (args[1].equals("lint")) {
                continue; // lint looks at every chain; it has no --chain
            }
            BuildCommandTest.Result r = run(args);
            String what = String.join(" ", args) + "\n" + r.err();
            assertEquals(2, r.code(), what);
            assertEquals("", r.out(), what);
            assertTrue(
                    r.err()
                            .startsWith(
                                    V4 + ":1:1: error: the filter table has no builtin chain 'NOPE' [FW-NO-CHAIN]\n"),
                    what);
            assertTrue(
                    r.err().contains("  hint: choose a builtin chain with --chain (filter: INPUT, FORWARD, OUTPUT)"),
                    what);
        }
        BuildCommandTest.Result user =
                run("fw", "analyze", "--chain", "services", DIR + "../iptables/features-v4.rules");
        assertEquals(2, user.code(), user.err());
        assertTrue(user.err().contains("the filter table has no builtin chain 'services' [FW-NO-CHAIN]"), user.err());
    }

    @Test
    void everyCommand_ipv6FileReadAsIpv4_familyMismatchAtTheAddress() {
        for (String[] args : everyCommandAndQuery(V6, "-4")) {
            BuildCommandTest.Result r = run(args);
            String what = String.join(" ", args) + "\n" + r.err();
            assertEquals(2, r.code(), what);
            assertEquals("", r.out(), what);
            assertTrue(
                    r.err()
                            .startsWith(
                                    V6 + ":7:13: error: the address 2001:db8:ad::/48 is IPv6, but the file is read as"
                                            + " IPv4 as asked [IPT-FAMILY-MISMATCH]\n"),
                    what);
            assertTrue(
                    r.err().contains("  hint: ask for IPv6 instead, or move this rule to an ip6tables-save file\n"),
                    what);
        }
        for (String[] args : everyCommandAndQuery(V4, "--family", "ipv6")) {
            BuildCommandTest.Result r = run(args);
            assertEquals(2, r.code(), String.join(" ", args));
            assertTrue(r.err().startsWith(V4 + ":7:13: error: the address 203.0.113.0/24 is IPv4"), r.err());
        }
    }

    @Test
    void diff_mixedFamiliesWithForcedFamily_errorAtTheOtherFile() {
        // -6 reads both as IPv6: the IPv4 file's addresses contradict it, not the comparison
        BuildCommandTest.Result r = run("fw", "diff", "-6", V6, V4);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith(V4 + ":7:13: error: the address 203.0.113.0/24 is IPv4"), r.err());
        assertTrue(r.err().contains("[IPT-FAMILY-MISMATCH]"), r.err());
        assertFalse(r.err().contains(V6 + ":"), r.err());
    }

    @Test
    void everyCommand_missingFile_readErrorExit2() {
        String missing = tmp.resolve("nope.rules").toString();
        for (String[] args : everyCommandAndQuery(missing)) {
            BuildCommandTest.Result r = run(args);
            String what = String.join(" ", args) + "\n" + r.err();
            assertEquals(2, r.code(), what);
            assertTrue(
                    r.err().startsWith(missing + ":1:1: error: no such file [IPT-READ]\n  hint: check the path\n"),
                    what);
        }
        BuildCommandTest.Result dir = run("fw", "analyze", tmp.toString());
        assertEquals(2, dir.code());
        assertTrue(dir.err().startsWith(tmp + ":1:1: error: is a directory, not a file [IPT-READ]"), dir.err());
    }

    @Test
    void hostsOption_missingFile_hostsReadErrorExit2() {
        String missing = tmp.resolve("hosts").toString();
        BuildCommandTest.Result r = run("fw", "analyze", "--hosts", missing, V4);
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith(missing + ":1:1: error: no such file [HOSTS-READ]\n"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void lint_failOnEachLevel_exitFollowsTheWorstFinding() throws IOException {
        // addressfree.rules has one warning (a shadowed rule) and no error
        assertEquals(0, run("fw", "lint", ADDRESS_FREE).code());
        assertEquals(0, run("fw", "lint", "--fail-on", "error", ADDRESS_FREE).code());
        assertEquals(1, run("fw", "lint", "--fail-on", "warning", ADDRESS_FREE).code());
        Path undefined = Files.writeString(
                tmp.resolve("undefined.rules"),
                "*filter\n:INPUT DROP [0:0]\n-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n"
                        + "-A INPUT -i lo -j ACCEPT\n-A INPUT -j nowhere\nCOMMIT\n");
        for (String level : new String[] {"error", "warning"}) {
            BuildCommandTest.Result r = run("fw", "lint", "--fail-on", level, undefined.toString());
            assertEquals(1, r.code(), level + "\n" + r.out());
            assertTrue(r.out().contains(undefined + ":5:1: error: jump to chain 'nowhere'"), r.out());
        }
        BuildCommandTest.Result bad = run("fw", "lint", "--fail-on", "info", ADDRESS_FREE);
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--fail-on"), bad.err());
    }

    static final String IPASSMT_RULES = DIR + "ipassmt-fuzz.rules";

    @Test
    void matrix_ipassmt_splitsSourcesByInterface() throws IOException {
        Path ipassmt = Files.writeString(
                tmp.resolve("a.ipassmt"),
                "# eth1 is the inside\neth0 = all_but_those_ips [10.0.0.0/8]\neth1 = [10.0.0.0/8]\n");
        BuildCommandTest.Result without = run("fw", "matrix", "--chain", "FORWARD", "--port", "22", IPASSMT_RULES);
        assertEquals(0, without.code(), without.err());
        assertTrue(without.out().contains("a |-> {0.0.0.0 .. 255.255.255.255}\n\n(a,a)\n"), without.out());
        BuildCommandTest.Result with = run(
                "fw", "matrix", "--chain", "FORWARD", "--port", "22", "--ipassmt", ipassmt.toString(), IPASSMT_RULES);
        assertEquals(0, with.code(), with.err());
        assertEquals("", with.err());
        // the outside (eth0) reaches every address through '-i eth0 -o eth1', the inside (eth1) only the
        // inside through '! -i eth0 -d 10.0.0.0/8'
        assertTrue(
                with.out()
                        .contains("a |-> {0.0.0.0 .. 9.255.255.255} u {11.0.0.0 .. 255.255.255.255}\n"
                                + "b |-> {10.0.0.0 .. 10.255.255.255}\n\n(a,a)\n(a,b)\n(b,b)\n"),
                with.out());
    }

    @Test
    void matrix_badIpassmt_everyProblemLocatedExit2() throws IOException {
        Path ipassmt = Files.writeString(
                tmp.resolve("b.ipassmt"), "eth0 = [10.0.0.0/8]\neth0 = [192.0.2.0/24]\neth1 = [10.0.0.300]\n");
        BuildCommandTest.Result r = run("fw", "matrix", "--ipassmt", ipassmt.toString(), V4);
        assertEquals(2, r.code(), r.err());
        assertEquals("", r.out());
        assertTrue(
                r.err()
                        .startsWith(ipassmt + ":2:1: error: interface eth0 is assigned twice (first at line 1)"
                                + " [IPASSMT-DUPLICATE]\n"),
                r.err());
        assertTrue(
                r.err().contains("  hint: give each interface one entry, with all its addresses in its list\n"),
                r.err());
        assertTrue(
                r.err()
                        .contains(ipassmt + ":3:9: error: interface eth1: '10.0.0.300' is not an IPv4 address"
                                + " [IPASSMT-ADDRESS]\n"),
                r.err());
        assertTrue(r.err().contains("stockade: 2 errors in " + ipassmt), r.err());
        String missing = tmp.resolve("none.ipassmt").toString();
        BuildCommandTest.Result none = run("fw", "matrix", "--ipassmt", missing, V4);
        assertEquals(2, none.code());
        assertTrue(none.err().startsWith(missing + ":1:1: error: no such file [IPASSMT-READ]\n"), none.err());
    }

    @Test
    void matrix_ipassmtWithIpv6File_warnsThatItDoesNotApply() throws IOException {
        // the assignment is IPv4: an IPv6 ruleset's matrix used to ignore it without a word
        Path ipassmt = Files.writeString(tmp.resolve("a.ipassmt"), "eth0 = [10.0.0.0/8]\n");
        BuildCommandTest.Result r = run("fw", "matrix", "--ipassmt", ipassmt.toString(), V4, V6);
        assertEquals(0, r.code(), r.err());
        assertTrue(
                r.err()
                        .startsWith(ipassmt + ":1:1: warning: the IP assignment holds IPv4 addresses; it does not apply"
                                + " to " + V6 + " (IPv6) [IPASSMT-IGNORED]\n"),
                r.err());
        assertFalse(r.err().contains(V4 + " (IPv4)"), r.err());
        assertEquals(
                run("fw", "matrix", V6).out(),
                run("fw", "matrix", "--ipassmt", ipassmt.toString(), V6).out());
    }
}
