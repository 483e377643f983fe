package dev.stockade.spec;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.SourceSpan;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Checks a YAML event stream before it is composed into nodes: nesting depth, the number of aliases
 * to lists and mappings (each expands the whole collection: a few lines can stand for billions of
 * nodes), aliases inside the collection they name (a cycle, which no spec needs) and tags the
 * composer cannot represent.
 *
 * <p>The checks run as the composer takes each event ({@link #compose}), so the text is scanned
 * once. SnakeYAML's composer enforces the limits itself, but by recursion and without a position, and
 * rejects a malformed tag with an IllegalArgumentException. Its parser is a state machine, so this
 * pass over the events is flat whatever the input, and it reports each problem at the event that
 * has it. Its limits are a little stricter than the composer's, so the composer's never trigger.
 */
final class YamlEventChecks {

    static final int MAX_DEPTH = 50;
    static final int MAX_COLLECTION_ALIASES = 50;

    private final String file;
    /** The anchor of each open collection (null when it has none), innermost last. */
    private final List<String> open = new ArrayList<>();
    /** Open collections per anchor name; an alias to one of these is a cycle. */
    private final Map<String, Integer> openAnchors = new HashMap<>();
    /** Whether each anchor (as last defined) names a collection rather than a scalar. */
    private final Map<String, Boolean> collection = new HashMap<>();

    private int collectionAliases;

    private YamlEventChecks(String file) {
        this.file = file;
    }

    /** A limit crossed while composing (see {@link #compose}). */
    static final class Limit extends RuntimeException {
        private final transient Diagnostic diagnostic;

        Limit(Diagnostic diagnostic) {
            super(diagnostic.message(), null, false, false);
            this.diagnostic = diagnostic;
        }

        Diagnostic diagnostic() {
            return diagnostic;
        }
    }

    /**
     * Composes {@code text} into nodes in one pass, checking every event as the composer takes it,
     * before the composer acts on it; the first limit crossed is thrown as {@link Limit}. Syntax
     * errors surface as SnakeYAML exceptions.
     */
    static Node compose(String file, String text, LoaderOptions options) {
        YamlEventChecks limits = new YamlEventChecks(file);
        Parser events = new ParserImpl(new StreamReader(new StringReader(text)), options);
        Parser checked = new Parser() {
            @Override
            public boolean checkEvent(Event.ID choice) {
                return events.checkEvent(choice);
            }

            @Override
            public Event peekEvent() {
                return events.peekEvent();
            }

            @Override
            public Event getEvent() {
                Event e = events.getEvent();
                Optional<Diagnostic> d = limits.accept(e);
                if (d.isPresent()) {
                    throw new Limit(d.get());
                }
                return e;
            }
        };
        return new Composer(checked, new Resolver(), options).getSingleNode();
    }

    /** The first limit the stream crosses, if any; syntax errors surface as SnakeYAML exceptions. */
    static Optional<Diagnostic> check(String file, Iterable<Event> events) {
        YamlEventChecks limits = new YamlEventChecks(file);
        for (Event e : events) {
            Optional<Diagnostic> d = limits.accept(e);
            if (d.isPresent()) {
                return d;
            }
        }
        return Optional.empty();
    }

    private Optional<Diagnostic> accept(Event e) {
        Optional<Diagnostic> tag = tag(e);
        if (tag.isPresent()) {
            return tag;
        }
        if (e instanceof CollectionStartEvent start) {
            if (open.size() >= MAX_DEPTH) {
                return Optional.of(Diagnostic.error(
                        "SPEC-LIMIT",
                        span(e.getStartMark()),
                        "lists and mappings nest more than " + MAX_DEPTH + " levels deep here",
                        "a spec nests a few levels; is this the right file?"));
            }
            open.add(start.getAnchor());
            if (start.getAnchor() != null) {
                collection.put(start.getAnchor(), true);
                openAnchors.merge(start.getAnchor(), 1, Integer::sum);
            }
        } else if (e instanceof CollectionEndEvent && !open.isEmpty()) {
            String anchor = open.remove(open.size() - 1);
            if (anchor != null) {
                openAnchors.computeIfPresent(anchor, (k, n) -> n == 1 ? null : n - 1);
            }
        } else if (e instanceof ScalarEvent scalar && scalar.getAnchor() != null) {
            collection.put(scalar.getAnchor(), false);
        } else if (e instanceof AliasEvent alias) {
            return alias(alias);
        }
        return Optional.empty();
    }

    /** A tag the composer would refuse (e.g. {@code !a%1e}, whose escape decodes to a control character). */
    private Optional<Diagnostic> tag(Event e) {
        String tag = e instanceof ScalarEvent s ? s.getTag() : e instanceof CollectionStartEvent c ? c.getTag() : null;
        if (tag == null) {
            return Optional.empty();
        }
        try {
            new Tag(tag);
            return Optional.empty();
        } catch (IllegalArgumentException bad) {
            return Optional.of(Diagnostic.error(
                    "SPEC-SYNTAX",
                    span(e.getStartMark()),
                    "the tag '" + printable(tag) + "' is not valid: " + bad.getMessage(),
                    "a spec needs no tags; remove it"));
        }
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        s.codePoints().limit(60).forEach(c -> {
            if (Character.isISOControl(c) || Character.isWhitespace(c)) {
                b.append(String.format(java.util.Locale.ROOT, "\\u%04x", c));
            } else {
                b.appendCodePoint(c);
            }
        });
        return b.toString();
    }

    private Optional<Diagnostic> alias(AliasEvent alias) {
        String name = alias.getAnchor();
        if (openAnchors.containsKey(name)) {
            return Optional.of(Diagnostic.error(
                    "SPEC-ALIAS",
                    span(alias.getStartMark()),
                    "'*" + name + "' refers to the list or mapping it is part of",
                    "a value cannot contain itself; write the entries out"));
        }
        if (Boolean.TRUE.equals(collection.get(name)) && ++collectionAliases > MAX_COLLECTION_ALIASES) {
            return Optional.of(Diagnostic.error(
                    "SPEC-LIMIT",
                    span(alias.getStartMark()),
                    "more than " + MAX_COLLECTION_ALIASES + " aliases to lists or mappings",
                    "each alias copies the whole collection; write the entries out or use fewer aliases"));
        }
        return Optional.empty();
    }

    private SourceSpan span(Mark m) {
        return m == null ? SourceSpan.ofFile(file) : new SourceSpan(file, m.getLine() + 1, m.getColumn() + 1);
    }
}
