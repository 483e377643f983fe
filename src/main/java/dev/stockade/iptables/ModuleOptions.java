package dev.stockade.iptables;

import java.util.Map;
import java.util.Set;

/**
 * The options of the match modules Stockade knows, so an option lands in the module that owns it,
 * as iptables decides (e.g. {@code -p tcp -m state --state NEW --dport 22}: --dport belongs to the
 * implicit tcp module, not to state). Modules not listed here take every option that follows them.
 */
final class ModuleOptions {

    private static final Map<String, Set<String>> OPTIONS = Map.ofEntries(
            Map.entry(
                    "tcp",
                    Set.of("sport", "source-port", "dport", "destination-port", "tcp-flags", "syn", "tcp-option")),
            Map.entry("udp", Set.of("sport", "source-port", "dport", "destination-port")),
            Map.entry("udplite", Set.of("sport", "source-port", "dport", "destination-port")),
            Map.entry("sctp", Set.of("sport", "source-port", "dport", "destination-port", "chunk-types")),
            Map.entry("dccp", Set.of("sport", "source-port", "dport", "destination-port", "dccp-types", "dccp-option")),
            Map.entry("icmp", Set.of("icmp-type")),
            Map.entry("icmp6", Set.of("icmpv6-type")),
            Map.entry("multiport", Set.of("sports", "dports", "ports", "source-ports", "destination-ports")),
            Map.entry("state", Set.of("state")),
            Map.entry(
                    "conntrack",
                    Set.of(
                            "ctstate",
                            "ctproto",
                            "ctorigsrc",
                            "ctorigdst",
                            "ctreplsrc",
                            "ctrepldst",
                            "ctorigsrcport",
                            "ctorigdstport",
                            "ctreplsrcport",
                            "ctrepldstport",
                            "ctstatus",
                            "ctexpire",
                            "ctdir")),
            Map.entry("comment", Set.of("comment")),
            Map.entry("iprange", Set.of("src-range", "dst-range")),
            Map.entry("addrtype", Set.of("src-type", "dst-type", "limit-iface-in", "limit-iface-out")),
            Map.entry("mac", Set.of("mac-source")),
            Map.entry("limit", Set.of("limit", "limit-burst")),
            Map.entry("hl", Set.of("hl-eq", "hl-lt", "hl-gt")),
            Map.entry("ttl", Set.of("ttl-eq", "ttl-lt", "ttl-gt")),
            Map.entry("pkttype", Set.of("pkt-type")),
            Map.entry("owner", Set.of("uid-owner", "gid-owner", "socket-exists", "suppl-groups")),
            Map.entry("mark", Set.of("mark")),
            Map.entry("connmark", Set.of("mark")),
            Map.entry("length", Set.of("length")),
            Map.entry(
                    "physdev",
                    Set.of("physdev-in", "physdev-out", "physdev-is-in", "physdev-is-out", "physdev-is-bridged")),
            Map.entry(
                    "set",
                    Set.of(
                            "match-set",
                            "return-nomatch",
                            "update-counters",
                            "update-subcounters",
                            "packets-eq",
                            "packets-lt",
                            "packets-gt",
                            "bytes-eq",
                            "bytes-lt",
                            "bytes-gt")),
            Map.entry(
                    "recent",
                    Set.of(
                            "name",
                            "set",
                            "rsource",
                            "rdest",
                            "mask",
                            "rcheck",
                            "update",
                            "remove",
                            "seconds",
                            "reap",
                            "hitcount",
                            "rttl")),
            Map.entry(
                    "hashlimit",
                    Set.of(
                            "hashlimit-upto",
                            "hashlimit-above",
                            "hashlimit-burst",
                            "hashlimit-mode",
                            "hashlimit-srcmask",
                            "hashlimit-dstmask",
                            "hashlimit-name",
                            "hashlimit-htable-size",
                            "hashlimit-htable-max",
                            "hashlimit-htable-expire",
                            "hashlimit-htable-gcinterval",
                            "hashlimit",
                            "hashlimit-rate-match",
                            "hashlimit-rate-interval")),
            Map.entry(
                    "policy",
                    Set.of(
                            "dir",
                            "pol",
                            "strict",
                            "reqid",
                            "spi",
                            "proto",
                            "mode",
                            "tunnel-src",
                            "tunnel-dst",
                            "next")),
            Map.entry("tos", Set.of("tos")),
            Map.entry("dscp", Set.of("dscp", "dscp-class")),
            Map.entry("ah", Set.of("ahspi", "ahlen", "ahres")),
            Map.entry("esp", Set.of("espspi")));

    private ModuleOptions() {}

    static boolean isKnown(String module) {
        return OPTIONS.containsKey(module);
    }

    static boolean knows(String module, String option) {
        Set<String> s = OPTIONS.get(module);
        return s != null && s.contains(option);
    }
}
