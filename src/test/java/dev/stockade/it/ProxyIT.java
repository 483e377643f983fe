package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.cli.Main;
import dev.stockade.provision.ParsedNodeConfig;
import dev.stockade.testing.ExecResult;
import dev.stockade.testing.Host;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.Segment;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy of examples/proxy.yaml served by Debian's nginx with exactly the configuration, the
 * certificate and the firewall {@code stockade build} wrote for web-1, in a network namespace with
 * real backends on its loopback (each answers its name and the X-Forwarded-For it was given).
 * From an "internet" namespace: each host and path reaches its backend over HTTPS verified against
 * the cluster CA; HTTP redirects to HTTPS; the office-only route refuses everyone else; a spoofed
 * X-Forwarded-For is replaced; an unknown host gets no answer (HTTP) and no handshake (HTTPS); the
 * backends' ports cannot be reached directly.
 */
class ProxyIT {

    static final String BACKEND = """
            import http.server, sys
            name, port = sys.argv[1], int(sys.argv[2])
            class H(http.server.BaseHTTPRequestHandler):
                def do_GET(self):
                    body = (name + " " + self.path + " xff=" + str(self.headers.get("X-Forwarded-For"))).encode()
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                def log_message(self, *a):
                    pass
            http.server.HTTPServer(("127.0.0.1", port), H).serve_forever()
            """;

