package dev.stockade.cli;

import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketQuery;
import dev.stockade.iptables.Table;
import dev.stockade.json.JsonWriter;
import dev.stockade.net.Prefix;
import dev.stockade.report.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade fw query FILE --src A --dst B ...}: the verdict for one packet and the rules that decided it. */
@Command(
        name = "query",
        mixinStandardHelpOptions = true,
        description = {
            "What the filter table does with one packet: the verdict and the exact path of rules",
            "(jumps, gotos, RETURNs, the policy). A match Stockade does not model gives 'UNDETERMINED' and names the rule."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:a verdict (or UNDETERMINED) was printed", "2:bad file or options"})
final class FwQueryCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(index = "0", paramLabel = "FILE", description = "iptables-save or ip6tables-save output")
    Path file;

    @Option(names = "--src", required = true, paramLabel = "ADDR")
    String src;

    @Option(names = "--dst", required = true, paramLabel = "ADDR")
    String dst;

    @Option(
            names = "--proto",
            defaultValue = "tcp",
            paramLabel = "P",
            description = "tcp, udp, icmp, ipv6-icmp or a number (default: tcp)")
    String proto;

    @Option(names = "--dport", defaultValue = "-1", paramLabel = "PORT")
    int dport;

    @Option(
            names = "--sport",
            defaultValue = "40000",
            paramLabel = "PORT",
            description = "source port (default: 40000)")
    int sport;

    @Option(
            names = "--icmp-type",
            defaultValue = "8",
            paramLabel = "N",
            description = "for ICMP (default: 8, echo request)")
    int icmpType;

    @Option(
            names = "--iface",
            paramLabel = "NAME",
            description = "input interface (default for INPUT and FORWARD: eth0)")
    String iface;

    @Option(names = "--oface", paramLabel = "NAME", description = "output interface (FORWARD, OUTPUT)")
    String oface;

    @Option(
            names = "--state",
            defaultValue = "NEW",
            description = "NEW, ESTABLISHED, RELATED, INVALID, UNTRACKED (default: NEW)")
    String state;

    @Option(names = "--chain", defaultValue = "INPUT", description = "INPUT, FORWARD or OUTPUT (default: INPUT)")
    String chain;

    @Option(names = "--format", defaultValue = "text", description = "text or json (default: ${DEFAULT-VALUE})")
    BuildCommand.OutputFormat format;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        if (iface == null && !chain.equals("OUTPUT")) {
            iface = "eth0";
            command.commandLine().getErr().println("stockade: assuming the packet arrives on eth0 (use --iface)");
        }
        Packet packet = packet();
        Table filter;
        try {
            RulesFile rf = RulesFile.read(
                    file, packet.source().family(), command.commandLine().getErr());
            rf.requireBuiltin(chain);
            filter = rf.filter;
        } catch (InputException e) {
            return Diagnostics.inputError(command.commandLine().getErr(), e, file.toString());
        }
        PacketQuery.Result r = PacketQuery.query(filter, chain, packet);
        if (format == BuildCommand.OutputFormat.json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("verdict", r.verdict().name());
            List<Object> steps = new ArrayList<>();
            for (PacketQuery.Step s : r.path()) {
                Map<String, Object> sm = new LinkedHashMap<>();
                sm.put("chain", s.chain());
                sm.put("rule", s.index() < 0 ? null : s.index());
                sm.put(
                        "location",
                        s.rule().flatMap(x -> x.span()).map(Object::toString).orElse(null));
                sm.put("text", s.rule().map(x -> x.toSaveLine()).orElse(null));
                sm.put("action", s.action());
                steps.add(sm);
            }
            m.put("path", steps);
            m.put("doubt", r.doubt().orElse(null));
            out.print(JsonWriter.write(m));
        } else {
            out.println("verdict: " + r.verdict());
            for (PacketQuery.Step s : r.path()) {
                out.println("  " + s.chain() + (s.index() < 0 ? "" : " #" + s.index()) + "  "
                        + s.rule().flatMap(x -> x.span()).map(Object::toString).orElse("") + "  "
                        + s.rule().map(x -> x.toSaveLine()).orElse("") + "  => " + s.action());
            }
            r.doubt().ifPresent(d -> out.println("  doubt: " + d));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Packet packet() {
        try {
            Prefix s = Prefix.parse(src);
            Prefix d = Prefix.parse(dst);
            if (!s.isHost() || !d.isHost() || s.family() != d.family()) {
                throw new ParameterException(
                        command.commandLine(), "--src and --dst are single addresses of one family");
            }
            int number = switch0(proto.toLowerCase(Locale.ROOT));
            boolean ports = number == 6 || number == 17;
            boolean icmp = number == 1 || number == 58;
            return new Packet(
                    s,
                    d,
                    number,
                    ports ? sport : -1,
                    ports ? dport : -1,
                    icmp ? icmpType : -1,
                    Optional.ofNullable(iface),
                    Optional.ofNullable(oface),
                    state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(command.commandLine(), e.getMessage());
        }
    }

    private int switch0(String p) {
        switch (p) {
            case "tcp":
                return 6;
            case "udp":
                return 17;
            case "icmp":
                return 1;
            case "ipv6-icmp":
            case "icmpv6":
                return 58;
            default:
                if (p.matches("[0-9]{1,3}") && Integer.parseInt(p) < 256) {
                    return Integer.parseInt(p);
                }
                throw new ParameterException(command.commandLine(), "unknown protocol '" + p + "'");
        }
    }
}
