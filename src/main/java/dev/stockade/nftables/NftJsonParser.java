package dev.stockade.nftables;

import dev.stockade.json.Json;
import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.json.JsonValue.JsonArray;
import dev.stockade.json.JsonValue.JsonNumber;
import dev.stockade.json.JsonValue.JsonObject;
import dev.stockade.json.JsonValue.JsonString;
import dev.stockade.report.InputException;
import dev.stockade.report.Problems;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Parses libnftables JSON ({@code nft -j list ruleset}, {@code nft -j list table ...}, and the
 * {@code add}/{@code flush}/{@code delete} command form {@code nft -j -f} reads) into an {@link
 * NftRuleset}: {@link JsonReader} gives a tree that knows the line and column of every value, this
 * class reads its objects (tables, chains, sets and their elements, rules) into the same model the
 * text parser fills, so a rule's span is where its JSON object starts.
 *
 * <p>Lenient across nft versions (libnftables-json(5)): a missing {@code op} is {@code ==}, and
 * {@code in} (the bitmask test of {@code ct state}) is read as {@code ==}; {@code flags} and
 * {@code elem} may be one value or a list; an element may come wrapped in {@code {"elem": {"val":
 * ...}}}; a priority may be a number or a name; a payload's protocol may be under its old key
 * {@code name}; base chains without a policy accept. Statements and expressions it does not model
 * are kept as {@link NftStatement.Other} with a warning naming them; a file that is not such JSON is
 * an error at the place where it stops being so.
 */
public final class NftJsonParser {

    private static final Set<String> INTERFACE_KEYS = Set.of("iif", "oif", "iifname", "oifname");

    private final Problems problems;
    private final RulesetBuilder result = new RulesetBuilder();

    private NftJsonParser(Problems problems) {
        this.problems = problems;
    }

    /**
     * @throws InputException with every error found, each located
     */
    public static ParsedNftRuleset parse(String file, String text) throws InputException {
        return parse(file, JsonReader.read(file, text));
    }

    /**
     * As {@link #parse(String, String)}, from a tree {@link JsonReader} read (or a part of one that
     * a caller chose, spans kept), so that what is left out is neither read nor warned about.
     *
     * @throws InputException with every error found, each located
     */
    public static ParsedNftRuleset parse(String file, JsonValue root) throws InputException {
        Problems problems = new Problems(file);
        NftJsonParser p = new NftJsonParser(problems);
        p.root(root);
        problems.throwErrors();
        return new ParsedNftRuleset(p.result.build(), problems.all());
    }

    /** Whether the text looks like libnftables JSON: an object whose first key is {@code nftables}. */
    public static boolean looksLikeNftJson(String text) {
        String t = text.stripLeading();
        if (!t.startsWith("{")) {
            return false;
        }
        return t.substring(1).stripLeading().startsWith("\"nftables\"");
    }

    private void error(SourceSpan at, String message) {
        problems.error(at, "NFT-JSON", message, "give what 'nft -j list ruleset' prints");
    }

    private void unsupported(SourceSpan at, String what) {
        problems.warn(
                at,
                "NFT-UNSUPPORTED",
                "'" + what + "' is not modelled: results that depend on it are bounds",
                "fw analyze shows lower and upper bounds; rewrite it with plain matches for an exact answer");
    }

    private void root(JsonValue root) {
        if (!(root instanceof JsonObject) || !(((JsonObject) root).members().get("nftables") instanceof JsonArray)) {
            error(root.span(), "expected {\"nftables\": [...]}, not " + root.kind());
            return;
        }
        for (JsonValue item : ((JsonArray) ((JsonObject) root).members().get("nftables")).items()) {
            Optional<Map.Entry<String, JsonValue>> one = single(item);
            if (one.isEmpty()) {
                error(item.span(), "expected an object with one key such as \"table\" or \"rule\", not " + item.kind());
                continue;
            }
            String key = one.get().getKey();
            JsonValue body = one.get().getValue();
            switch (key) {
                case "add":
                case "create":
                    Optional<Map.Entry<String, JsonValue>> inner = single(body);
                    if (inner.isPresent()) {
                        object(inner.get().getKey(), inner.get().getValue());
                    } else {
                        error(body.span(), "expected an object with one key after \"" + key + "\"");
                    }
                    break;
                case "flush":
                    command("flush", body);
                    break;
                case "delete":
                    command("delete", body);
                    break;
                default:
                    object(key, body);
            }
        }
    }

