package dev.stockade.validate;

import dev.stockade.analysis.RulesetLints;
import dev.stockade.analysis.SemanticLints;
import dev.stockade.iptables.IptablesSaveParser;
import dev.stockade.iptables.ParsedRuleset;
import dev.stockade.net.IpFamily;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;

/**
 * iptables-save / iptables-restore text, checked with the firewall engine: the parser's errors and
 * warnings, {@link RulesetLints} and {@link SemanticLints}. Rules embedded in a provisioning config
 * are checked the same way and their locations moved into the config ({@link #embedded}).
 *
 * <p>The packet-set lints are the expensive part, and a fleet's configs often carry the same rules:
 * one instance remembers the findings of each distinct set of rules texts it has checked (up to
 * {@link #MEMO_CHARS} characters of text), so a run over many files analyses each ruleset once.
 * Thread-safe: files may be checked in parallel.
 */
final class RulesChecks {

    /** The most rules text remembered, in characters (about 64 MB as Latin-1 strings). */
    static final long MEMO_CHARS = 64L << 20;

    private final Map<List<Rules>, List<Finding>> memo = new ConcurrentHashMap<>();
    private final AtomicLong memoChars = new AtomicLong();

    /** One rules text: a file of its own, or one a config writes to {@code path}. */
    record Rules(String name, String text, IpFamily family) {}

    /** Checks a standalone rules file; the family comes from the text unless {@code family} is given. */
    List<Finding> file(String file, String text, Optional<IpFamily> family) {
        return check(List.of(new Rules(file, text, family.orElse(null))), UnaryOperator.identity());
    }

    /** The rules files a host config writes (IPv4 and IPv6 checked together), located in the config. */
    List<Finding> embedded(String configFile, HostConfig host) {
        List<Rules> rules = new ArrayList<>();
        List<HostConfig.File> sources = new ArrayList<>();
        for (HostConfig.File f : host.files()) {
            IpFamily family = f.path().equals(SecurityLints.RULES_V4)
                    ? IpFamily.V4
                    : f.path().equals(SecurityLints.RULES_V6) ? IpFamily.V6 : null;
            if (family != null && f.contents().isPresent()) {
                rules.add(new Rules(f.path(), f.contents().get(), family));
                sources.add(f);
            }
        }
        List<Finding> out = new ArrayList<>();
        remembered(rules).forEach(f -> out.add(relocate(configFile, sources, f)));
        if (sshElsewhereOrMasked(host)) {
            // FW-SSH-CLOSED looks at tcp/22: with sshd masked the closure is intended, on another port it is moot
            out.removeIf(f -> f.id().equals("FW-SSH-CLOSED"));
        }
        return out;
    }

    /** Whether the config masks sshd, or moves it off port 22 (sshd_config Port, or a sshd.socket ListenStream). */
    static boolean sshElsewhereOrMasked(HostConfig host) {
        boolean masked = host.units().stream()
                .anyMatch(u -> u.masked()
                        && u.dropin().isEmpty()
                        && (u.name().equals("sshd.socket") || u.name().equals("sshd.service")));
        boolean port = host.files().stream()
                .filter(f -> f.path().startsWith("/etc/ssh/sshd_config"))
                .anyMatch(f ->
                        f.contents().orElse("").lines().anyMatch(l -> l.strip().matches("Port\\s+(?!22$)\\d+")));
        boolean socket = host.units().stream()
                .filter(u -> u.name().equals("sshd.socket"))
                .anyMatch(u ->
                        u.contents().orElse("").lines().anyMatch(l -> l.strip().matches("ListenStream=(?!22$).+")));
        return masked || port || socket;
    }

    /** {@link #check} of rules located in their own files, once per distinct rules (see the class note). */
    private List<Finding> remembered(List<Rules> rules) {
        List<Finding> known = memo.get(rules);
        if (known != null) {
            return known;
        }
        List<Finding> found = List.copyOf(check(rules, UnaryOperator.identity()));
        long chars = rules.stream().mapToLong(r -> r.text().length()).sum();
        if (memoChars.addAndGet(chars) <= MEMO_CHARS) {
            memo.putIfAbsent(rules, found);
        } else {
            memoChars.addAndGet(-chars);
        }
        return found;
    }

    /** Every finding of {@code rules}, placed by {@code place}; the list is the caller's to change. */
    private static List<Finding> check(List<Rules> rules, UnaryOperator<Finding> place) {
        List<Finding> out = new ArrayList<>();
        List<RulesetLints.Source> parsed = new ArrayList<>();
        for (Rules r : rules) {
            try {
                ParsedRuleset p = IptablesSaveParser.parse(r.name(), r.text(), r.family());
                p.warnings().forEach(d -> out.add(place.apply(finding(r.name(), d))));
                parsed.add(new RulesetLints.Source(r.name(), p.ruleset()));
            } catch (InputException e) {
                e.diagnostics().forEach(d -> out.add(place.apply(finding(r.name(), d))));
            }
        }
        RulesetLints.lint(parsed).forEach(f -> out.add(place.apply(f)));
        for (RulesetLints.Source s : parsed) {
            s.ruleset()
                    .table("filter")
                    .ifPresent(t -> SemanticLints.lint(s.file(), s.ruleset().family(), t)
                            .forEach(f -> out.add(place.apply(f))));
        }
        return out;
    }

    private static Finding finding(String file, Diagnostic d) {
        return new Finding(d.code(), d.severity(), file, Optional.of(d.span()), d.message(), d.hint());
    }

    /**
     * A finding about line N of an embedded rules file, moved to the config: to the config's line
     * when the text sits on lines of its own there (a YAML block), else to the contents value, with
     * the rules line in the message.
     */
    private static Finding relocate(String configFile, List<HostConfig.File> sources, Finding f) {
        Optional<HostConfig.File> source = sources.stream()
                .filter(s -> f.subject().equals(s.path())
                        || f.subject().startsWith(s.path() + ":")
                        || f.span().map(sp -> sp.file().equals(s.path())).orElse(false))
                .findFirst();
        if (source.isEmpty()) {
            return f;
        }
        HostConfig.File s = source.get();
        int line =
                f.span().filter(SourceSpan::hasPosition).map(SourceSpan::line).orElse(0);
        // a finding without a line says where in its subject ("FILE: chain INPUT")
        String where = line == 0 && f.subject().startsWith(s.path()) ? f.subject() : s.path();
        SourceSpan at;
        String message;
        if (s.firstContentLine().isPresent() && line > 0) {
            at = new SourceSpan(
                    configFile,
                    s.firstContentLine().getAsInt() + line - 1,
                    s.contentsAt().column());
            message = where + ": " + f.message();
        } else {
            at = s.contentsAt();
            message = where + (line > 0 ? " line " + line : "") + ": " + f.message();
        }
        return new Finding(f.id(), f.severity(), configFile, Optional.of(at), message, f.hint());
    }
}
