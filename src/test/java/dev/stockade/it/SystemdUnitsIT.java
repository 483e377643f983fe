package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.cli.Main;
import dev.stockade.provision.ParsedNodeConfig;
import dev.stockade.testing.Commands;
import dev.stockade.testing.ExecResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every unit Stockade defines (the container units of the proxy and the workloads, etcd on Fedora
 * CoreOS, the restore and path units) checked by systemd's own {@code systemd-analyze verify}: its
 * syntax, its settings and its command lines as systemd reads them. The container engines are not
 * installed here, so a private mount namespace puts stand-ins at /usr/bin/docker and
 * /usr/bin/podman (an overlay on /usr/bin) and the units are verified beside a stand-in
 * docker.service; nothing outside the namespace changes.
 */
class SystemdUnitsIT {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"flatcar", "fcos"})
    void everyDefinedUnit_passesSystemdAnalyzeVerify(String target, @TempDir Path tmp) throws Exception {
        GeneratedFilesIT.requireTool("systemd-analyze");
        String spec = Files.readString(Path.of("examples/proxy.yaml"))
                .replace("target: flatcar", "target: " + target)
                .replace("proxy:\n", "pki: {deliver: ssh}\nproxy:\n");
        Path specFile = Files.writeString(tmp.resolve("proxy.yaml"), spec);
        StringWriter err = new StringWriter();
        assertEquals(
                0,
                Main.run(
                        new String[] {
                            "build",
                            specFile.toString(),
                            "-o",
                            tmp.resolve("out").toString(),
                            "--pki",
                            tmp.resolve("pki").toString()
                        },
                        new PrintWriter(new StringWriter()),
                        new PrintWriter(err)),
                err.toString());
        ParsedNodeConfig node = ParsedNodeConfig.ignition(Files.readString(tmp.resolve("out/web/web-1/ignition.json")));
        Path units = Files.createDirectories(tmp.resolve("units"));
        List<String> names = new ArrayList<>();
        for (Map.Entry<String, ParsedNodeConfig.UnitEntry> u : node.units().entrySet()) {
            if (u.getValue().contents().isPresent()) {
                Files.writeString(
                        units.resolve(u.getKey()), u.getValue().contents().get());
                names.add(units.resolve(u.getKey()).toString());
            }
        }
        assertTrue(names.stream().anyMatch(n -> n.endsWith("stockade-workload-app.service")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.endsWith("stockade-proxy.service")), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.endsWith("stockade-proxy-tls.path")), names.toString());
        Files.writeString(
                units.resolve("docker.service"), "[Unit]\nDescription=stand-in\n[Service]\nExecStart=/bin/true\n");
        Path upper = Files.createDirectories(tmp.resolve("bin-up"));
        Path work = Files.createDirectories(tmp.resolve("bin-work"));
        for (String engine : List.of("docker", "podman")) {
            Path stub = Files.writeString(upper.resolve(engine), "#!/bin/sh\nexit 0\n");
            stub.toFile().setExecutable(true, false);
        }
        String script = "mount -t overlay overlay -o lowerdir=/usr/bin,upperdir=" + upper + ",workdir=" + work
                + " /usr/bin && cd " + units + " && exec systemd-analyze verify --man=no "
                + String.join(" ", names);
        ExecResult r = Commands.run(
                List.of("unshare", "-m", "--propagation", "private", "sh", "-c", script), Duration.ofSeconds(60));
        assertEquals(0, r.exit(), r.describe());
        assertEquals("", r.stderr().strip(), "systemd has nothing to say about the units: " + r.describe());
    }
}