    private static Optional<Map.Entry<String, JsonValue>> single(JsonValue v) {
        if (v instanceof JsonObject && ((JsonObject) v).members().size() == 1) {
            return Optional.of(((JsonObject) v).members().entrySet().iterator().next());
        }
        return Optional.empty();
    }

    private void command(String verb, JsonValue body) {
        Optional<Map.Entry<String, JsonValue>> what = single(body);
        if (what.isPresent() && verb.equals("flush") && what.get().getKey().equals("ruleset")) {
            result.flush();
            return;
        }
        if (what.isPresent()
                && verb.equals("delete")
                && what.get().getKey().equals("table")
                && what.get().getValue() instanceof JsonObject) {
            JsonObject t = (JsonObject) what.get().getValue();
            Optional<String> family = string(t, "family");
            Optional<String> name = string(t, "name");
            if (family.isPresent() && name.isPresent()) {
                result.delete(family.get(), name.get());
                return;
            }
        }
        error(
                body.span(),
                "'" + verb + " " + what.map(Map.Entry::getKey).orElse("?") + "' is not a command Stockade reads");
    }

    private static Optional<String> string(JsonObject o, String key) {
        JsonValue v = o.members().get(key);
        return v instanceof JsonString ? Optional.of(((JsonString) v).value()) : Optional.empty();
    }

    private Optional<String> required(JsonObject o, String key, String what) {
        Optional<String> s = string(o, key);
        if (s.isEmpty()) {
            error(o.span(), what + " without a \"" + key + "\" string");
        }
        return s;
    }

    private void object(String key, JsonValue body) {
        if (key.equals("metainfo")) {
            return;
        }
        if (!(body instanceof JsonObject)) {
            error(body.span(), "\"" + key + "\" should hold an object, not " + body.kind());
            return;
        }
        JsonObject o = (JsonObject) body;
        switch (key) {
            case "table":
                table(o);
                break;
            case "chain":
                chain(o);
                break;
            case "set":
                set(o);
                break;
            case "element":
                element(o);
                break;
            case "rule":
                rule(o);
                break;
            default:
                unsupported(o.span(), key + " " + string(o, "name").orElse(""));
        }
    }

