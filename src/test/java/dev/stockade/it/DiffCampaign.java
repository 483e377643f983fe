package dev.stockade.it;

import static dev.stockade.it.QueryDifferentialIT.BASE;
import static dev.stockade.it.QueryDifferentialIT.MAX_EXTRA;
import static dev.stockade.it.QueryDifferentialIT.PRELUDE;
import static dev.stockade.it.QueryDifferentialIT.REPLY_WAIT;
import static dev.stockade.it.QueryDifferentialIT.RETRIES;
import static dev.stockade.it.QueryDifferentialIT.ROOTS;
import static dev.stockade.it.QueryDifferentialIT.SETUP_TTL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.analysis.FilterAnalysis;
import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketQuery;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.Table;
import dev.stockade.it.QueryDifferentialIT.Kernel;
import dev.stockade.it.Shot.Kind;
import dev.stockade.net.IpFamily;
import dev.stockade.report.InputException;
import dev.stockade.testing.CraftedPacket;
import dev.stockade.testing.NetnsLab;
import dev.stockade.testing.NetnsLab.PacketSession;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/** One family's run of {@link QueryDifferentialIT}: a lab, then random rulesets with random packets each. */
final class DiffCampaign {

    /** Length of the packets that open flows (the fixed first rules take them; no state rule counts them). */
    private static final int SETUP_LENGTH = 120;

    final DiffFamily fam;
    final int rulesets = Integer.getInteger("stockade.diff.rulesets", 200);
    final int packets = Integer.getInteger("stockade.diff.packets", 50);
    final int first = Integer.getInteger("stockade.diff.first", 0);
    final long seed = Long.getLong("stockade.diff.seed", 20261122L);
    final Set<String> knownBugs = QueryDifferentialIT.knownBugs();
    /** Source ports (and echo identifiers) are handed out per ruleset from this many slots. */
    final int slots = Math.max(1, packets) * (RETRIES + 1);

    final Map<String, Integer> kinds = new TreeMap<>();
    final Map<String, Integer> chains = new TreeMap<>();
    final Map<String, Integer> verdicts = new TreeMap<>();
    final Map<String, Integer> states = new TreeMap<>();
    final Map<String, Integer> shapes = new TreeMap<>();
    /** Nanoseconds spent per step, to say where the time goes (fw query --packets runs beside the rest). */
    final Map<String, Long> spent = new ConcurrentHashMap<>();

    int batches;
    int retried;

    private DiffLab lab;
    private QueryCli cli;
    private Boolean tcpLoose;
    /** fw query --packets runs on this thread while the next ruleset's packets are sent. */
    private ExecutorService cliThread;

    private final List<Future<?>> pending = new ArrayList<>();

    DiffCampaign(DiffFamily fam) {
        this.fam = fam;
    }

