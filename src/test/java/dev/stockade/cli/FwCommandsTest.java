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
}