    private Optional<RulesetBuilder.TableDraft> owner(JsonObject o, String what) {
        Optional<String> family = required(o, "family", what);
        Optional<String> table = required(o, "table", what);
        if (family.isEmpty() || table.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(result.table(family.get(), table.get()));
    }

    private void table(JsonObject o) {
        Optional<String> family = required(o, "family", "a table");
        Optional<String> name = required(o, "name", "a table");
        if (family.isEmpty() || name.isEmpty()) {
            return;
        }
        result.table(family.get(), name.get());
        if (list(o.members().get("flags")).stream().anyMatch(f -> f.equals("dormant"))) {
            unsupported(o.span(), "table " + family.get() + " " + name.get() + " flags dormant");
        }
    }

    /** A string or a list of strings (nft writes one flag bare, several as a list). */
    private static List<String> list(JsonValue v) {
        List<String> out = new ArrayList<>();
        if (v instanceof JsonString) {
            out.add(((JsonString) v).value());
        } else if (v instanceof JsonArray) {
            for (JsonValue x : ((JsonArray) v).items()) {
                if (x instanceof JsonString) {
                    out.add(((JsonString) x).value());
                }
            }
        }
        return out;
    }

    private void chain(JsonObject o) {
        Optional<RulesetBuilder.TableDraft> table = owner(o, "a chain");
        Optional<String> name = required(o, "name", "a chain");
        if (table.isEmpty() || name.isEmpty()) {
            return;
        }
        RulesetBuilder.ChainDraft chain = table.get().chain(name.get());
        Optional<String> type = string(o, "type");
        Optional<String> hook = string(o, "hook");
        if (type.isEmpty() && hook.isEmpty()) {
            return;
        }
        JsonValue prio = o.members().get("prio");
        Integer priority = null;
        if (prio instanceof JsonNumber
                && NftRuleReader.isNumber(((JsonNumber) prio).text().replace("-", ""))) {
            priority = Integer.parseInt(((JsonNumber) prio).text());
        } else if (prio instanceof JsonString) {
            priority = RulesetBuilder.namedPriority(table.get().family, ((JsonString) prio).value())
                    .orElse(null);
        }
        String policy = string(o, "policy").orElse("accept");
        if (type.isEmpty() || hook.isEmpty() || priority == null) {
            error(o.span(), "base chain " + name.get() + " needs \"type\", \"hook\" and a \"prio\" number");
            return;
        }
        if (!policy.equals("accept") && !policy.equals("drop")) {
            error(o.span(), "policy \"" + policy + "\" of chain " + name.get() + " is not accept or drop");
            return;
        }
        if (o.members().containsKey("dev")) {
            unsupported(o.span(), "device of base chain " + name.get());
        }
        chain.hook = Optional.of(new NftChain.Hook(type.get(), hook.get(), priority, policy));
    }

    private void set(JsonObject o) {
        Optional<RulesetBuilder.TableDraft> table = owner(o, "a set");
        Optional<String> name = required(o, "name", "a set");
        if (table.isEmpty() || name.isEmpty()) {
            return;
        }
        JsonValue typeValue = o.members().get("type");
        String type;
        if (typeValue instanceof JsonString) {
            type = ((JsonString) typeValue).value();
        } else if (typeValue instanceof JsonArray) {
            type = String.join(" . ", list(typeValue));
        } else if (typeValue != null) {
            type = "typeof " + compact(typeValue);
        } else {
            error(o.span(), "set " + name.get() + " has no \"type\"");
            return;
        }
        boolean ifnames = type.equals("ifname") || type.equals("iface_index");
        List<NftExpr> elements = elements(o.members().get("elem"), ifnames, "set " + name.get());
        table.get().set(new NftSet(name.get(), type, list(o.members().get("flags")), elements));
    }

    private void element(JsonObject o) {
        Optional<RulesetBuilder.TableDraft> table = owner(o, "an element");
        Optional<String> name = required(o, "name", "an element");
        if (table.isEmpty() || name.isEmpty()) {
            return;
        }
        NftSet old = table.get().sets.get(name.get());
        if (old == null) {
            error(o.span(), "elements for set " + name.get() + ", which is not defined before them");
            return;
        }
        boolean ifnames = old.type().equals("ifname") || old.type().equals("iface_index");
        table.get()
                .set(new NftSet(
                        name.get(),
                        old.type(),
                        old.flags(),
                        elements(o.members().get("elem"), ifnames, "set " + name.get())));
    }

    private List<NftExpr> elements(JsonValue elem, boolean ifnames, String where) {
        List<NftExpr> out = new ArrayList<>();
        if (elem == null) {
            return out;
        }
        List<JsonValue> items = elem instanceof JsonArray ? ((JsonArray) elem).items() : List.of(elem);
        for (JsonValue v : items) {
            NftExpr e = value(v, ifnames);
            if (e instanceof NftExpr.Unknown) {
                unsupported(v.span(), "element " + e.text() + " of " + where);
            }
            out.add(e);
        }
        return out;
    }

    private void rule(JsonObject o) {
        Optional<RulesetBuilder.TableDraft> table = owner(o, "a rule");
        Optional<String> chain = required(o, "chain", "a rule");
        if (table.isEmpty() || chain.isEmpty()) {
            return;
        }
        JsonValue expr = o.members().get("expr");
        if (!(expr instanceof JsonArray)) {
            error(o.span(), "a rule without an \"expr\" list");
            return;
        }
        List<NftStatement> statements = new ArrayList<>();
        for (JsonValue s : ((JsonArray) expr).items()) {
            statements.add(statement(s));
        }
        Optional<String> comment = string(o, "comment").filter(c -> c.indexOf('"') < 0 && c.indexOf('\n') < 0);
        table.get().chain(chain.get()).rules.add(new NftRule(statements, comment, Optional.of(o.span())));
    }

    private NftStatement statement(JsonValue s) {
        Optional<Map.Entry<String, JsonValue>> one = single(s);
        if (one.isEmpty()) {
            return other(s, compact(s));
        }
        String key = one.get().getKey();
        JsonValue v = one.get().getValue();
        switch (key) {
            case "accept":
            case "drop":
            case "continue":
            case "return":
                return NftStatement.Verdict.of(key);
            case "jump":
            case "goto": {
                Optional<String> target = v instanceof JsonObject ? string((JsonObject) v, "target") : Optional.empty();
                return target.isPresent() ? new NftStatement.Verdict(key, target) : other(s, key + " " + compact(v));
            }
            case "reject":
                return reject(v);
            case "queue":
                return isEmpty(v) ? NftStatement.Verdict.of("queue") : other(s, "queue " + compact(v));
            case "counter":
                return v instanceof JsonString
                        ? new NftStatement.Other("counter name " + ((JsonString) v).value())
                        : new NftStatement.Counter();
            case "log":
                return log(s, v);
            case "match":
                return match(s, v);
            case "mangle":
                if (v instanceof JsonObject && ((JsonObject) v).members().get("key") != null) {
                    return other(
                            s,
                            expression(((JsonObject) v).members().get("key"), false)
                                            .text() + " set "
                                    + compact(((JsonObject) v).members().getOrDefault("value", v)));
                }
                return other(s, "mangle " + compact(v));
            case "xt":
                return other(
                        s,
                        "xt "
                                + (v instanceof JsonObject
                                        ? string((JsonObject) v, "type").orElse("") + " "
                                                + string((JsonObject) v, "name").orElse("")
                                        : compact(v)));
            default:
                return other(s, key + " " + compact(v));
        }
    }

    private static boolean isEmpty(JsonValue v) {
        return v == null
                || v instanceof JsonValue.JsonNull
                || (v instanceof JsonObject && ((JsonObject) v).members().isEmpty());
    }

    private NftStatement other(JsonValue at, String text) {
        unsupported(at.span(), text);
        return new NftStatement.Other(text);
    }

    private NftStatement reject(JsonValue v) {
        if (isEmpty(v) || !(v instanceof JsonObject)) {
            return NftStatement.Verdict.of("reject");
        }
        JsonObject o = (JsonObject) v;
        String type = string(o, "type").orElse("");
        JsonValue code = o.members().get("expr");
        String with = "with " + type + (code == null ? "" : " " + plain(code));
        return new NftStatement.Verdict("reject", Optional.of(with.trim()));
    }

    private NftStatement log(JsonValue s, JsonValue v) {
        if (isEmpty(v)) {
            return new NftStatement.Log(Optional.empty());
        }
        if (v instanceof JsonObject) {
            JsonObject o = (JsonObject) v;
            Optional<String> prefix = string(o, "prefix");
            boolean onlyPrefix = o.members().size() == 1
                    && prefix.isPresent()
                    && prefix.get().indexOf('"') < 0
                    && prefix.get().indexOf('\n') < 0;
            if (onlyPrefix) {
                return new NftStatement.Log(prefix);
            }
        }
        return new NftStatement.Other("log " + compact(v)); // only observes: no warning
    }

    private NftStatement match(JsonValue s, JsonValue v) {
        if (!(v instanceof JsonObject)) {
            return other(s, "match " + compact(v));
        }
        JsonObject o = (JsonObject) v;
        String op = string(o, "op").orElse("==");
        if (op.equals("in") || op.equals("eq")) {
            op = "==";
        } else if (op.equals("ne")) {
            op = "!=";
        }
        JsonValue leftJson = o.members().get("left");
        JsonValue rightJson = o.members().get("right");
        if (leftJson == null || rightJson == null) {
            return other(s, "match " + compact(v));
        }
        NftExpr left = expression(leftJson, false);
        boolean ifname = left instanceof NftExpr.Meta && INTERFACE_KEYS.contains(((NftExpr.Meta) left).key());
        NftExpr right = expression(rightJson, ifname);
        if (!Set.of("==", "!=", "<", ">", "<=", ">=").contains(op)
                || left instanceof NftExpr.Unknown
                || contains(right)) {
            return other(s, left.text() + " " + op + " " + right.text());
        }
        return new NftStatement.Match(left, op, right);
    }

    /** Whether an expression holds a part this parser could not read. */
    private static boolean contains(NftExpr e) {
        if (e instanceof NftExpr.Unknown) {
            return true;
        }
        if (e instanceof NftExpr.AnonSet) {
            return ((NftExpr.AnonSet) e).elements().stream().anyMatch(NftJsonParser::contains);
        }
        if (e instanceof NftExpr.Range) {
            return contains(((NftExpr.Range) e).from()) || contains(((NftExpr.Range) e).to());
        }
        return false;
    }

    /** A left side ({@code payload}, {@code meta}, {@code ct}) or a right side (values, sets, prefixes, ranges). */
    private NftExpr expression(JsonValue v, boolean ifname) {
        if (v instanceof JsonObject && ((JsonObject) v).members().size() == 1) {
            Map.Entry<String, JsonValue> e = single(v).orElseThrow();
            if (e.getValue() instanceof JsonObject) {
                JsonObject o = (JsonObject) e.getValue();
                switch (e.getKey()) {
                    case "payload": {
                        Optional<String> protocol = string(o, "protocol").or(() -> string(o, "name"));
                        Optional<String> field = string(o, "field");
                        if (protocol.isPresent() && field.isPresent()) {
                            return new NftExpr.Payload(protocol.get(), field.get());
                        }
                        return new NftExpr.Unknown(compact(v));
                    }
                    case "meta":
                        return string(o, "key").<NftExpr>map(NftExpr.Meta::new).orElse(new NftExpr.Unknown(compact(v)));
                    case "ct":
                        if (o.members().size() == 1) {
                            return string(o, "key")
                                    .<NftExpr>map(NftExpr.Ct::new)
                                    .orElse(new NftExpr.Unknown(compact(v)));
                        }
                        return new NftExpr.Unknown(compact(v));
                    default:
                        break;
                }
            }
            if (e.getKey().equals("set") && e.getValue() instanceof JsonArray) {
                List<NftExpr> elements = new ArrayList<>();
                for (JsonValue x : ((JsonArray) e.getValue()).items()) {
                    elements.add(value(x, ifname));
                }
                return new NftExpr.AnonSet(elements);
            }
            if (e.getKey().equals("set") && !(e.getValue() instanceof JsonArray)) {
                return new NftExpr.AnonSet(List.of(value(e.getValue(), ifname)));
            }
        }
        if (v instanceof JsonArray) {
            List<NftExpr> elements = new ArrayList<>();
            for (JsonValue x : ((JsonArray) v).items()) {
                elements.add(value(x, ifname));
            }
            return new NftExpr.AnonSet(elements);
        }
        if (v instanceof JsonString && ((JsonString) v).value().startsWith("@")) {
            return new NftExpr.SetRef(((JsonString) v).value().substring(1));
        }
        return value(v, ifname);
    }

    /** One value: a string, number, prefix, range, or an element wrapped with its options. */
    private NftExpr value(JsonValue v, boolean ifname) {
        if (v instanceof JsonString) {
            String s = ((JsonString) v).value();
            if (ifname) {
                return s.indexOf('"') < 0 && s.indexOf('\n') < 0
                        ? NftExpr.Value.string(s)
                        : new NftExpr.Unknown(compact(v));
            }
            return bare(s) ? NftExpr.Value.of(s) : new NftExpr.Unknown(compact(v));
        }
        if (v instanceof JsonNumber) {
            String n = ((JsonNumber) v).text();
            return bare(n) ? NftExpr.Value.of(n) : new NftExpr.Unknown(n);
        }
        if (v instanceof JsonObject && ((JsonObject) v).members().size() == 1) {
            Map.Entry<String, JsonValue> e = single(v).orElseThrow();
            JsonValue body = e.getValue();
            switch (e.getKey()) {
                case "prefix":
                    if (body instanceof JsonObject) {
                        Optional<String> addr = string((JsonObject) body, "addr");
                        JsonValue len = ((JsonObject) body).members().get("len");
                        if (addr.isPresent()
                                && len instanceof JsonNumber
                                && NftRuleReader.isNumber(((JsonNumber) len).text())) {
                            return new NftExpr.PrefixValue(addr.get(), Integer.parseInt(((JsonNumber) len).text()));
                        }
                    }
                    break;
                case "range":
                    if (body instanceof JsonArray && ((JsonArray) body).items().size() == 2) {
                        return new NftExpr.Range(
                                value(((JsonArray) body).items().get(0), ifname),
                                value(((JsonArray) body).items().get(1), ifname));
                    }
                    break;
                case "elem":
                    if (body instanceof JsonObject
                            && ((JsonObject) body).members().containsKey("val")) {
                        return value(((JsonObject) body).members().get("val"), ifname);
                    }
                    break;
                default:
                    break;
            }
        }
        return new NftExpr.Unknown(compact(v));
    }

    private static boolean bare(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z')
                    || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9')
                    || c == '_'
                    || c == '.'
                    || c == ':'
                    || c == '/'
                    || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** A JSON value as text: strings and numbers bare, everything else as compact JSON. */
    private static String plain(JsonValue v) {
        if (v instanceof JsonString) {
            return ((JsonString) v).value();
        }
        return compact(v);
    }

    /** Compact JSON text of a value, for messages and for statements kept as written. */
    static String compact(JsonValue v) {
        StringBuilder sb = new StringBuilder();
        compact(v, sb, 0);
        return sb.toString();
    }

    private static void compact(JsonValue v, StringBuilder sb, int depth) {
        if (depth > 32) {
            sb.append("...");
        } else if (v instanceof JsonString) {
            sb.append(Json.quote(((JsonString) v).value()));
        } else if (v instanceof JsonNumber) {
            sb.append(((JsonNumber) v).text());
        } else if (v instanceof JsonValue.JsonBoolean) {
            sb.append(((JsonValue.JsonBoolean) v).value());
        } else if (v instanceof JsonArray) {
            sb.append('[');
            List<JsonValue> items = ((JsonArray) v).items();
            for (int i = 0; i < items.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                compact(items.get(i), sb, depth + 1);
            }
            sb.append(']');
        } else if (v instanceof JsonObject) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonValue> e : ((JsonObject) v).members().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                sb.append(Json.quote(e.getKey())).append(':');
                compact(e.getValue(), sb, depth + 1);
            }
            sb.append('}');
        } else {
            sb.append("null");
        }
    }
}
