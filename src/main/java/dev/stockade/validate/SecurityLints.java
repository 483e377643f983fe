package dev.stockade.validate;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Security checks on what a provisioning config puts on a host, the same for Ignition and
 * cloud-config ({@link HostConfig}): private keys (their mode, and that user data carries them at
 * all), plaintext etcd/locksmith/fleet endpoints, etcd settings that leave client certificates
 * unchecked, firewall rules without IPv6 rules or without the service that loads them at boot, and
 * the {@code core} user in root-equivalent groups.
 */
final class SecurityLints {

    static final String RULES_V4 = "/var/lib/iptables/rules-save";
    static final String RULES_V6 = "/var/lib/ip6tables/rules-save";

    private static final Pattern KEY_PATH = Pattern.compile(".*(-key\\.pem|\\.key|/id_(rsa|ecdsa|ed25519|dsa))$");
    private static final Pattern HTTP_ENDPOINT =
            Pattern.compile("(?m)^\\s*(?:Environment=\"?)?((?:ETCD|ETCDCTL|LOCKSMITHD|FLEET|FLANNELD)_[A-Z_]*"
                    + "(?:URLS?|ENDPOINTS?|SERVERS?))=\"?([^\\s\"]*http://[^\\s\"]*)");
    private static final Pattern HTTP_FLAG = Pattern.compile(
            "--((?:listen|advertise|initial-advertise)-(?:client|peer)-urls|endpoints?|etcd-servers|etcd_servers)"
                    + "[= ]([^\\s\"]*http://[^\\s\"]*)");
    private static final Pattern OBSOLETE_CA =
            Pattern.compile("(?m)(?:^|[\\s\"=])(ETCD_(?:PEER_)?CA_FILE)=|--(peer-)?ca-file");
    private static final Pattern CLIENT_AUTH =
            Pattern.compile("ETCD_CLIENT_CERT_AUTH=\"?true|--client-cert-auth(=true)?\\b");
    private static final Pattern PEER_AUTH =
            Pattern.compile("ETCD_PEER_CLIENT_CERT_AUTH=\"?true|--peer-client-cert-auth(=true)?\\b");
    private static final Set<String> ROOT_GROUPS = Set.of("wheel", "sudo", "docker", "rkt", "root", "adm");

    private SecurityLints() {}

    static List<Finding> check(String file, HostConfig host) {
        List<Finding> out = new ArrayList<>();
        keys(file, host, out);
        text(file, host, out);
        firewall(file, host, out);
        for (HostConfig.User u : host.users()) {
            List<String> bad = u.groups().stream().filter(ROOT_GROUPS::contains).toList();
            if (u.name().equals("core") && !bad.isEmpty()) {
                out.add(finding(
                        "SEC-CORE-GROUPS",
                        Severity.WARNING,
                        file,
                        u.at(),
                        "the core user is put into " + String.join(", ", bad)
                                + ": membership is as good as root (docker and rkt run privileged containers)",
                        "leave core out of these groups; give operators sudo rules of their own if they need them"));
            }
        }
        return out;
    }

    private static void keys(String file, HostConfig host, List<Finding> out) {
        for (HostConfig.File f : host.files()) {
            boolean keyText =
                    f.contents().map(c -> c.contains("PRIVATE KEY-----")).orElse(false);
            if (!keyText && !KEY_PATH.matcher(f.path()).matches()) {
                continue;
            }
            int mode = f.effectiveMode();
            if ((mode & 077) != 0) {
                out.add(finding(
                        "SEC-KEY-MODE",
                        Severity.ERROR,
                        file,
                        f.at(),
                        f.path() + " holds a private key and is written with mode 0" + Integer.toOctalString(mode)
                                + (f.mode().isEmpty() ? " (the default)" : "")
                                + ": other users can read it",
                        "write it with mode 0600 (384 in Ignition's decimal) and an owner of its own"));
            }
            if (keyText) {
                out.add(finding(
                        "SEC-KEY-IN-USERDATA",
                        Severity.WARNING,
                        file,
                        f.contentsAt(),
                        f.path() + ": a private key in user data, which every process on the instance can read"
                                + " through the cloud metadata service and the provider keeps in its console and logs",
                        "deliver the key after boot instead (copy it over SSH, or fetch it from a secret store),"
                                + " and keep only certificates in user data; a Stockade spec does this with"
                                + " pki: {deliver: ssh} and 'stockade apply'"));
            }
        }
    }

