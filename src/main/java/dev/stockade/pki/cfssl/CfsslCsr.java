package dev.stockade.pki.cfssl;

import dev.stockade.net.Prefix;
import dev.stockade.pki.KeySpec;
import dev.stockade.pki.Subject;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A cfssl certificate request ({@code csr.json}): CN, hosts (DNS names and IP addresses),
 * key {algo, size} and subject names. cfssl's defaults apply: an ECDSA P-256 key when "key" is absent.
 */
public record CfsslCsr(
        String commonName,
        List<String> dnsNames,
        List<String> ipAddresses,
        KeySpec key,
        List<Subject.Name> names,
        List<Diagnostic> warnings) {

    private static final Set<String> TOP = Set.of("CN", "hosts", "key", "names");
    private static final Set<String> TOP_IGNORED =
            Set.of("ca", "serialnumber", "crl_url", "delegation_enabled", "extensions");
    private static final Set<String> NAME = Set.of("C", "ST", "L", "O", "OU");
    private static final Set<String> NAME_IGNORED = Set.of("E", "SerialNumber", "OID");

    public static CfsslCsr parse(String file, String text) throws InputException {
        JsonValue root = JsonReader.read(file, text);
        JsonFields f = new JsonFields();
        Map<String, JsonValue> m = f.object(root, "the CSR", TOP, TOP_IGNORED);
        String cn =
                Optional.ofNullable(m.get("CN")).flatMap(v -> f.string(v, "CN")).orElse("");
        List<String> dns = new ArrayList<>();
        List<String> ips = new ArrayList<>();
        if (m.containsKey("hosts")) {
            for (JsonValue h : f.array(m.get("hosts"), "hosts")) {
                f.string(h, "a host").ifPresent(s -> host(s, h, dns, ips, f));
            }
        }
        KeySpec key = m.containsKey("key") ? key(m.get("key"), f) : KeySpec.ECDSA_P256;
        List<Subject.Name> names = new ArrayList<>();
        if (m.containsKey("names")) {
            for (JsonValue n : f.array(m.get("names"), "names")) {
                Map<String, JsonValue> nm = f.object(n, "a names entry", NAME, NAME_IGNORED);
                names.add(new Subject.Name(
                        str(nm, "C", f), str(nm, "ST", f), str(nm, "L", f), str(nm, "O", f), str(nm, "OU", f)));
            }
        }
        if (cn.isEmpty() && dns.isEmpty() && ips.isEmpty()) {
            f.error(root.span(), "CFSSL-EMPTY", "the CSR has neither CN nor hosts", "add \"CN\" and/or \"hosts\"");
        }
        if (f.hasErrors()) {
            throw new InputException(f.problems.stream()
                    .filter(d -> d.severity() == dev.stockade.report.Severity.ERROR)
                    .toList());
        }
        return new CfsslCsr(cn, dns, ips, key, names, f.problems);
    }

    private static void host(String s, JsonValue at, List<String> dns, List<String> ips, JsonFields f) {
        if (s.isEmpty()) {
            return; // cfssl's documented client examples use "hosts": [""]
        }
        if (s.matches("[0-9.]+") || s.contains(":")) {
            try {
                Prefix p = Prefix.parse(s);
                if (p.isHost() && !s.contains("/")) {
                    ips.add(p.address());
                    return;
                }
            } catch (IllegalArgumentException e) {
                // reported below
            }
            f.error(
                    at.span(),
                    "CFSSL-HOST",
                    "'" + s + "' is not an IP address",
                    "hosts are DNS names or single IP addresses");
        } else if (s.matches(
                "(\\*\\.)?[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*")) {
            dns.add(s);
        } else {
            f.error(at.span(), "CFSSL-HOST", "'" + s + "' is not a DNS name or IP address", "");
        }
    }

    private static KeySpec key(JsonValue v, JsonFields f) {
        Map<String, JsonValue> km = f.object(v, "key", Set.of("algo", "size"), Set.of());
        String algo = Optional.ofNullable(km.get("algo"))
                .flatMap(a -> f.string(a, "key.algo"))
                .orElse("ecdsa");
        int size = Optional.ofNullable(km.get("size"))
                .flatMap(s -> f.integer(s, "key.size"))
                .orElse(algo.equals("rsa") ? 2048 : 256);
        Optional<KeySpec> k = KeySpec.fromCfssl(algo, size);
        if (k.isEmpty()) {
            f.error(
                    v.span(),
                    "PKI-ALGORITHM",
                    "unsupported key " + algo + " " + size,
                    "use ecdsa 256/384 or rsa 2048/3072/4096 (cfssl's ed25519 is not supported by this cfssl either)");
            return KeySpec.ECDSA_P256;
        }
        return k.get();
    }

    private static String str(Map<String, JsonValue> m, String key, JsonFields f) {
        return Optional.ofNullable(m.get(key)).flatMap(v -> f.string(v, key)).orElse(null);
    }
}
