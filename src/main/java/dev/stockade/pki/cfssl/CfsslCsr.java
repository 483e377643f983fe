package dev.stockade.pki.cfssl;

import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
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
        if (s.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.') || s.contains(":")) {
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
                    "'" + shown(s) + "' is not an IP address",
                    "hosts are DNS names or single IP addresses");
            return;
        }
        Optional<String> problem = dnsNameProblem(s);
        if (problem.isEmpty()) {
            dns.add(s);
        } else {
            f.error(
                    at.span(),
                    "CFSSL-HOST",
                    "'" + shown(s) + "' is not a DNS name: " + problem.get(),
                    "a DNS name is labels of letters, digits and '-' joined by dots, e.g. etcd-1.example.net;"
                            + " a leading '*.' makes a wildcard");
        }
    }

    /**
     * Why {@code s} is not a DNS name (RFC 1123 labels: letters, digits and '-', 1-63 characters, not
     * starting or ending with '-'; at most 253 characters in all), optionally with a leading "*." label.
     */
    static Optional<String> dnsNameProblem(String s) {
        String name = s.startsWith("*.") ? s.substring(2) : s;
        if (name.length() > 253) {
            return Optional.of("it is longer than 253 characters");
        }
        int labelStart = 0;
        for (int i = 0; i <= name.length(); i++) {
            char c = i < name.length() ? name.charAt(i) : '.';
            if (c == '.') {
                int length = i - labelStart;
                if (length == 0) {
                    return Optional.of("it has an empty label (two dots, or a dot at an end)");
                }
                if (length > 63) {
                    return Optional.of("a label is longer than 63 characters");
                }
                if (name.charAt(labelStart) == '-' || name.charAt(i - 1) == '-') {
                    return Optional.of("a label starts or ends with '-'");
                }
                labelStart = i + 1;
            } else if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) {
                return Optional.of("labels hold only letters, digits and '-'");
            }
        }
        return Optional.empty();
    }

    /** A value as quoted in a message: long ones are cut. */
    private static String shown(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
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
