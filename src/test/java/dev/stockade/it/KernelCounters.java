package dev.stockade.it;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Per-rule counters of the tables {@code iptables-save -c} prints, keyed "CHAIN:INDEX" (1-based) and
 * "CHAIN:policy" for builtin chains, with each rule's target ("" when it has none), and the decoding
 * of one batch's counters into what happened to each packet (see {@link QueryDifferentialIT}: packet
 * j of a batch is {@code BASE + digit^j} bytes long, so each rule's byte counter spells, in base
 * {@code digit}, which packets it counted).
 */
final class KernelCounters {

    private static final Pattern TABLE = Pattern.compile("\\*(\\S+)");
    private static final Pattern POLICY = Pattern.compile(":(\\S+) (ACCEPT|DROP) \\[(\\d+):(\\d+)]");
    private static final Pattern RULE = Pattern.compile("\\[(\\d+):(\\d+)] -A (\\S+)(.*)");
    private static final Pattern TARGET = Pattern.compile(" -[jg] (\\S+)");
    private static final Pattern STATE = Pattern.compile("--ctstate (\\S+)");
    private static final Set<String> TERMINAL = Set.of("ACCEPT", "DROP", "REJECT");

    /** The counters of one table. */
    static final class Table {
        final Map<String, long[]> values = new LinkedHashMap<>();
        final Map<String, String> targets = new HashMap<>();
        final Map<String, String> texts = new HashMap<>();
        final Map<String, List<String>> rules = new LinkedHashMap<>();
        final Set<String> builtins = new HashSet<>();

        boolean isChain(String target) {
            return rules.containsKey(target) && !builtins.contains(target);
        }

        Table minus(Table earlier) {
            Table d = new Table();
            d.targets.putAll(targets);
            d.texts.putAll(texts);
            d.rules.putAll(rules);
            d.builtins.addAll(builtins);
            values.forEach((k, v) -> {
                long[] e = earlier.values.getOrDefault(k, new long[2]);
                d.values.put(k, new long[] {v[0] - e[0], v[1] - e[1]});
            });
            return d;
        }
    }

    final String text;
    final Map<String, Table> tables = new LinkedHashMap<>();

    private KernelCounters(String text) {
        this.text = text;
    }

    static KernelCounters parse(String save) {
        KernelCounters c = new KernelCounters(save);
        Table t = null;
        for (String raw : save.split("\n")) {
            String line = raw.strip();
            Matcher table = TABLE.matcher(line);
            Matcher p = POLICY.matcher(line);
            Matcher r = RULE.matcher(line);
            if (table.matches()) {
                t = c.tables.computeIfAbsent(table.group(1), k -> new Table());
            } else if (t == null) {
                continue;
            } else if (p.matches()) {
                String key = p.group(1) + ":policy";
                t.values.put(key, new long[] {Long.parseLong(p.group(3)), Long.parseLong(p.group(4))});
                t.targets.put(key, p.group(2));
                t.builtins.add(p.group(1));
                t.rules.putIfAbsent(p.group(1), new ArrayList<>());
            } else if (line.startsWith(":")) {
                t.rules.putIfAbsent(line.substring(1).split(" ")[0], new ArrayList<>());
            } else if (r.matches()) {
                List<String> chain = t.rules.computeIfAbsent(r.group(3), k -> new ArrayList<>());
                String key = r.group(3) + ":" + (chain.size() + 1);
                chain.add(key);
                t.values.put(key, new long[] {Long.parseLong(r.group(1)), Long.parseLong(r.group(2))});
                Matcher target = TARGET.matcher(r.group(4));
                t.targets.put(key, target.find() ? target.group(1) : "");
                t.texts.put(key, r.group(4));
            }
        }
        return c;
    }

    Table filter() {
        return tables.getOrDefault("filter", new Table());
    }

    Table mangle() {
        return tables.getOrDefault("mangle", new Table());
    }

    KernelCounters minus(KernelCounters earlier) {
        KernelCounters d = new KernelCounters(text);
        tables.forEach((name, t) -> d.tables.put(name, t.minus(earlier.tables.getOrDefault(name, new Table()))));
        return d;
    }

    /**
     * The most times one packet can enter any chain of the filter table from one of {@code roots}
     * (jumps to one chain from several rules add up).
     */
    int maxVisits(Set<String> roots) {
        Table f = filter();
        int max = 1;
        for (String root : roots) {
            Map<String, Integer> memo = new HashMap<>();
            for (String chain : f.rules.keySet()) {
                max = Math.max(max, visits(f, root, chain, memo, 0));
            }
        }
        return max;
    }

