package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.stockade.analysis.Packet;
import dev.stockade.analysis.PacketQuery;
import dev.stockade.cli.Main;
import dev.stockade.it.QueryDifferentialIT.Kernel;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * {@code fw query --packets} on every packet of a ruleset, run in process once per chain, on the
 * ruleset as {@code iptables-save -c} printed it after loading (every table, counters, the kernel's
 * spelling of each match): each answer line must say what {@link PacketQuery} said for the ruleset as
 * generated, which the kernel confirmed.
 */
final class QueryCli {

    /** One packet the kernel and the query agreed on. */
    record Answer(String chain, Packet packet, PacketQuery.Result result, Kernel kernel) {}

    private static final JsonFactory JSON = new JsonFactory();

    private final DiffFamily fam;
    /** Writes a text to a new scratch file of the lab (suffix given) and returns its path. */
    private final BiFunction<String, String, Path> scratch;

    private int runs;
    private int lines;

    QueryCli(DiffFamily fam, BiFunction<String, String, Path> scratch) {
        this.fam = fam;
        this.scratch = scratch;
    }

    int runs() {
        return runs;
    }

    int lines() {
        return lines;
    }

    /** Asks the CLI about every packet the ruleset's campaign compared, chain by chain. */
    void check(DiffCampaign.Ruleset rs, Supplier<String> where) {
        Path rules = scratch.apply(rs.dump, "rules");
        for (String chain : List.of("INPUT", "FORWARD")) {
            List<Answer> asked =
                    rs.answers.stream().filter(a -> a.chain().equals(chain)).toList();
            if (asked.isEmpty()) {
                continue;
            }
            StringBuilder jsonl = new StringBuilder();
            asked.forEach(a -> jsonl.append(line(Shot.jsonFields(a.packet(), fam.icmpName())))
                    .append('\n'));
            Path packets = scratch.apply(jsonl.toString(), "jsonl");
            List<String> args = new ArrayList<>(List.of(
                    "fw",
                    "query",
                    fam.v6() ? "-6" : "-4",
                    rules.toString(),
                    "--packets",
                    packets.toString(),
                    "--chain",
                    chain));
            if (!rs.tcpLoose) {
                args.add("--no-tcp-loose");
            }
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(args.toArray(String[]::new), new PrintWriter(out), new PrintWriter(err));
            Supplier<String> context = () -> "stockade " + String.join(" ", args) + "\n--- packets ---\n" + jsonl
                    + "--- stdout ---\n" + out + "--- stderr ---\n" + err + "--- ruleset as the kernel printed it ---\n"
                    + rs.dump + "\n" + where.get();
            assertEquals(0, code, () -> "fw query --packets failed\n" + context.get());
            List<String> answers = out.toString().lines().toList();
            assertEquals(asked.size(), answers.size(), () -> "one answer per packet\n" + context.get());
            for (int i = 0; i < asked.size(); i++) {
                int index = i;
                Map<String, Object> got = parse(answers.get(i));
                assertEquals(
                        expected(asked.get(i), i + 1),
                        got,
                        () -> "fw query --packets, line " + (index + 1) + ", disagrees with the query ("
                                + asked.get(index).kernel() + " in the kernel)\n" + context.get());
            }
            runs++;
            lines += asked.size();
            deleteQuietly(packets);
        }
        deleteQuietly(rules);
    }

    /** What the answer line must hold: the query's verdict, state and path (locations and texts aside). */
    private static Map<String, Object> expected(Answer a, int line) {
        PacketQuery.Result q = a.result();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line", line);
        m.put("verdict", q.verdict().name());
        m.put("state", q.state().name());
        m.put("stateDerived", q.stateDerived());
        List<Object> path = new ArrayList<>();
        for (PacketQuery.Step s : q.path()) {
            Map<String, Object> step = new LinkedHashMap<>();
            step.put("chain", s.chain());
            step.put("rule", s.index() < 0 ? null : s.index());
            step.put("action", s.action());
            path.add(step);
        }
        m.put("path", path);
        m.put("undecided", q.undecided().orElse(null));
        return m;
    }

    /** An answer line with the keys {@link #expected} holds (numbers as Integer). */
    private static Map<String, Object> parse(String line) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(line)) {
            expect(p.nextToken(), JsonToken.START_OBJECT, line);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                switch (key) {
                    case "path" -> m.put(key, steps(p, line));
                    case "line", "verdict", "state", "stateDerived", "undecided" -> m.put(key, scalar(p, t));
                    default -> p.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new AssertionError("not a JSON answer line: " + line, e);
        }
        return m;
    }

    private static List<Object> steps(JsonParser p, String line) throws IOException {
        expect(p.currentToken(), JsonToken.START_ARRAY, line);
        List<Object> steps = new ArrayList<>();
        while (p.nextToken() == JsonToken.START_OBJECT) {
            Map<String, Object> step = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (key.equals("chain") || key.equals("rule") || key.equals("action")) {
                    step.put(key, scalar(p, t));
                } else {
                    p.skipChildren();
                }
            }
            steps.add(step);
        }
        return steps;
    }

    private static Object scalar(JsonParser p, JsonToken t) throws IOException {
        return switch (t) {
            case VALUE_NULL -> null;
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NUMBER_INT -> p.getIntValue();
            default -> p.getText();
        };
    }

    private static void expect(JsonToken got, JsonToken want, String line) {
        if (got != want) {
            throw new AssertionError("expected " + want + " but found " + got + " in " + line);
        }
    }

    private static String line(Map<String, Object> fields) {
        StringWriter w = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            for (Map.Entry<String, Object> e : fields.entrySet()) {
                if (e.getValue() instanceof Integer i) {
                    g.writeNumberField(e.getKey(), i);
                } else {
                    g.writeStringField(e.getKey(), e.getValue().toString());
                }
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            System.err.println("[diff-kernel] cannot delete " + file + ": " + e.getMessage());
        }
    }
}
