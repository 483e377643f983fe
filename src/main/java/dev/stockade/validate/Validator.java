package dev.stockade.validate;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.SpecLoader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code validate}'s core: one file's text in, its findings out, by kind. A provisioning config is
 * checked by its format's validator, then the rules files it writes by the firewall engine
 * ({@link RulesChecks}) and what it puts on the host by {@link SecurityLints}.
 *
 * <p>One instance serves one run: files checked with it share the analysis of identical rules
 * (configs of one fleet often carry the same firewall). Thread-safe.
 */
public final class Validator {

    private final RulesChecks rules = new RulesChecks();

    public Validator() {}

    /**
     * @param file the name findings carry
     * @param kind the file's kind, or empty to detect it ({@link ConfigKind#detect})
     */
    public List<Finding> validate(String file, String text, Optional<ConfigKind> kind) {
        if (text.isBlank() && kind.isEmpty()) {
            return List.of(new Finding(
                    "VAL-EMPTY",
                    Severity.NOTE,
                    file,
                    Optional.of(SourceSpan.ofFile(file)),
                    "the file is empty: nothing to check (empty user data does nothing)",
                    ""));
        }
        Optional<ConfigKind> k = kind.or(() -> ConfigKind.detect(text));
        if (k.isEmpty()) {
            return List.of(new Finding(
                    "VAL-KIND",
                    Severity.ERROR,
                    file,
                    Optional.of(SourceSpan.ofFile(file)),
                    "not a file validate knows: no #cloud-config line, no JSON object, no iptables-save text and"
                            + " no 'stockade:' key",
                    "give --type cloud-config|ignition|rules|spec if it is one of them"));
        }
        return switch (k.get()) {
            case IGNITION -> provisioning(file, IgnitionValidator.validate(file, text));
            case CLOUD_CONFIG -> provisioning(file, CloudConfigValidator.validate(file, text));
            case RULES -> rules.file(file, text, Optional.empty());
            case SPEC -> spec(file, text);
            case SCRIPT ->
                List.of(new Finding(
                        "VAL-SCRIPT",
                        Severity.NOTE,
                        file,
                        Optional.of(SourceSpan.ofFile(file)),
                        "a script (#!): user data that runs as it is; nothing to check",
                        ""));
        };
    }

    private List<Finding> provisioning(String file, Checked r) {
        List<Finding> out = new ArrayList<>(r.findings());
        r.host().ifPresent(host -> {
            out.addAll(rules.embedded(file, host));
            out.addAll(SecurityLints.check(file, host));
        });
        return out;
    }

    private static List<Finding> spec(String file, String text) {
        List<Finding> out = new ArrayList<>();
        try {
            LoadedSpec loaded = SpecLoader.parse(file, text);
            loaded.warnings().forEach(d -> out.add(finding(d)));
        } catch (InputException e) {
            e.diagnostics().forEach(d -> out.add(finding(d)));
        }
        return out;
    }

    /**
     * What a provisioning config puts on a host (files, units, users), for checks outside
     * validate ({@code images check}); empty when the text is neither Ignition nor cloud-config or
     * cannot be read as one.
     */
    public static Optional<HostConfig> host(String file, String text) {
        Optional<ConfigKind> kind = ConfigKind.detect(text);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        return switch (kind.get()) {
            case IGNITION -> IgnitionValidator.validate(file, text).host();
            case CLOUD_CONFIG -> CloudConfigValidator.validate(file, text).host();
            case RULES, SPEC, SCRIPT -> Optional.empty();
        };
    }

    private static Finding finding(Diagnostic d) {
        return new Finding(d.code(), d.severity(), d.span().file(), Optional.of(d.span()), d.message(), d.hint());
    }
}