    @Test
    void nginxFromTheBuild_routesByHostAndPath_overVerifiedTls_backendsClosed(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Path pki = tmp.resolve("pki");
        StringWriter err = new StringWriter();
        StringWriter built = new StringWriter();
        assertEquals(
                0,
                Main.run(
                        new String[] {"build", "examples/proxy.yaml", "-o", out.toString(), "--pki", pki.toString()},
                        new PrintWriter(built),
                        new PrintWriter(err)),
                err.toString());
        // the proof: what web-1 lets in is SSH from the office and the proxy's ports, not the workloads'
        String web1 = built.toString().substring(built.toString().indexOf("web-1  private"));
        web1 = web1.substring(0, web1.indexOf("\n\n"));
        assertEquals(
                List.of("22 admin.ssh", "80 services.proxy-http", "443 services.proxy-https"),
                web1.lines()
                        .filter(l -> l.startsWith("  tcp") || l.startsWith("  udp"))
                        .map(l -> l.trim().split(" +"))
                        .map(c -> c[1] + " " + c[3])
                        .toList(),
                web1);
        assertTrue(web1.contains("proof: IPv4 holds, IPv6 holds"), web1);
        assertTrue(web1.contains("\n  containers: proxy, app, api (images pinned by digest)"), web1);
        Path node = out.resolve("web").resolve("web-1");
        // the workloads behind the proxy run from pinned images: images check finds them all pinned
        StringWriter check = new StringWriter();
        assertEquals(
                0,
                Main.run(
                        new String[] {
                            "images",
                            "check",
                            "--fail-on",
                            "warning",
                            node.resolve("ignition.json").toString()
                        },
                        new PrintWriter(check),
                        new PrintWriter(new StringWriter())),
                check.toString());
        assertTrue(check.toString().contains(": 3 image references, 3 pinned by digest.\n"), check.toString());
        Path files = Files.createDirectories(tmp.resolve("files"));
        extract(node.resolve("ignition.json"), files);
        Path backend = Files.writeString(tmp.resolve("backend.py"), BACKEND);
        NetnsLab lab = NetnsLab.create();
        List<Host> hosts = new ArrayList<>();
        List<Process> started = new ArrayList<>();
        try {
            Segment pub = lab.segment("pub");
            Host web = lab.host("web1");
            Host inet = lab.host("inet");
            hosts.add(web);
            lab.attach(web, "eth0", pub, "198.51.100.21/24", "2001:db8::21/64");
            lab.attach(inet, "eth0", pub, "198.51.100.99/24", "2001:db8::99/64");
            lab.loadRules(web, node.resolve("iptables.rules"), node.resolve("ip6tables.rules"));
            for (String[] b : List.of(
                    new String[] {"app", "8080"}, new String[] {"admin", "9090"}, new String[] {"api", "8081"})) {
                started.add(new ProcessBuilder(
                                "ip", "netns", "exec", web.netns(), "/usr/bin/python3", backend.toString(), b[0], b[1])
                        .redirectErrorStream(true)
                        .redirectOutput(tmp.resolve("backend-" + b[0] + ".log").toFile())
                        .start());
            }
            // nginx in web-1's own mount namespace: the node's /etc (an overlay) holds the built files
            String setup = "mount -t tmpfs -o mode=0755 stockade-test /var/lib && " + ApplyIT.OWN_ETC
                    + " && mkdir -p /etc/stockade/proxy /etc/ssl/proxy"
                    + " && cp " + files.resolve("nginx.conf") + " /etc/stockade/proxy/nginx.conf"
                    + " && cp -p " + files.resolve("proxy.pem") + " " + files.resolve("proxy-key.pem")
                    + " /etc/ssl/proxy/"
                    + " && mount -t tmpfs -o mode=1777 stockade-tmp /tmp && mkdir -p /tmp/stockade-proxy"
                    + " && /usr/sbin/nginx -t -c /etc/stockade/proxy/nginx.conf -g 'pid /var/lib/nginx.pid;'"
                    + " && exec /usr/sbin/nginx -c /etc/stockade/proxy/nginx.conf"
                    + " -g 'daemon off; pid /var/lib/nginx.pid;'";
            Process nginx = new ProcessBuilder(
                            "ip",
                            "netns",
                            "exec",
                            web.netns(),
                            "unshare",
                            "-m",
                            "--propagation",
                            "private",
                            "sh",
                            "-c",
                            setup)
                    .redirectErrorStream(true)
                    .redirectOutput(tmp.resolve("nginx.log").toFile())
                    .start();
            started.add(nginx);
            String ca = pki.resolve("ca.pem").toString();
            ExecResult app = awaitOk(
                    lab,
                    inet,
                    tmp,
                    "--cacert",
                    ca,
                    "--resolve",
                    "app.example.com:443:198.51.100.21",
                    "-H",
                    "X-Forwarded-For: 10.9.9.9",
                    "https://app.example.com/hello");
            assertEquals("app /hello xff=198.51.100.99", app.stdout(), "the right backend; a spoofed XFF replaced");
            ExecResult api = curl(
                    lab,
                    inet,
                    "--cacert",
                    ca,
                    "--resolve",
                    "api.example.com:443:198.51.100.21",
                    "https://api.example.com/v1/x");
            assertEquals("api /v1/x xff=198.51.100.99", api.stdout(), api.describe());
            ExecResult admin = curl(
                    lab,
                    inet,
                    "--cacert",
                    ca,
                    "--resolve",
                    "app.example.com:443:198.51.100.21",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "https://app.example.com/admin/");
            assertEquals("403", admin.stdout(), "the office-only route refuses the internet: " + admin.describe());
            ExecResult redirect = curl(
                    lab,
                    inet,
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code} %{redirect_url}",
                    "-H",
                    "Host: app.example.com",
                    "http://198.51.100.21/x?y=1");
            assertEquals("301 https://app.example.com/x?y=1", redirect.stdout(), redirect.describe());
            ExecResult headers = curl(
                    lab,
                    inet,
                    "--cacert",
                    ca,
                    "--resolve",
                    "app.example.com:443:198.51.100.21",
                    "-D",
                    "-",
                    "-o",
                    "/dev/null",
                    "https://app.example.com/");
            assertTrue(headers.stdout().contains("Server: nginx\r\n"), "no version: " + headers.stdout());
            assertTrue(
                    headers.stdout()
                            .toLowerCase(java.util.Locale.ROOT)
                            .contains("strict-transport-security: max-age=31536000"),
                    headers.stdout());

            ExecResult unknownHttp = curl(lab, inet, "-H", "Host: evil.example.net", "http://198.51.100.21/");
            assertEquals(52, unknownHttp.exit(), "an unknown host gets no answer: " + unknownHttp.describe());
            ExecResult unknownTls = curl(
                    lab,
                    inet,
                    "--cacert",
                    ca,
                    "--resolve",
                    "evil.example.net:443:198.51.100.21",
                    "https://evil.example.net/");
            assertEquals(35, unknownTls.exit(), "no handshake for an unknown name: " + unknownTls.describe());
            ExecResult untrusted =
                    curl(lab, inet, "--resolve", "app.example.com:443:198.51.100.21", "https://app.example.com/");
            assertEquals(
                    60,
                    untrusted.exit(),
                    "the certificate is the cluster CA's, not a public one: " + untrusted.describe());
            for (String port : List.of("8080", "9090", "8081")) {
                // dropped by the firewall (curl times out, 28), not refused by the kernel (7)
                ExecResult direct = curl(lab, inet, "--max-time", "1", "http://198.51.100.21:" + port + "/");
                assertEquals(28, direct.exit(), "backend port " + port + " is dropped: " + direct.describe());
            }
            // IPv6: the same proxy on the node's IPv6 address, the backends closed there too
            ExecResult v6 = curl(
                    lab,
                    inet,
                    "--cacert",
                    ca,
                    "--resolve",
                    "app.example.com:443:[2001:db8::21]",
                    "https://app.example.com/v6");
            assertEquals("app /v6 xff=2001:db8::99", v6.stdout(), v6.describe());
            ExecResult v6redirect = curl(
                    lab,
                    inet,
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code}",
                    "-H",
                    "Host: app.example.com",
                    "http://[2001:db8::21]/");
            assertEquals("301", v6redirect.stdout(), v6redirect.describe());
            for (String port : List.of("8080", "9090", "8081")) {
                ExecResult direct = curl(lab, inet, "--max-time", "1", "http://[2001:db8::21]:" + port + "/");
                assertEquals(28, direct.exit(), "backend port " + port + " is dropped on IPv6: " + direct.describe());
            }
            ExecResult inside = lab.exec(web, "curl", "-sS", "--max-time", "3", "http://127.0.0.1:8080/in");
            assertEquals("app /in xff=None", inside.stdout(), "the backends do run: " + inside.describe());
        } finally {
            started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
            started.forEach(Process::destroyForcibly);
            hosts.forEach(ApplyTlsIT::killAllIn);
            lab.close();
        }
    }

    static ExecResult curl(NetnsLab lab, Host from, String... args) {
        List<String> argv = new ArrayList<>(List.of("curl", "-sS", "--max-time", "3"));
        argv.addAll(List.of(args));
        return lab.exec(from, argv.toArray(String[]::new));
    }

    /** The first request, retried until nginx listens (at most 20 s). */
    static ExecResult awaitOk(NetnsLab lab, Host from, Path tmp, String... args) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        ExecResult last = null;
        while (System.nanoTime() < deadline) {
            last = curl(lab, from, args);
            if (last.exit() == 0) {
                return last;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(
                "nginx never answered: " + last.describe() + "\n" + Files.readString(tmp.resolve("nginx.log")));
    }

    /** nginx.conf and the proxy's certificate and key, from the node's Ignition config, into {@code dir}. */
    static void extract(Path ignition, Path dir) throws Exception {
        ParsedNodeConfig c = ParsedNodeConfig.ignition(Files.readString(ignition));
        for (String path :
                List.of("/etc/stockade/proxy/nginx.conf", "/etc/ssl/proxy/proxy.pem", "/etc/ssl/proxy/proxy-key.pem")) {
            ParsedNodeConfig.FileEntry f = c.requireFile(path);
            Path target = Files.writeString(dir.resolve(path.substring(path.lastIndexOf('/') + 1)), f.contents());
            Files.setPosixFilePermissions(
                    target,
                    java.nio.file.attribute.PosixFilePermissions.fromString(
                            f.mode() == 0600 ? "rw-------" : "rw-r--r--"));
        }
    }
}
