package dev.stockade.pki.cfssl;

import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.pki.Usages;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A cfssl signing configuration ({@code ca-config.json}): the default profile and named profiles. */
public record CfsslConfig(Profile defaults, Map<String, Profile> profiles, List<Diagnostic> warnings) {

    /** What a profile decides: usages, lifetime and whether the result is a CA. */
    public record Profile(List<String> usages, Duration expiry, boolean ca, SourceSpan span) {}

    /** cfssl's own default: 168h, signing + key encipherment + server auth + client auth. */
    static final Profile CFSSL_DEFAULT = new Profile(
            List.of("signing", "key encipherment", "server auth", "client auth"), Duration.ofHours(168), false, null);

    private static final Set<String> PROFILE = Set.of("usages", "expiry", "ca_constraint");
    private static final Set<String> PROFILE_IGNORED = Set.of(
            "name_whitelist",
            "auth_key",
            "remote",
            "issuer_urls",
            "ocsp_url",
            "crl_url",
            "not_before",
            "not_after",
            "backdate",
            "copy_extensions",
            "ct_log_servers",
            "allowed_extensions",
            "lint_errlevel",
            "ignored_lints",
            "policies",
            "expiry_string",
            "auth_remote",
            "ocsp_no_check",
            "cert_store",
            "whitelist",
            "name_whitelist_string",
            "allowed_fields");

    public static CfsslConfig parse(String file, String text) throws InputException {
        JsonValue root = JsonReader.read(file, text);
        JsonFields f = new JsonFields();
        Map<String, JsonValue> top = f.object(root, "the config", Set.of("signing"), Set.of("auth_keys", "remotes"));
        Profile defaults = CFSSL_DEFAULT;
        Map<String, Profile> profiles = new LinkedHashMap<>();
        JsonValue signing = top.get("signing");
        if (signing == null) {
            f.error(
                    root.span(),
                    "CFSSL-MISSING",
                    "the config has no \"signing\" section",
                    "add {\"signing\": {\"default\": {...}}}");
        } else {
            Map<String, JsonValue> s = f.object(signing, "signing", Set.of("default", "profiles"), Set.of());
            if (s.containsKey("default")) {
                defaults = profile(s.get("default"), "signing.default", CFSSL_DEFAULT, f);
            }
            if (s.containsKey("profiles") && s.get("profiles") instanceof JsonValue.JsonObject) {
                for (Map.Entry<String, JsonValue> e :
                        ((JsonValue.JsonObject) s.get("profiles")).members().entrySet()) {
                    profiles.put(e.getKey(), profile(e.getValue(), "profile '" + e.getKey() + "'", defaults, f));
                }
            } else if (s.containsKey("profiles")) {
                f.object(s.get("profiles"), "signing.profiles", Set.of(), Set.of());
            }
        }
        if (f.hasErrors()) {
            throw new InputException(f.problems.stream()
                    .filter(d -> d.severity() == Severity.ERROR)
                    .toList());
        }
        return new CfsslConfig(defaults, profiles, f.problems);
    }

    /** A profile inherits what it does not set from {@code base} (cfssl fills profiles from the default). */
    private static Profile profile(JsonValue v, String what, Profile base, JsonFields f) {
        Map<String, JsonValue> m = f.object(v, what, PROFILE, PROFILE_IGNORED);
        List<String> usages = base.usages();
        if (m.containsKey("usages")) {
            usages = new ArrayList<>();
            for (JsonValue u : f.array(m.get("usages"), what + " usages")) {
                Optional<String> s = f.string(u, "a usage");
                if (s.isPresent() && Usages.isKnown(s.get())) {
                    usages.add(s.get());
                } else if (s.isPresent()) {
                    f.error(
                            u.span(),
                            "CFSSL-USAGE",
                            "unknown usage '" + s.get() + "'",
                            dev.stockade.report.Suggestions.hint(
                                    s.get(), Usages.all(), "known: " + String.join(", ", Usages.all())));
                }
            }
        }
        Duration expiry = base.expiry();
        if (m.containsKey("expiry")) {
            Optional<String> e = f.string(m.get("expiry"), what + " expiry");
            if (e.isPresent()) {
                Optional<Duration> d = GoDuration.parse(e.get());
                if (d.isEmpty()) {
                    f.error(
                            m.get("expiry").span(),
                            "CFSSL-EXPIRY",
                            "'" + e.get() + "' is not a duration",
                            "cfssl uses Go durations such as \"8760h\" (one year)");
                } else {
                    expiry = d.get();
                }
            }
        }
        boolean ca = base.ca();
        if (m.containsKey("ca_constraint")) {
            Map<String, JsonValue> c = f.object(
                    m.get("ca_constraint"),
                    what + " ca_constraint",
                    Set.of("is_ca"),
                    Set.of("max_path_len", "max_path_len_zero"));
            if (c.get("is_ca") instanceof JsonValue.JsonBoolean) {
                ca = ((JsonValue.JsonBoolean) c.get("is_ca")).value();
            }
        }
        return new Profile(usages, expiry, ca, v.span());
    }
}