    void run() {
        long start = System.nanoTime();
        cliThread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, "stockade-diff-fw-query");
            t.setDaemon(true);
            return t;
        });
        try (NetnsLab netns = NetnsLab.create()) {
            lab = DiffLab.build(netns, fam);
            cli = new QueryCli(fam, netns::scratchFile);
            for (int n = first; n < first + rulesets; n++) {
                ruleset(n);
                finished(false);
            }
            finished(true);
        } finally {
            cliThread.shutdownNow();
        }
        report((System.nanoTime() - start) / 1e9);
    }

    private void report(double seconds) {
        int compared = kinds.values().stream().mapToInt(Integer::intValue).sum();
        String perKind = kinds.entrySet().stream()
                .sorted((a, b) -> Integer.compare(b.getValue(), a.getValue()))
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
        System.out.printf(
                "[diff-kernel] %s: %d packets compared: %s%n"
                        + "[diff-kernel] %s: chains %s, verdicts %s, kernel states %s; %s%n"
                        + "[diff-kernel] %s: fw query --packets: %d lines in %d runs agreed; seed %d, rulesets %d..%d,"
                        + " %d batches (%d packets re-sent alone), %.1f s (%s)%n",
                fam.name(),
                compared,
                perKind,
                fam.name(),
                chains,
                verdicts,
                states,
                shapes,
                fam.name(),
                cli.lines(),
                cli.runs(),
                seed,
                first,
                first + rulesets - 1,
                batches,
                retried,
                seconds,
                new TreeMap<>(spent)
                        .entrySet().stream()
                                .map(e -> String.format("%s %.1f s", e.getKey(), e.getValue() / 1e9))
                                .collect(Collectors.joining(", ")));
        assertEquals((long) rulesets * packets, compared);
        assertEquals(compared, cli.lines());
    }

    /** What stays fixed for one ruleset while its packets are sent. */
    static final class Ruleset {
        final int n;
        final FilterAnalysis analysis;
        final Supplier<String> where;
        final String dump;
        final int digit;
        final boolean tcpLoose;
        final List<QueryCli.Answer> answers = new ArrayList<>();
        KernelCounters counters;
        int slot;

        Ruleset(
                int n,
                FilterAnalysis analysis,
                Supplier<String> where,
                KernelCounters counters,
                int digit,
                boolean loose) {
            this.n = n;
            this.analysis = analysis;
            this.where = where;
            this.counters = counters;
            this.dump = counters.text;
            this.digit = digit;
            this.tcpLoose = loose;
        }
    }

    private void ruleset(int n) {
        Random random = new Random(seed * 0x9E3779B97F4A7C15L + n * 0xBF58476D1CE4E5B9L + (fam.v6() ? 1 : 0));
        String rules = RandomRuleset.generate(random, fam, knownBugs, lab.clientMac());
        boolean loose = (n / 10) % 3 != 2; // blocks of rulesets with nf_conntrack_tcp_loose=0
        Supplier<String> where = () -> "seed " + seed + ", " + fam.name() + " ruleset " + n
                + (loose ? "" : ", nf_conntrack_tcp_loose=0") + " (-Dstockade.diff.seed=" + seed
                + " -Dstockade.diff.first=" + n + " -Dstockade.diff.rulesets=1"
                + " -Dstockade.diff.knownBugs=" + (knownBugs.isEmpty() ? "none" : String.join(",", knownBugs))
                + " reproduces it):\n" + rules;
        try {
            timed("load", () -> {
                lab.load(rules);
                return null;
            });
        } catch (AssertionError e) {
            throw new AssertionError("the generator made a ruleset the kernel refuses; " + where.get(), e);
        }
        if (n == first) {
            lab.shortConntrackTimeouts();
        }
        if (tcpLoose == null || tcpLoose != loose) {
            lab.tcpLoose(loose);
            tcpLoose = loose;
        }
        Table filter;
        FilterAnalysis analysis;
        try {
            // the family the kernel loaded it as: a random v4 table may name no address but say -p ipv6-icmp
            filter = IptablesSaveParser.parse("random-" + n, rules, fam.v6() ? IpFamily.V6 : IpFamily.V4)
                    .ruleset()
                    .table("filter")
                    .orElseThrow();
            analysis = FilterAnalysis.of(fam.v6() ? IpFamily.V6 : IpFamily.V4, filter);
        } catch (InputException e) {
            throw new AssertionError(
                    "Stockade cannot parse what the kernel loaded: " + e.getMessage() + "\n" + where.get(), e);
        }
        KernelCounters before = timed("counters", lab::counters);
        for (String chain : before.filter().rules.keySet()) {
            assertEquals(
                    filter.rules(chain).size(),
                    before.filter().rules.get(chain).size(),
                    () -> "rules in " + chain + " as loaded: " + before.text + "\n" + where.get());
        }
        int digit = before.maxVisits(ROOTS) + 1;
        int batchSize = 1;
        while (batchSize < 16 && Math.pow(digit, batchSize) <= MAX_EXTRA) {
            batchSize++;
        }
        Ruleset rs = new Ruleset(n, analysis, where, before, digit, loose);
        List<Shot> shots = new ArrayList<>();
        for (int i = 0; i < packets; i++) {
            shots.add(RandomShots.next(random, fam, nextSport(rs)));
        }
        for (int from = 0; from < shots.size(); from += batchSize) {
            List<Shot> again = fire(rs, shots.subList(from, Math.min(shots.size(), from + batchSize)));
            again.forEach(shot -> alone(rs, shot));
        }
        pending.add(cliThread.submit(() -> timed("fw query --packets", () -> {
            cli.check(rs, where);
            return null;
        })));
    }

    /** Rethrows the failure of a finished fw query --packets check; with {@code all}, waits for every one. */
    private void finished(boolean all) {
        for (java.util.Iterator<Future<?>> i = pending.iterator(); i.hasNext(); ) {
            Future<?> f = i.next();
            if (!all && !f.isDone()) {
                continue;
            }
            try {
                f.get(5, TimeUnit.MINUTES);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof AssertionError a) {
                    throw a;
                }
                throw new AssertionError("fw query --packets check failed", e.getCause());
            } catch (InterruptedException | TimeoutException e) {
                throw new AssertionError("fw query --packets check did not finish", e);
            }
            i.remove();
        }
    }

    private <T> T timed(String step, Supplier<T> work) {
        long start = System.nanoTime();
        try {
            return work.get();
        } finally {
            spent.merge(step, System.nanoTime() - start, Long::sum);
        }
    }

    /** Sends a packet whose batch went wrong again, alone, until its answer is clear. */
    private void alone(Ruleset rs, Shot shot) {
        retried++;
        Shot current = shot;
        for (int attempt = 1; ; attempt++) {
            List<Shot> left = fire(rs, List.of(current.fresh(nextSport(rs))));
            if (left.isEmpty()) {
                return;
            }
            current = left.get(0);
            if (attempt == RETRIES) {
                throw new AssertionError("the kernel's answers kept contradicting themselves for " + current.describe()
                        + ": " + current.trouble + "\n" + rs.where.get());
            }
        }
    }

    /**
     * Source ports (echo identifiers) never repeat within 65535 packets of a run: ruleset n owns slots
     * n*S .. n*S+S-1, spread over the port range by a stride prime to 65535. So a packet never meets a
     * conntrack entry of an earlier one (their timeouts are short), and a ruleset's packets are the same
     * whichever ruleset a run starts from.
     */
    private int nextSport(Ruleset rs) {
        long index = (long) rs.n * slots + rs.slot++;
        if (rs.slot > slots) {
            throw new AssertionError("ruleset " + rs.n + " ran out of source ports");
        }
        return (int) (1 + Math.floorMod(index * 40499L + seed, 65535L));
    }

    /**
     * Opens the flows the batch's packets belong to, sends the batch and compares every packet whose
     * kernel answer is clear.
     *
     * @return the packets to send again, alone (a flow did not open, or the counters did not add up)
     */
    private List<Shot> fire(Ruleset rs, List<Shot> batch) {
        batches++;
        List<Shot> again = new ArrayList<>();
        List<Shot> live = timed("open flows", () -> openFlows(batch, again));
        if (live.isEmpty()) {
            return again;
        }
        List<CraftedPacket> crafted = new ArrayList<>();
        for (int j = 0; j < live.size(); j++) {
            crafted.add(live.get(j).crafted(BASE + (int) Math.pow(rs.digit, j)));
        }
        PacketSession injector = lab.injector();
        timed("send", () -> {
            injector.send(crafted);
            return null;
        });
        KernelCounters after = timed("counters", lab::counters);
        KernelCounters delta = after.minus(rs.counters);
        rs.counters = after;
        Map<Integer, Kernel> kernel = new HashMap<>();
        String trouble = decode(delta, after, live, rs.digit, kernel);
        if (trouble != null) {
            String why = "batch of " + live.size() + ": " + trouble;
            live.forEach(s -> s.trouble = why);
            again.addAll(live);
            return again;
        }
        List<Integer> awaited = new ArrayList<>();
        for (int j = 0; j < live.size(); j++) {
            if (ReplyCheck.strict(live.get(j)) && !kernel.get(j).verdict().equals("DROP")) {
                awaited.add(j);
            }
        }
        List<String> replies = timed("collect", () -> injector.collect(REPLY_WAIT, awaited));
        for (int j = 0; j < live.size(); j++) {
            Shot s = live.get(j);
            String problem = ReplyCheck.problem(s, kernel.get(j), replies.get(j));
            if (problem != null) {
                s.trouble = problem;
                again.add(s);
            } else {
                judge(rs, s, kernel.get(j), replies.get(j), after);
            }
        }
        return again;
    }

    /**
     * What the kernel did with each packet of the batch, from the delta of the counters.
     *
     * @return null, or why the counters do not add up
     */
    private static String decode(
            KernelCounters delta, KernelCounters after, List<Shot> live, int digit, Map<Integer, Kernel> kernel) {
        Map<Integer, List<String>> traces = new HashMap<>();
        Map<Integer, List<String>> deciding = new HashMap<>();
        Map<Integer, String> stateOf = new HashMap<>();
        String trouble = delta.decodeFilter(ROOTS, PRELUDE, live.size(), digit, traces, deciding);
        if (trouble == null) {
            trouble = delta.decodeStates(live.size(), digit, stateOf);
        }
        for (int j = 0; trouble == null && j < live.size(); j++) {
            String[] chainState = stateOf.get(j).split(":");
            if (!chainState[0].equals(live.get(j).chain)) {
                return "packet " + j + " for " + live.get(j).chain + " was counted in " + chainState[0];
            }
            String rule = deciding.get(j).get(0);
            kernel.put(j, new Kernel(verdict(after, rule), rule, traces.get(j), chainState[1]));
        }
        return trouble;
    }

    /** Compares Stockade's answer for a packet with the kernel's, and keeps it for fw query --packets. */
    private void judge(Ruleset rs, Shot s, Kernel kernel, String reply, KernelCounters after) {
        Packet p = s.packet(fam, lab.clientMacValue());
        PacketQuery.Result q = timed(
                "query",
                () -> QueryDifferentialIT.compare(
                        rs.analysis,
                        s.chain,
                        p,
                        rs.tcpLoose,
                        kernel,
                        () -> "kernel's reply: " + reply + "\n" + rs.where.get() + "\ncounters after the batch:\n"
                                + after.text));
        rs.answers.add(new QueryCli.Answer(s.chain, p, q, kernel));
        tally(s, kernel, after);
    }

    /** Sends the packets that open the flows of the batch's flow packets; those whose flow did not open go to {@code again}. */
    private List<Shot> openFlows(List<Shot> batch, List<Shot> again) {
        List<Shot> flows = batch.stream()
                .filter(s -> s.kind == Kind.ESTABLISHED || s.kind == Kind.RELATED)
                .toList();
        if (flows.isEmpty()) {
            return batch;
        }
        PacketSession injector = lab.injector();
        injector.send(
                flows.stream().map(s -> s.setup(fam, SETUP_TTL, SETUP_LENGTH)).toList());
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < flows.size(); i++) {
            all.add(i);
        }
        List<String> replies = injector.collect(REPLY_WAIT, all);
        List<Shot> live = new ArrayList<>(batch);
        for (int i = 0; i < flows.size(); i++) {
            Shot s = flows.get(i);
            if (!replies.get(i).equals(s.setupReply())) {
                s.trouble = "the flow did not open: its first packet got " + replies.get(i);
                live.remove(s);
                again.add(s);
            }
        }
        return live;
    }

    private static String verdict(KernelCounters counters, String rule) {
        String target = counters.filter().targets.get(rule);
        return target.equals("REJECT") ? "REJECT" : target.equals("DROP") ? "DROP" : "ACCEPT";
    }

    /** Tallies the packet's kind, chain, verdict and state, and how it went: through user chains, back by RETURN. */
    private void tally(Shot s, Kernel kernel, KernelCounters counters) {
        kinds.merge(s.label(), 1, Integer::sum);
        chains.merge(s.chain, 1, Integer::sum);
        verdicts.merge(kernel.verdict(), 1, Integer::sum);
        states.merge(kernel.state(), 1, Integer::sum);
        KernelCounters.Table f = counters.filter();
        if (!ROOTS.contains(kernel.rule().substring(0, kernel.rule().indexOf(':')))) {
            shapes.merge("decided in a user chain", 1, Integer::sum);
        }
        if (kernel.rule().endsWith(":policy")) {
            shapes.merge("by the policy", 1, Integer::sum);
        }
        if (kernel.trace().stream().anyMatch(k -> f.isChain(f.targets.get(k)))) {
            shapes.merge("entered a user chain", 1, Integer::sum);
        }
        if (kernel.trace().stream().anyMatch(k -> f.targets.get(k).equals("RETURN"))) {
            shapes.merge("took a RETURN", 1, Integer::sum);
        }
    }

    /** The kernel's other answers for a packet, which must fit before its verdict is compared. */
    static final class ReplyCheck {
        private ReplyCheck() {}

        /**
         * Whether what comes back tells the verdict: a SYN, a datagram or an echo request, first or of a
         * flow, all to ports with listeners or closed ports whose answer is known.
         */
        static boolean strict(Shot s) {
            return s.kind == Kind.TCP_SYN
                    || s.kind == Kind.UDP
                    || s.kind == Kind.ICMP_ECHO
                    || s.kind == Kind.ESTABLISHED && !s.proto.equals("tcp");
        }

        /** Why the packet's answers do not fit together (then it is sent again), or null. */
        static String problem(Shot s, Kernel kernel, String reply) {
            if (s.givenState().isPresent() && !s.givenState().get().name().equals(kernel.state())) {
                return "the flow's packet was " + kernel.state() + ", not "
                        + s.givenState().get();
            }
            if (!verdicts(s, reply).contains(kernel.verdict())) {
                return "counters say " + kernel.rule() + " (" + kernel.verdict() + ") but the reply was " + reply;
            }
            return null;
        }

        /**
         * The verdicts the reply allows. To a listening port it tells them apart; to a closed one the
         * stack's own RST or port-unreachable looks like REJECT's, and the counters decide. Other packets
         * only say that a dropped packet gets no answer.
         */
        private static Set<String> verdicts(Shot s, String reply) {
            if (!strict(s)) {
                return reply.equals("none") ? Set.of("ACCEPT", "DROP", "REJECT") : Set.of("ACCEPT", "REJECT");
            }
            boolean open = s.proto.equals("icmp") || RandomShots.listened(s.dport);
            String stackUnreachable = s.dst.contains(":") ? "unreach-1-4" : "unreach-3-3";
            return switch (reply) {
                case "synack", "echo" -> Set.of("ACCEPT");
                case "none" -> Set.of("DROP");
                case "rst" -> open || !s.proto.equals("tcp") ? Set.of("REJECT") : Set.of("ACCEPT", "REJECT");
                default ->
                    !reply.startsWith("unreach-")
                            ? Set.of()
                            : !open && s.proto.equals("udp") && reply.equals(stackUnreachable)
                                    ? Set.of("ACCEPT", "REJECT")
                                    : Set.of("REJECT");
            };
        }
    }
}
