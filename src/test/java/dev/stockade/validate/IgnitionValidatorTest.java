package dev.stockade.validate;

import static dev.stockade.validate.Findings.none;
import static dev.stockade.validate.Findings.one;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IgnitionValidatorTest {

    /** A config of spec {@code version} with {@code body} after the ignition section (line 2 on). */
    static List<Finding> check(String version, String body) {
        return IgnitionValidator.validate(
                        "c.ign",
                        "{\"ignition\": {\"version\": \"" + version + "\"}" + (body.isEmpty() ? "" : ",\n" + body)
                                + "\n}")
                .findings();
    }

    /** A config whose whole body (the ignition section included) is {@code body}, from line 2. */
    static List<Finding> raw(String body) {
        return IgnitionValidator.validate("c.ign", "{\n" + body + "\n}").findings();
    }

    static List<Finding> check(String body) {
        return check("3.3.0", body);
    }

    @Test
    void clean_configWithFilesUnitsUsers_noFindings() {
        List<Finding> f = check("""
                "storage": {"files": [{"path": "/etc/hostname", "mode": 420, "contents": {"source": "data:,n1"}}],
                  "directories": [{"path": "/opt/x", "mode": 493}], "links": [{"path": "/etc/l", "target": "/etc/hostname"}]},
                "systemd": {"units": [{"name": "a.service", "enabled": true,
                  "contents": "[Service]\\nExecStart=/bin/true\\n[Install]\\nWantedBy=multi-user.target\\n",
                  "dropins": [{"name": "10-x.conf", "contents": "[Service]\\nNice=1\\n"}]}]},
                "passwd": {"users": [{"name": "core", "sshAuthorizedKeys": ["ssh-ed25519 AAAA k"]}]},
                "kernelArguments": {"shouldExist": ["quiet"]}""");
        assertEquals(List.of(), f);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "2.2.0|this is an Ignition 2.2.0 config; Flatcar and Fedora CoreOS read spec 3",
                "3.6.0|spec version 3.6.0 is not one Stockade knows (3.0.0 to 3.5.0)",
                "3.3|'3.3' is not a spec version",
                "3.4.0-experimental|spec version 3.4.0-experimental is not one Stockade knows"
            })
    void version_refusedWithWhatToDo(String version, String message) {
        List<Finding> f = check(version, "");
        Finding v = one(f, "IGN-VERSION", 1, 26, message);
        assertEquals(1, f.size(), "nothing else is checked: " + f);
        if (version.startsWith("2")) {
            assertTrue(v.hint().contains("ign-converter"), v.hint());
        }
    }

    @Test
    void version_missing_atTheIgnitionObject() {
        List<Finding> f =
                IgnitionValidator.validate("c.ign", "{\"ignition\": {}}").findings();
        one(f, "IGN-VERSION", 1, 14, "the config has no ignition.version string");
    }

    @Test
    void json_syntaxAndTopLevelType() {
        one(
                IgnitionValidator.validate("c.ign", "{\"ignition\": {\"version\": \"3.3.0\"},}")
                        .findings(),
                "JSON-SYNTAX",
                1,
                35,
                "");
        one(IgnitionValidator.validate("c.ign", "[1]").findings(), "IGN-TYPE", 1, 1, "not a list");
    }

    @Test
    void unknownKey_errorWithSuggestion_andKeyFromALaterSpec() {
        List<Finding> f = check("3.2.0", "\"storage\": {\"file\": []},\n\"kernelArguments\": {}");
        Finding unknown = one(f, "IGN-UNKNOWN-KEY", 2, 13, "$.storage.file: unknown key 'file'");
        assertEquals("did you mean 'files'?", unknown.hint());
        assertEquals(Severity.ERROR, unknown.severity());
        one(f, "IGN-KEY-VERSION", 3, 1, "'kernelArguments' needs spec 3.3.0 or later; this config is 3.2.0");
        none(check("3.3.0", "\"kernelArguments\": {}"), "IGN-KEY-VERSION");
    }

    @Test
    void types_wrongJsonType_withOctalHintForQuotedModes() {
        List<Finding> f =
                check("\"storage\": {\"files\": [{\"path\": \"/a\", \"mode\": \"0644\", \"overwrite\": \"yes\"}]}");
        assertEquals(2, f.size(), f.toString());
        assertEquals(
                "c.ign:2:46: error: $.storage.files.0.mode: expected a whole number, not a string [IGN-TYPE]",
                f.get(0).toString());
        assertTrue(f.get(0).hint().contains("0644 octal is 420"), f.get(0).hint());
        assertEquals(
                "c.ign:2:67: error: $.storage.files.0.overwrite: expected true or false, not a string [IGN-TYPE]",
                f.get(1).toString());
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "etc/x|'etc/x' is not an absolute path",
                "/etc/../etc/x|'/etc/../etc/x' is not simplified",
                "/etc/x/|'/etc/x/' is not simplified",
                "''|the path is empty"
            })
    void paths_absoluteAndSimplified(String path, String message) {
        List<Finding> f = check("\"storage\": {\"files\": [{\"path\": \"" + path + "\"}]}");
        one(f, "IGN-PATH", 2, 32, message);
    }

    @Test
    void duplicates_acrossFilesDirectoriesAndLinks_laterOnesReported() {
        List<Finding> f = check("""
                "storage": {"directories": [{"path": "/x"}],
                  "files": [{"path": "/x"}], "links": [{"path": "/y", "target": "/z"}, {"path": "/y", "target": "/z"}]},
                "systemd": {"units": [{"name": "a.service"}, {"name": "a.service"}]}""");
        List<Finding> dups =
                f.stream().filter(x -> x.id().equals("IGN-DUPLICATE")).toList();
        assertEquals(3, dups.size(), f.toString());
        assertTrue(
                dups.get(0)
                        .message()
                        .startsWith("$.storage.files.0: '/x' is defined again (first at" + " $.storage.directories.0)"),
                dups.get(0).message());
        assertTrue(dups.get(2).message().startsWith("$.systemd.units.1: 'a.service' is defined again"), f.toString());
    }

    @Test
    void modes_rangeSpecialBitsAndDecimalLookingOctal() {
        one(check("\"storage\": {\"files\": [{\"path\": \"/a\", \"mode\": 4096}]}"), "IGN-MODE", 2, 46, "mode 4096");
        one(
                check("\"storage\": {\"files\": [{\"path\": \"/a\", \"mode\": 2541}]}"),
                "IGN-MODE-SPECIAL",
                2,
                46,
                "(mode 2541 = 04755)");
        none(check("3.4.0", "\"storage\": {\"files\": [{\"path\": \"/a\", \"mode\": 2541}]}"), "IGN-MODE-SPECIAL");
        Finding dec = one(
                check("\"storage\": {\"directories\": [{\"path\": \"/a\", \"mode\": 755}]}"),
                "IGN-MODE-DECIMAL",
                2,
                52,
                "mode 755 is decimal, i.e. 01363; did you mean 0755?");
        assertEquals("Ignition modes are decimal: write 493 for 0755", dec.hint());
        none(check("\"storage\": {\"files\": [{\"path\": \"/a\", \"mode\": 420}]}"), "IGN-MODE-DECIMAL");
    }

    @Test
    void files_ownerOverwriteLinkTargetAndLinksOnTheWay() {
        List<Finding> f = check("""
                "storage": {"files": [{"path": "/l/f", "overwrite": true, "user": {"id": 0, "name": "root"}}],
                  "links": [{"path": "/l"}]}""");
        one(f, "IGN-OVERWRITE", 2, 53, "overwrite is true but the file has no contents.source");
        one(f, "IGN-OWNER", 2, 67, "both an id and a name for the user");
        one(f, "IGN-LINK-TARGET", 3, 13, "a link needs a target");
        one(f, "IGN-PATH-LINK", 2, 32, "/l/f lies under /l, which this config makes a link");
        none(check("3.2.0", "\"storage\": {\"links\": [{\"path\": \"/l\"}]}"), "IGN-LINK-TARGET");
    }

    @Test
    void resources_compressionHashUrlAndDataUrl() {
        List<Finding> f = check("""
                "storage": {"files": [
                  {"path": "/a", "contents": {"source": "ftp://h/x", "compression": "bzip2"}},
                  {"path": "/b", "contents": {"source": "data:,%zz", "verification": {"hash": "sha512-00"}}},
                  {"path": "/c", "contents": {"verification": {"hash": "md5"}}}]}""");
        one(f, "IGN-URL", 3, 41, "Ignition 3.3.0 cannot fetch ftp: URLs");
        one(f, "IGN-COMPRESSION", 3, 69, "compression 'bzip2' is not one Ignition knows");
        one(f, "IGN-DATA-URL", 4, 41, "'%zz' is not a percent escape");
        List<Finding> hashes = f.stream().filter(x -> x.id().equals("IGN-HASH")).toList();
        assertEquals(3, hashes.size(), f.toString());
        assertTrue(hashes.get(0).message().endsWith("a sha512 digest is 128 hex digits"), hashes.toString());
        assertTrue(hashes.get(1).message().endsWith("a hash without a source"), hashes.toString());
        assertTrue(hashes.get(2).message().endsWith("'md5' is not FUNCTION-HEXDIGEST"), hashes.toString());
        one(
                check(
                        "3.0.0",
                        "\"storage\": {\"files\": [{\"path\": \"/a\", \"contents\": {\"source\": \"gs://b/o\"}}]}"),
                "IGN-URL",
                2,
                61,
                "cannot fetch gs: URLs");
        none(
                check(
                        "3.2.0",
                        "\"storage\": {\"files\": [{\"path\": \"/a\", \"contents\": {\"source\": \"gs://b/o\"}}]}"),
                "IGN-URL");
    }

    @Test
    void headersProxiesAndRequiredSources_fromSpec31() {
        List<Finding> f = raw("""
                "ignition": {"version": "3.1.0",
                  "config": {"merge": [{"source": ""}]},
                  "proxy": {"httpProxy": "socks5://p:1080", "httpsProxy": "http://p:3128"}},
                "storage": {"files": [{"path": "/a", "contents": {"source": "data:,x",
                  "httpHeaders": [{"name": "", "value": ""}, {"name": "", "value": "v"}]}}]}""");
        one(f, "IGN-SOURCE", 3, 24, "$.ignition.config.merge.0: a source is required here");
        List<String> proxy = f.stream()
                .filter(x -> x.id().equals("IGN-PROXY"))
                .map(Finding::message)
                .toList();
        assertEquals(
                List.of(
                        "$.ignition.proxy.httpProxy: proxies must be http:// or https:// URLs",
                        "$.ignition.proxy.httpsProxy: a plaintext http:// proxy for https resources"),
                proxy);
        List<String> headers = f.stream()
                .filter(x -> x.id().equals("IGN-HEADER"))
                .map(Finding::message)
                .toList();
        assertEquals(
                List.of(
                        "$.storage.files.0.contents.httpHeaders: HTTP headers with a data: source",
                        "$.storage.files.0.contents.httpHeaders.0.name: an HTTP header needs a name",
                        "$.storage.files.0.contents.httpHeaders.0.value: an empty header value",
                        "$.storage.files.0.contents.httpHeaders.1.name: an HTTP header needs a name"),
                headers);
        one(f, "IGN-DUPLICATE", 6, 46, "a second entry without a name");
        none(check("3.0.0", "\"ignition\": {\"version\": \"3.0.0\", \"config\": {\"merge\": [{}]}}"), "IGN-SOURCE");
    }

    @Test
    void hardLinkToADirectory_refused_symbolicLinkFine() {
        one(
                check("\"storage\": {\"directories\": [{\"path\": \"/d\"}],"
                        + " \"links\": [{\"path\": \"/l\", \"target\": \"/d\", \"hard\": true}]}"),
                "IGN-LINK-TARGET",
                2,
                56,
                "hard link to /d, which this config makes a directory");
        none(
                check("\"storage\": {\"directories\": [{\"path\": \"/d\"}],"
                        + " \"links\": [{\"path\": \"/l\", \"target\": \"/d\"}]}"),
                "IGN-LINK-TARGET");
    }

    @Test
    void units_suffixContentsInstallAndDropins() {
        List<Finding> f = check("""
                "systemd": {"units": [
                  {"name": "a", "enabled": true, "contents": "[Service]\\nExecStart=/bin/true\\n"},
                  {"name": "b.service", "contents": "[Unit]\\nno equals sign\\n",
                   "dropins": [{"name": "x.txt", "contents": "[Service] junk\\n"}]}]}""");
        one(f, "IGN-UNIT-NAME", 3, 12, "'a' has no unit type suffix");
        one(f, "IGN-UNIT-INSTALL", 3, 46, "unit 'a' is enabled but has no [Install] section");
        List<Finding> content =
                f.stream().filter(x -> x.id().equals("IGN-UNIT-CONTENT")).toList();
        assertEquals(2, content.size(), f.toString());
        assertTrue(
                content.get(0).message().contains("'no equals sign' is not Name=value (line 2 of the unit)"),
                content.toString());
        assertTrue(content.get(1).message().contains("text after the section name: \"junk\""), content.toString());
        one(f, "IGN-DROPIN-NAME", 5, 25, "drop-in 'x.txt' does not end in .conf");
    }

    @Test
    void passwd_namesRequiredAndUnique() {
        List<Finding> f = check("\"passwd\": {\"users\": [{\"name\": \"a\"}, {\"name\": \"a\"}, {\"uid\": 5}],"
                + " \"groups\": [{\"name\": \"g\"}]}");
        one(f, "IGN-DUPLICATE", 2, 37, "'a' is defined again");
        one(f, "IGN-NAME", 2, 52, "a user needs a name");
    }

    @Test
    void variables_neverSubstitutedByIgnition() {
        one(
                check(
                        "\"storage\": {\"files\": [{\"path\": \"/etc/e\", \"contents\": {\"source\": \"data:,IP=$private_ipv4\"}}]}"),
                "IGN-VARIABLE",
                2,
                65,
                "which Ignition never substitutes");
        none(
                check(
                        "\"storage\": {\"files\": [{\"path\": \"/etc/e\", \"contents\": {\"source\": \"data:,IP=10.0.0.1\"}}]}"),
                "IGN-VARIABLE");
    }

    @Test
    void hostConfig_filesWithDecodedContentsUnitsAndUsers() {
        Checked c = IgnitionValidator.validate(
                "c.ign",
                "{\"ignition\": {\"version\": \"3.3.0\"},"
                        + " \"storage\": {\"files\": [{\"path\": \"/a\", \"mode\": 384, \"contents\": {\"source\": \"data:,x%20y\"}}]},"
                        + " \"systemd\": {\"units\": [{\"name\": \"u.service\", \"enabled\": true}]},"
                        + " \"passwd\": {\"users\": [{\"name\": \"core\", \"groups\": [\"docker\"]}]}}");
        HostConfig.File file = c.host().orElseThrow().files().get(0);
        assertEquals(Optional.of("x y"), file.contents());
        assertEquals(0600, file.effectiveMode());
        assertTrue(c.host().orElseThrow().units().get(0).enabled());
        assertEquals(List.of("docker"), c.host().orElseThrow().users().get(0).groups());
    }

    @Test
    void clean_lexicalPosixClean() {
        assertEquals("/", IgnitionValidator.clean("/"));
        assertEquals("/a/b", IgnitionValidator.clean("//a/./b/"));
        assertEquals("/b", IgnitionValidator.clean("/../a/../b"));
    }
}