    private static int visits(Table f, String root, String chain, Map<String, Integer> memo, int depth) {
        if (chain.equals(root)) {
            return 1;
        }
        if (depth > 64) {
            throw new AssertionError("chain loop through " + chain + " (the kernel would have refused it)");
        }
        Integer known = memo.get(chain);
        if (known != null) {
            return known;
        }
        int total = 0;
        for (Map.Entry<String, List<String>> from : f.rules.entrySet()) {
            if (f.builtins.contains(from.getKey()) && !from.getKey().equals(root)) {
                continue; // other builtin chains do not see this root's packets
            }
            for (String rule : from.getValue()) {
                if (f.targets.get(rule).equals(chain)) {
                    total += visits(f, root, from.getKey(), memo, depth + 1);
                }
            }
        }
        memo.put(chain, total);
        return total;
    }

    /**
     * How many times each packet of the batch was counted by one rule, or null when the counters do
     * not spell a sum of the batch's packets (a packet nobody sent crossed the rule).
     */
    private static long[] spell(long[] value, int batch, int digit) {
        long rest = value[1] - value[0] * QueryDifferentialIT.BASE;
        long[] counts = new long[batch];
        long sum = 0;
        for (int j = 0; j < batch && rest > 0; j++) {
            counts[j] = rest % digit;
            rest /= digit;
            sum += counts[j];
        }
        return rest != 0 || sum != value[0] ? null : counts;
    }

    /**
     * Spells out, from this delta of one batch, which filter rules each packet counted at. Only the
     * builtin chains in {@code roots} and user chains are read, without the first {@code prelude}
     * rules of each root (the fixed rules that take the test's set-up packets and the replies).
     *
     * @param traces receives, per packet, the rules in a path it counted at (with repeats)
     * @param deciding receives, per packet, the terminal rules or policies that counted it
     * @return null, or why the counters do not add up
     */
    String decodeFilter(
            Set<String> roots,
            int prelude,
            int batch,
            int digit,
            Map<Integer, List<String>> traces,
            Map<Integer, List<String>> deciding) {
        Table f = filter();
        for (int j = 0; j < batch; j++) {
            traces.put(j, new ArrayList<>());
            deciding.put(j, new ArrayList<>());
        }
        for (Map.Entry<String, long[]> e : f.values.entrySet()) {
            String key = e.getKey();
            String chain = key.substring(0, key.indexOf(':'));
            boolean policy = key.endsWith(":policy");
            if (f.builtins.contains(chain)
                    && (!roots.contains(chain)
                            || !policy && Integer.parseInt(key.substring(key.indexOf(':') + 1)) <= prelude)) {
                continue;
            }
            long[] counts = spell(e.getValue(), batch, digit);
            if (counts == null) {
                return "filter " + key + " counted " + e.getValue()[0] + " packets, " + e.getValue()[1] + " bytes";
            }
            String target = f.targets.get(key);
            boolean terminal = policy || TERMINAL.contains(target);
            boolean inPath = terminal || target.equals("RETURN") || f.isChain(target);
            for (int j = 0; j < batch; j++) {
                for (long m = 0; m < counts[j]; m++) {
                    if (inPath) {
                        traces.get(j).add(key);
                    }
                    if (terminal) {
                        deciding.get(j).add(key);
                    }
                }
            }
        }
        for (int j = 0; j < batch; j++) {
            if (deciding.get(j).size() != 1) {
                return "packet " + j + " was decided by " + deciding.get(j);
            }
        }
        return null;
    }

    /**
     * Spells out, from this delta of one batch, the conntrack state each packet had, from the mangle
     * table's rules that count one state each ({@code -A CHAIN ... --ctstate STATE}, no target).
     *
     * @param states receives, per packet, "CHAIN:STATE" of the one state rule that counted it
     * @return null, or why the counters do not add up
     */
    String decodeStates(int batch, int digit, Map<Integer, String> states) {
        Table m = mangle();
        Map<Integer, List<String>> seen = new HashMap<>();
        for (Map.Entry<String, long[]> e : m.values.entrySet()) {
            String key = e.getKey();
            Matcher state = STATE.matcher(m.texts.getOrDefault(key, ""));
            if (key.endsWith(":policy") || !state.find()) {
                continue;
            }
            long[] counts = spell(e.getValue(), batch, digit);
            if (counts == null) {
                return "mangle " + key + " counted " + e.getValue()[0] + " packets, " + e.getValue()[1] + " bytes";
            }
            String label = key.substring(0, key.indexOf(':')) + ":" + state.group(1);
            for (int j = 0; j < batch; j++) {
                for (long n = 0; n < counts[j]; n++) {
                    seen.computeIfAbsent(j, k -> new ArrayList<>()).add(label);
                }
            }
        }
        for (int j = 0; j < batch; j++) {
            List<String> labels = seen.getOrDefault(j, List.of());
            if (labels.size() != 1) {
                return "packet " + j + " had the conntrack states " + labels;
            }
            states.put(j, labels.get(0));
        }
        return null;
    }
}