    private static void text(String file, HostConfig host, List<Finding> out) {
        List<Text> texts = new ArrayList<>();
        // firewall rules hold no endpoints or etcd settings, and the firewall engine reads them
        host.files().stream()
                .filter(f -> !f.path().equals(RULES_V4) && !f.path().equals(RULES_V6))
                .forEach(f -> f.contents().ifPresent(c -> texts.add(new Text(f.path(), c, f.contentsAt()))));
        host.units()
                .forEach(u -> u.contents()
                        .ifPresent(c -> texts.add(new Text(
                                u.name() + u.dropin().map(d -> ".d/" + d).orElse(""), c, u.at()))));
        boolean etcdTls = false;
        boolean clientAuth = false;
        boolean peerTls = false;
        boolean peerAuth = false;
        Optional<Text> etcdConfig = Optional.empty();
        for (Text t : texts) {
            // the patterns below only match around these words: look for them first (rules files are long)
            if (t.text().contains("http://")) {
                Matcher m = HTTP_ENDPOINT.matcher(t.text());
                while (m.find()) {
                    plaintext(file, t, m.group(1), m.group(2), out);
                }
                Matcher flag = HTTP_FLAG.matcher(t.text());
                while (flag.find()) {
                    plaintext(file, t, "--" + flag.group(1), flag.group(2), out);
                }
            }
            Matcher ca = OBSOLETE_CA.matcher(t.text());
            if ((t.text().contains("CA_FILE=") || t.text().contains("ca-file")) && ca.find()) {
                String name = ca.group(1) != null ? ca.group(1) : ca.group(0).strip();
                out.add(finding(
                        "SEC-ETCD-CA-FILE",
                        Severity.ERROR,
                        file,
                        t.at(),
                        t.where() + ": " + name + " is obsolete: etcd 3 ignores it and then accepts clients"
                                + " without a certificate",
                        "use ETCD_TRUSTED_CA_FILE with ETCD_CLIENT_CERT_AUTH=true, and for peers"
                                + " ETCD_PEER_TRUSTED_CA_FILE with ETCD_PEER_CLIENT_CERT_AUTH=true"));
            }
            if (t.text().contains("ETCD_CERT_FILE=") || t.text().contains("--cert-file")) {
                etcdTls = true;
                etcdConfig = etcdConfig.or(() -> Optional.of(t));
            }
            if (t.text().contains("ETCD_PEER_CERT_FILE=") || t.text().contains("--peer-cert-file")) {
                peerTls = true;
                etcdConfig = etcdConfig.or(() -> Optional.of(t));
            }
            boolean certAuth = t.text().contains("CERT_AUTH=") || t.text().contains("cert-auth");
            clientAuth |= certAuth && CLIENT_AUTH.matcher(t.text()).find();
            peerAuth |= certAuth && PEER_AUTH.matcher(t.text()).find();
        }
        if (etcdConfig.isPresent() && ((etcdTls && !clientAuth) || (peerTls && !peerAuth))) {
            String missing = etcdTls && !clientAuth ? "ETCD_CLIENT_CERT_AUTH=true" : "ETCD_PEER_CLIENT_CERT_AUTH=true";
            out.add(finding(
                    "SEC-ETCD-CLIENT-AUTH",
                    Severity.ERROR,
                    file,
                    etcdConfig.get().at(),
                    etcdConfig.get().where() + ": etcd serves TLS but does not check certificates (" + missing
                            + " is missing): anyone who can connect is a client",
                    "set " + missing + " with the trusted CA file"));
        }
    }

    private static void plaintext(String file, Text t, String setting, String url, List<Finding> out) {
        if (url.matches(".*http://(127\\.|localhost|\\[::1\\]).*") && !url.contains(",")) {
            return;
        }
        out.add(finding(
                "SEC-HTTP-ENDPOINT",
                Severity.ERROR,
                file,
                t.at(),
                t.where() + ": " + setting + " uses plaintext http:// (" + url + "): keys and locks travel unencrypted"
                        + " and anyone on the network can use the endpoint",
                "serve and use https:// with client certificates (stockade build sets it up from the spec)"));
    }

    private static void firewall(String file, HostConfig host, List<Finding> out) {
        Optional<HostConfig.File> v4 = host.file(RULES_V4);
        Optional<HostConfig.File> v6 = host.file(RULES_V6);
        if (v4.isPresent() && v6.isEmpty()) {
            out.add(finding(
                    "SEC-NO-IPV6-RULES",
                    Severity.WARNING,
                    file,
                    v4.get().at(),
                    "IPv4 rules are written (" + RULES_V4 + ") but no IPv6 rules: IPv6 stays open",
                    "write " + RULES_V6 + " with the same policy and enable ip6tables-restore.service"));
        }
        restore(file, host, v4, "iptables-restore.service", out);
        restore(file, host, v6, "ip6tables-restore.service", out);
    }

    private static void restore(
            String file, HostConfig host, Optional<HostConfig.File> rules, String service, List<Finding> out) {
        if (rules.isEmpty()) {
            return;
        }
        boolean enabled = host.units().stream()
                .anyMatch(u -> u.name().equals(service) && u.dropin().isEmpty() && u.enabled() && !u.masked());
        if (!enabled) {
            out.add(finding(
                    "SEC-RESTORE-DISABLED",
                    Severity.ERROR,
                    file,
                    rules.get().at(),
                    rules.get().path() + " is written but " + service + " is not enabled: the rules are not loaded"
                            + " at boot",
                    "enable " + service));
        }
    }

    private record Text(String where, String text, SourceSpan at) {}

    private static Finding finding(String id, Severity s, String file, SourceSpan at, String message, String hint) {
        return new Finding(id, s, file, Optional.of(at), message, hint);
    }
}
