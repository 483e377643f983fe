package dev.stockade.report;

import java.util.Map;
import java.util.Optional;

/** One sentence per finding id that {@code validate}, {@code audit} and {@code images} report, for SARIF rule descriptions and the docs. */
public final class RuleCatalog {

    private RuleCatalog() {}

    private static final Map<String, String> RULES = Map.ofEntries(
            Map.entry("AUD-NOTHING", "No fact could be collected from the host"),
            Map.entry(
                    "AUD-UNREACHABLE",
                    "The host could not be reached over SSH (refused, unknown or changed host key...)"),
            Map.entry("AUD-FACT", "A fact could not be collected or read, so some checks were not evaluated"),
            Map.entry("AUD-SNAPSHOT", "The snapshot cannot be read"),
            Map.entry("AUD-EXPOSED", "A listening service that the loaded firewall lets others reach"),
            Map.entry("AUD-V6-OPEN", "A port closed on IPv4 but open on IPv6"),
            Map.entry("AUD-POLICY-ACCEPT", "An INPUT chain that accepts what no rule drops"),
            Map.entry("AUD-RULES-UNSAVED", "Loaded rules that differ from the saved ones a reboot loads"),
            Map.entry("AUD-RESTORE-DISABLED", "Saved rules whose restore service is not enabled"),
            Map.entry(
                    "AUD-NFT-UNMODELLED",
                    "Something in a native nftables table the analysis does not model, read as bounds"),
            Map.entry("AUD-SSH-ROOT", "sshd lets root log in"),
            Map.entry("AUD-SSH-PASSWORD", "sshd accepts passwords"),
            Map.entry("AUD-CORE-GROUPS", "The core user in a root-equivalent group"),
            Map.entry("AUD-DOCKER-SOCKET", "A docker socket writable beyond root and the docker group"),
            Map.entry("AUD-SELINUX", "SELinux not enforcing, at run time or as configured"),
            Map.entry("AUD-UPDATES", "Automatic updates off or never applied"),
            Map.entry("AUD-ETCD-PLAINTEXT", "etcd serving or advertising plaintext http:// off loopback"),
            Map.entry("AUD-ETCD-CA-FILE", "The obsolete ETCD_CA_FILE, which leaves clients unchecked"),
            Map.entry("AUD-ETCD-CLIENT-AUTH", "etcd serving TLS without checking client certificates"),
            Map.entry("AUD-KEY-MODE", "A private key file readable by other users"),
            Map.entry("AUD-CERT-EXPIRY", "A certificate etcd uses that has expired or expires within 30 days"),
            Map.entry("AUD-CERT-SAN", "etcd's certificate does not name an address etcd advertises"),
            Map.entry("AUD-DRIFT", "Loaded rules that differ from the rules the cluster spec compiles to"),
            Map.entry("AUD-LOCKSMITH-TLS", "locksmithd reaching etcd without TLS or without a client certificate"),
            Map.entry("AUD-FILE-DRIFT", "A file the cluster spec provisions that is missing, changed or left over"),
            Map.entry("AUD-UNINTENDED", "A listening service reachable from sources the cluster spec does not allow"),
            Map.entry("AUD-SSH-OPEN", "sshd running where the cluster spec closes SSH"),
            Map.entry("AUD-SPEC-NODE", "A host that no node of the cluster spec names"),
            Map.entry("IMG-NO-TAG", "An image reference without a tag or digest: the engine pulls latest"),
            Map.entry("IMG-LATEST", "An image reference with the tag latest, which moves with every push"),
            Map.entry("IMG-TAG", "An image reference with a tag but no digest: the tag can be moved"),
            Map.entry("IMG-REF", "A text where an image reference belongs that engines cannot read as one"),
            Map.entry("IMG-VARIABLE", "An image reference expanded at run time, which was not checked"),
            Map.entry("IMG-KIND", "The file is not a kind images check reads"),
            Map.entry("IMG-UNREADABLE", "An Ignition or cloud-config file that cannot be read as one"),
            Map.entry("IMG-READ", "The file cannot be read"),
            Map.entry("GATE-VULN", "A vulnerability at or above the gate's severity that no ignore entry covers"),
            Map.entry("GATE-IGNORED", "A vulnerability at or above the gate's severity, ignored until a date"),
            Map.entry("GATE-IGNORE-EXPIRED", "An ignore entry past its expiry date, which no longer ignores"),
            Map.entry("GATE-IGNORE-UNUSED", "An ignore entry that matches no vulnerability in the reports"),
            Map.entry("VAL-KIND", "The file is not a kind validate knows"),
            Map.entry("VAL-READ", "The file cannot be read"),
            Map.entry("VAL-EMPTY", "An empty file"),
            Map.entry("VAL-SCRIPT", "A script: user data that runs as it is"),
            Map.entry("IGN-VERSION", "The Ignition spec version is missing, malformed or not a 3.x version"),
            Map.entry("IGN-TYPE", "A value has the wrong JSON type for its key"),
            Map.entry("IGN-UNKNOWN-KEY", "A key Ignition does not know; its setting would be lost"),
            Map.entry("IGN-KEY-VERSION", "A key from a later spec version than the config declares"),
            Map.entry("IGN-PATH", "A path that is empty, relative or not simplified"),
            Map.entry("IGN-PATH-LINK", "A path under a link the same config creates"),
            Map.entry("IGN-DUPLICATE", "An entry defined twice (paths, units, drop-ins, users, groups...)"),
            Map.entry("IGN-MODE", "A file mode outside 0 to 07777"),
            Map.entry("IGN-MODE-SPECIAL", "setuid, setgid or sticky bits that the spec version does not apply"),
            Map.entry("IGN-MODE-DECIMAL", "A decimal mode that looks like an octal one (644 instead of 420)"),
            Map.entry("IGN-OWNER", "Both an id and a name for a file's user or group"),
            Map.entry("IGN-OVERWRITE", "overwrite without contents.source"),
            Map.entry("IGN-LINK-TARGET", "A link without a target"),
            Map.entry("IGN-COMPRESSION", "A compression Ignition does not know"),
            Map.entry("IGN-HASH", "A verification hash that is malformed or of an unavailable function"),
            Map.entry("IGN-URL", "A source URL whose scheme Ignition cannot fetch"),
            Map.entry("IGN-DATA-URL", "A data: URL that does not decode"),
            Map.entry("IGN-UNIT-NAME", "A systemd unit name without a unit type suffix"),
            Map.entry("IGN-DROPIN-NAME", "A drop-in name not ending in .conf"),
            Map.entry("IGN-UNIT-CONTENT", "Unit contents that do not parse"),
            Map.entry("IGN-UNIT-INSTALL", "An enabled unit without an [Install] section"),
            Map.entry("IGN-NAME", "A user or group without a name"),
            Map.entry("IGN-DEVICE", "A disk or LUKS volume without a device"),
            Map.entry("IGN-PARTITION", "A partition entry Ignition refuses (number, label, GUID, shouldExist)"),
            Map.entry(
                    "IGN-FILESYSTEM",
                    "A filesystem without a format where one is needed, or with a bad format or label"),
            Map.entry("IGN-RAID", "A RAID array without a level or devices, or with spares it cannot have"),
            Map.entry("IGN-LUKS", "A LUKS volume Ignition refuses (name, label, clevis settings)"),
            Map.entry("IGN-HEADER", "HTTP headers that cannot be sent: no http(s) source, no name, an empty value"),
            Map.entry("IGN-PROXY", "A proxy that is not an http(s) URL, or a plaintext proxy for https"),
            Map.entry("IGN-SOURCE", "A config merge or certificate authority without a source"),
            Map.entry("IGN-VARIABLE", "A cloud-config variable Ignition never substitutes"),
            Map.entry("CC-HEADER", "The first line is not #cloud-config"),
            Map.entry("CC-SYNTAX", "The YAML does not parse"),
            Map.entry("CC-TYPE", "A value has the wrong type for its key"),
            Map.entry("CC-UNKNOWN-KEY", "A key coreos-cloudinit does not know; its setting is ignored"),
            Map.entry("CC-DUPLICATE-KEY", "A key repeated in one mapping"),
            Map.entry("CC-DEPRECATED", "A deprecated key"),
            Map.entry("CC-VALUE", "A value outside the allowed ones"),
            Map.entry("CC-HYPHEN", "A hyphenated key that Flatcar 3975.2.0 and later ignore"),
            Map.entry("CC-MISPLACED", "write_files under coreos, which is not read"),
            Map.entry("CC-DISCOVERY", "An etcd discovery URL that is not an absolute URL or path"),
            Map.entry("CC-PERMISSIONS", "permissions unquoted, or a decimal-looking mode"),
            Map.entry("CC-YAML-BOOL", "A YAML 1.1 boolean word (yes, no, on, off) where readers disagree"),
            Map.entry("CC-PATH", "A write_files path that is missing or relative"),
            Map.entry("CC-READ-ONLY", "A write under the read-only /usr"),
            Map.entry("CC-DUPLICATE", "A path, unit or user defined twice"),
            Map.entry("CC-ENCODING", "Content that does not decode with its encoding"),
            Map.entry("CC-UNIT-NAME", "A unit name without a unit type suffix"),
            Map.entry("CC-DROPIN-NAME", "A drop-in name not ending in .conf"),
            Map.entry("CC-UNIT-CONTENT", "Unit content that does not parse"),
            Map.entry("CC-VARIABLE", "A $private_ipv4-style variable, replaced only on some providers"),
            Map.entry("SEC-KEY-MODE", "A private key written readable by group or others"),
            Map.entry("SEC-KEY-IN-USERDATA", "A private key carried in user data"),
            Map.entry("SEC-HTTP-ENDPOINT", "An etcd, locksmith, fleet or flannel endpoint over plaintext http"),
            Map.entry("SEC-ETCD-CA-FILE", "The obsolete ETCD_CA_FILE: client certificates are not checked"),
            Map.entry("SEC-ETCD-CLIENT-AUTH", "etcd over TLS without client certificate checks"),
            Map.entry("SEC-NO-IPV6-RULES", "IPv4 firewall rules without IPv6 rules"),
            Map.entry("SEC-RESTORE-DISABLED", "Firewall rules written but not loaded at boot"),
            Map.entry("SEC-CORE-GROUPS", "The core user in a root-equivalent group"));

    /** The rule's one-sentence description; ids of the firewall and spec checks get their family's. */
    public static Optional<String> describe(String id) {
        String known = RULES.get(id);
        if (known != null) {
            return Optional.of(known);
        }
        if (id.startsWith("FW-")) {
            return Optional.of("Firewall ruleset lint " + id + " (see stockade fw lint)");
        }
        if (id.startsWith("IPT-")) {
            return Optional.of("iptables-save syntax check " + id);
        }
        if (id.startsWith("SPEC-")) {
            return Optional.of("Cluster spec check " + id + " (see docs/spec.md)");
        }
        if (id.startsWith("JSON-")) {
            return Optional.of("JSON syntax check " + id);
        }
        return Optional.empty();
    }

    /** Every id with a description of its own. */
    public static java.util.Set<String> ids() {
        return RULES.keySet();
    }
}
