package dev.stockade.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketQuery;
import dev.stockade.analysis.PacketText;
import dev.stockade.io.TextFiles;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade fw query FILE --src A --dst B ...}: the verdict for one packet and the rules that decided it. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = {
            "Show a packet's verdict and the rules that decided it.",
            "The answer comes from the same packet-set semantics as 'fw analyze' (the filter table's"
                    + " builtin chain); the path lists the jumps,"
                    + " gotos, RETURNs and the policy. A state left out is the one conntrack gives the first"
                    + " packet of a flow: a TCP SYN is NEW, a SYN+ACK or an ICMP error INVALID, neighbour"
                    + " discovery UNTRACKED. A field left out (interfaces, MAC) or a match Stockade does not"
                    + " model may leave the verdict UNDETERMINED; the output says which.",
            "With --packets, each line of the file is one packet as a JSON object (keys src, dst, proto,"
                    + " sport, dport, icmpType, icmpCode, tcpFlags, ttl, iface, oface, mac, state, fragment),"
                    + " and each answer is one line of JSON."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The answer was printed (UNDETERMINED included).",
            "2:The file or an option is wrong (file:line:col on stderr).",
            "4:Internal error (a bug in Stockade)."
        })
final class FwQueryCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "FILE", description = "A ruleset: iptables-save or ip6tables-save output.")
    Path file;

    @Mixin
    RulesReading reading;

    @Mixin
    ChainOption chain;

    @Mixin
    FormatOption format;

    @Option(names = "--src", paramLabel = "ADDR", description = "The packet's source address.")
    String src;

    @Option(names = "--dst", paramLabel = "ADDR", description = "The packet's destination address.")
    String dst;

    @Option(
            names = "--proto",
            paramLabel = "PROTO",
            description = "Its protocol: tcp, udp, icmp, ipv6-icmp, another name or a number (default: tcp).")
    String proto;

    @Option(names = "--sport", paramLabel = "PORT", description = "Its source port (default: 40000).")
    String sport;

    @Option(
            names = "--dport",
            paramLabel = "PORT",
            description = "Its destination port, for tcp, udp, sctp, udplite and dccp.")
    String dport;

    @Option(
            names = "--icmp-type",
            paramLabel = "TYPE",
            description = "Its ICMP type: a number, type/code or a name (default: echo-request).")
    String icmpType;

    @Option(names = "--icmp-code", paramLabel = "CODE", description = "Its ICMP code (default: 0).")
    String icmpCode;

    @Option(
            names = "--tcp-flags",
            paramLabel = "FLAGS",
            description = "The TCP flags set: e.g. SYN, SYN,ACK, ACK, NONE or ALL (default: SYN).")
    String tcpFlags;

    @Option(
            names = "--ttl",
            paramLabel = "N",
            description = "Its TTL or hop limit as the chain sees it; FORWARD sees it after the router"
                    + " lowered it by one (default: 64).")
    String ttl;

    @Option(
            names = "--iface",
            paramLabel = "NAME",
            description = "The interface it arrives on (INPUT, FORWARD); when left out, any but lo.")
    String iface;

    @Option(
            names = "--oface",
            paramLabel = "NAME",
            description = "The interface it leaves by (FORWARD, OUTPUT); when left out, every interface.")
    String oface;

    @Option(
            names = "--mac",
            paramLabel = "MAC",
            description = "Its source MAC address, e.g. 52:54:00:12:34:56; when left out, every address.")
    String mac;

    @Option(
            names = "--state",
            paramLabel = "STATE",
            description = "Its conntrack state: NEW, ESTABLISHED, RELATED, INVALID or UNTRACKED"
                    + " (default: derived as for the first packet of a flow).")
    String state;

    @Option(names = "--fragment", description = "The packet is a fragment other than the first.")
    boolean fragment;

    @Option(
            names = "--no-tcp-loose",
            description = "Derive states as with nf_conntrack_tcp_loose=0: TCP without SYN is INVALID, not NEW.")
    boolean strictTcp;

    @Option(
            names = "--packets",
            paramLabel = "JSONL",
            description = "Ask about every packet in this file, one JSON object per line (- for standard input).")
    Path packets;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = command.commandLine().getOut();
        // an nftables ruleset holds both families: the packet's addresses choose, unless -4/-6 does
        IpFamily guess = (src != null && src.contains(":")) || (dst != null && dst.contains(":")) ? IpFamily.V6 : null;
        RulesFile rf =
                RulesFile.read(file, reading, "filter", command.commandLine().getErr(), guess);
        rf.requireBuiltin(chain.name());
        FilterAnalysis a = FilterAnalysis.of(rf.family(), rf.filter);
        if (packets != null) {
            return batch(a, rf.family(), out);
        }
        Packet p = packetFromOptions(rf.family());
        String wrong = interfaceForChain(p);
        if (wrong != null) {
            throw new ParameterException(command.commandLine(), wrong);
        }
        PacketQuery.Result r = PacketQuery.query(a, chain.name(), p, !strictTcp);
        if (format.json()) {
            JsonOutput.query(out, file, rf.family(), chain.name(), p, r);
        } else {
            text(out, rf.family(), p, r);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Packet packetFromOptions(IpFamily family) {
        if (src == null || dst == null) {
            throw new ParameterException(
                    command.commandLine(), "give the packet's --src and --dst (or --packets FILE)");
        }
        Map<String, String> fields = new LinkedHashMap<>();
        put(fields, "src", src);
        put(fields, "dst", dst);
        put(fields, "proto", proto);
        put(fields, "sport", sport);
        put(fields, "dport", dport);
        put(fields, "icmpType", icmpType);
        put(fields, "icmpCode", icmpCode);
        put(fields, "tcpFlags", tcpFlags);
        put(fields, "ttl", ttl);
        put(fields, "iface", iface);
        put(fields, "oface", oface);
        put(fields, "mac", mac);
        put(fields, "state", state);
        if (fragment) {
            fields.put("fragment", "true");
        }
        try {
            return PacketText.parse(fields, family);
        } catch (PacketText.FieldException e) {
            String option = "--" + e.field().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
            String value = fields.get(e.field());
            throw new ParameterException(
                    command.commandLine(),
                    option + (value == null ? "" : " " + value) + ": " + e.getMessage()
                            + (e.hint().isEmpty() ? "" : " (" + e.hint() + ")"));
        }
    }

    /** Why the packet cannot pass the chain (an interface it cannot have there), or null. */
    private String interfaceForChain(Packet p) {
        if (chain.name().equals("INPUT") && p.outInterface().isPresent()) {
            return "--oface: a packet in INPUT has no output interface (give it for FORWARD or OUTPUT)";
        }
        if (chain.name().equals("OUTPUT") && p.inInterface().isPresent()) {
            return "--iface: a packet in OUTPUT has no input interface (give it for INPUT or FORWARD)";
        }
        return null;
    }

    private static void put(Map<String, String> fields, String key, String value) {
        if (value != null) {
            fields.put(key, value);
        }
    }

    /** Every line of --packets is read and checked before any answer is printed; answers are JSON lines. */
    private int batch(FilterAnalysis a, IpFamily family, PrintWriter out) throws InputException {
        boolean packetOptions = java.util.stream.Stream.of(
                                src, dst, proto, sport, dport, icmpType, icmpCode, tcpFlags, ttl, iface, oface, mac,
                                state)
                        .anyMatch(java.util.Objects::nonNull)
                || fragment;
        if (packetOptions) {
            throw new ParameterException(
                    command.commandLine(),
                    "--packets takes the packets from the file; "
                            + "leave out --src, --dst and the other packet options");
        }
        String name = packets.toString();
        String text = name.equals("-") ? readStdin() : TextFiles.read(packets, "QUERY", 64L << 20);
        List<Packet> list = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        List<Diagnostic> problems = new ArrayList<>();
        String[] all = text.split("\n", -1);
        for (int i = 0; i < all.length; i++) {
            if (all[i].isBlank()) {
                continue;
            }
            try {
                Packet p = PacketText.parse(LineReader.fields(name, i + 1, all[i]), family);
                String wrong = interfaceForChain(p);
                if (wrong != null) {
                    problems.add(Diagnostic.error(
                            "QUERY-PACKET",
                            new SourceSpan(name, i + 1, 1),
                            wrong.replace("--oface", "oface").replace("--iface", "iface"),
                            ""));
                    continue;
                }
                list.add(p);
                lines.add(i + 1);
            } catch (LineException e) {
                problems.add(e.diagnostic);
            } catch (PacketText.FieldException e) {
                problems.add(Diagnostic.error(
                        "QUERY-PACKET",
                        new SourceSpan(name, i + 1, column(all[i], e.field())),
                        e.field() + ": " + e.getMessage(),
                        e.hint()));
            }
        }
        if (!problems.isEmpty()) {
            throw new InputException(problems);
        }
        for (int i = 0; i < list.size(); i++) {
            JsonOutput.queryLine(out, lines.get(i), PacketQuery.query(a, chain.name(), list.get(i), !strictTcp));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static String readStdin() throws InputException {
        try {
            return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InputException(Diagnostic.error(
                    "QUERY-READ", SourceSpan.ofFile("-"), "cannot read standard input: " + e.getMessage(), ""));
        }
    }

    /**
     * Reading --packets lines with jackson-core, in a holder class so that start-up (picocli builds
     * every command) loads none of it.
     */
    private static final class LineReader {
        static final JsonFactory FACTORY = JsonFactory.builder()
                .enable(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();

        /** One JSON line read into field texts; strings, numbers and booleans are taken as written. */
        static Map<String, String> fields(String file, int line, String text) throws LineException {
            Map<String, String> fields = new LinkedHashMap<>();
            try (JsonParser p = LineReader.FACTORY.createParser(text)) {
                if (p.nextToken() != JsonToken.START_OBJECT) {
                    throw new LineException(Diagnostic.error(
                            "QUERY-PACKET",
                            new SourceSpan(file, line, 1),
                            "a packet is a JSON object on one line",
                            "write {\"src\": \"192.0.2.1\", \"dst\": ...}"));
                }
                JsonToken t;
                while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonToken v = p.nextToken();
                    if (v.isStructStart() || v == JsonToken.VALUE_NULL) {
                        throw new LineException(Diagnostic.error(
                                "QUERY-PACKET",
                                new SourceSpan(file, line, (int)
                                        p.currentTokenLocation().getColumnNr()),
                                key + ": give a string, number or boolean",
                                ""));
                    }
                    fields.put(key, p.getText());
                }
                if (t != JsonToken.END_OBJECT || p.nextToken() != null) {
                    throw new LineException(Diagnostic.error(
                            "QUERY-PACKET", new SourceSpan(file, line, 1), "one JSON object per line", ""));
                }
            } catch (JsonParseException e) {
                throw new LineException(Diagnostic.error(
                        "QUERY-PACKET",
                        new SourceSpan(file, line, (int) e.getLocation().getColumnNr()),
                        "not JSON: " + e.getOriginalMessage(),
                        ""));
            } catch (IOException e) {
                throw new LineException(
                        Diagnostic.error("QUERY-PACKET", new SourceSpan(file, line, 1), e.getMessage(), ""));
            }
            return fields;
        }
    }

    private static final class LineException extends Exception {
        final transient Diagnostic diagnostic;

        LineException(Diagnostic d) {
            super(d.message(), null, false, false);
            this.diagnostic = d;
        }
    }

    /** The column of a key's value in a JSON line, for locating a field's problem; 1 when not found. */
    private static int column(String line, String key) {
        int at = line.indexOf("\"" + key + "\"");
        if (at < 0) {
            return 1;
        }
        int colon = line.indexOf(':', at + key.length() + 2);
        int value = colon + 1;
        while (value < line.length() && line.charAt(value) == ' ') {
            value++;
        }
        return value + 1;
    }

    private void text(PrintWriter out, IpFamily family, Packet p, PacketQuery.Result r) {
        out.println(file + ": " + family + ", filter " + chain.name());
        out.println("packet: " + describe(p) + ", state " + r.state()
                + (r.stateDerived() ? " (as conntrack sees a flow's first packet)" : ""));
        out.println("verdict: " + r.verdict());
        for (PacketQuery.Step s : r.path()) {
            out.println("  " + s.chain() + (s.index() < 0 ? "" : " #" + s.index()) + "  "
                    + s.rule().flatMap(x -> x.span()).map(Object::toString).orElse("") + "  "
                    + s.rule().map(x -> x.toSaveLine()).orElse("") + "  => " + s.action());
        }
        r.undecided().ifPresent(u -> out.println("  undecided: " + u));
    }

    static String describe(Packet p) {
        String proto = PacketText.protocolName(p.protocol());
        boolean v6 = p.source().family() == IpFamily.V6;
        String src = v6 && p.sport() >= 0
                ? "[" + p.source().address() + "]"
                : p.source().address();
        String dst = v6 && p.dport() >= 0
                ? "[" + p.destination().address() + "]"
                : p.destination().address();
        StringBuilder sb = new StringBuilder(proto + " " + src + (p.sport() >= 0 ? ":" + p.sport() : "") + " -> " + dst
                + (p.dport() >= 0 ? ":" + p.dport() : ""));
        if (p.icmpType() >= 0) {
            sb.append(" type ").append(p.icmpType()).append(" code ").append(p.icmpCode());
        }
        if (p.protocol() == 6) {
            sb.append(" flags ").append(flags(p.tcpFlags()));
        }
        sb.append(", ").append(family(p) == IpFamily.V4 ? "ttl " : "hop limit ").append(p.ttl());
        sb.append(", in ").append(p.inInterface().orElse("any but lo"));
        p.outInterface().ifPresent(o -> sb.append(", out ").append(o));
        if (p.laterFragment()) {
            sb.append(", later fragment");
        }
        return sb.toString();
    }

    private static IpFamily family(Packet p) {
        return p.source().family();
    }

    private static String flags(int bits) {
        if (bits == 0) {
            return "NONE";
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < dev.stockade.analysis.PacketSpace.TCP_FLAGS.size(); i++) {
            if ((bits & 1 << i) != 0) {
                names.add(dev.stockade.analysis.PacketSpace.TCP_FLAGS.get(i));
            }
        }
        return String.join(",", names);
    }
}
