package dev.stockade.registry;

import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One containers/docker auth file, as {@code podman login} and {@code docker login} write it:
 *
 * <pre>{"auths": {"registry.example:5000": {"auth": "base64(user:password)"}}}</pre>
 *
 * Each entry gives {@code auth}, or {@code username} and {@code password}. Keys may carry a scheme
 * ({@code https://index.docker.io/v1/}, docker's legacy form) and a repository path
 * ({@code registry.example/team}, containers-auth.json(5)), the most specific of which wins. Entries
 * without a password (an empty {@code auth}, an {@code identitytoken}) and credential helpers
 * ({@code credsStore}, {@code credHelpers}) are not used; {@link #helperFor} says when a helper was
 * configured for a registry so a message can say why nothing was found. Problems are located
 * ({@code AUTH-FILE}, or {@code JSON-SYNTAX} for the syntax) and never quote a secret.
 */
public final class AuthFile {

    private static final String CODE = "AUTH-FILE";
    private static final String HINT = "log in again with 'podman login' or 'docker login', or fix the file";
    private static final Set<String> DOCKER_HUB_ALIASES = Set.of("docker.io", "index.docker.io", Repository.DOCKER_HUB);

    private final String file;
    private final Map<String, Credentials> entries;
    private final Optional<String> credsStore;
    private final Map<String, String> helpers;

    private AuthFile(
            String file, Map<String, Credentials> entries, Optional<String> credsStore, Map<String, String> helpers) {
        this.file = file;
        this.entries = entries;
        this.credsStore = credsStore;
        this.helpers = helpers;
    }

    public String file() {
        return file;
    }

    /** Reads the text of the auth file {@code file}. */
    public static AuthFile parse(String file, String text) throws InputException {
        JsonValue root = JsonReader.read(file, text);
        JsonValue.JsonObject top = object(root, "an auth file is a JSON object, e.g. {\"auths\": {}}");
        Map<String, Credentials> entries = new LinkedHashMap<>();
        JsonValue auths = top.members().get("auths");
        if (auths != null) {
            JsonValue.JsonObject map = object(auths, "\"auths\" maps registries to {\"auth\": ...} objects");
            for (Map.Entry<String, JsonValue> e : map.members().entrySet()) {
                Optional<Credentials> c = entry(file, e.getValue());
                if (c.isPresent()) {
                    entries.putIfAbsent(key(e.getKey()), c.get());
                }
            }
        }
        Optional<String> store = Optional.empty();
        JsonValue s = top.members().get("credsStore");
        if (s instanceof JsonValue.JsonString) {
            store = Optional.of(((JsonValue.JsonString) s).value());
        }
        Map<String, String> helpers = new LinkedHashMap<>();
        JsonValue h = top.members().get("credHelpers");
        if (h instanceof JsonValue.JsonObject) {
            ((JsonValue.JsonObject) h).members().forEach((k, v) -> {
                if (v instanceof JsonValue.JsonString) {
                    helpers.put(key(k), ((JsonValue.JsonString) v).value());
                }
            });
        }
        return new AuthFile(file, entries, store, helpers);
    }

    /**
     * The credentials for {@code repository}: the entry for its registry and longest matching path
     * ({@code host/team/app}, then {@code host/team}, then {@code host}).
     */
    public Optional<Credentials> find(Repository repository) {
        String host = hostKey(repository.registry());
        String path = host + "/" + repository.name();
        while (true) {
            Credentials c = entries.get(path);
            if (c != null) {
                return Optional.of(c);
            }
            int slash = path.lastIndexOf('/');
            if (slash < 0) {
                return Optional.empty();
            }
            path = path.substring(0, slash);
        }
    }

    /** The credential helper this file configures for {@code registry} ({@code credHelpers} or {@code credsStore}). */
    public Optional<String> helperFor(String registry) {
        String helper = helpers.get(hostKey(registry));
        return helper != null ? Optional.of(helper) : credsStore;
    }

    /** An entry's credentials; empty for entries that hold none Stockade can use. */
    private static Optional<Credentials> entry(String file, JsonValue v) throws InputException {
        JsonValue.JsonObject o = object(v, "each registry maps to an object such as {\"auth\": \"...\"}");
        JsonValue auth = o.members().get("auth");
        if (auth != null && !(auth instanceof JsonValue.JsonNull)) {
            String encoded = string(auth, "\"auth\" is base64 of user:password");
            if (!encoded.isEmpty()) {
                return Optional.of(decode(file, encoded.trim(), auth.span()));
            }
        }
        JsonValue user = o.members().get("username");
        JsonValue password = o.members().get("password");
        if (user != null && password != null) {
            String u = string(user, "\"username\" is a string");
            String p = string(password, "\"password\" is a string");
            if (!u.isEmpty()) {
                return Optional.of(new Credentials(u, p, file));
            }
        }
        return Optional.empty();
    }

    private static Credentials decode(String file, String encoded, SourceSpan at) throws InputException {
        String plain;
        try {
            plain = new String(Base64.getDecoder().decode(encoded.replaceAll("\\s", "")), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new InputException(Diagnostic.error(CODE, at, "\"auth\" is not valid base64", HINT));
        }
        int colon = plain.indexOf(':');
        if (colon <= 0) {
            throw new InputException(Diagnostic.error(
                    CODE, at, "\"auth\" does not decode to user:password", "the value is base64 of 'user:password'"));
        }
        return new Credentials(plain.substring(0, colon), plain.substring(colon + 1), file);
    }

    /** A key as written in the file, compared without scheme, trailing slash or docker's {@code /v1/} path. */
    static String key(String raw) {
        String k = raw.trim();
        int scheme = k.indexOf("://");
        if (scheme >= 0) {
            k = k.substring(scheme + 3);
        }
        while (k.endsWith("/")) {
            k = k.substring(0, k.length() - 1);
        }
        int slash = k.indexOf('/');
        String host = hostKey(slash < 0 ? k : k.substring(0, slash));
        String path = slash < 0 ? "" : k.substring(slash);
        if (host.equals("docker.io") && (path.equals("/v1") || path.equals("/v2"))) {
            path = "";
        }
        return host + path;
    }

    /** A registry host as keys name it: lower case, Docker Hub's aliases as {@code docker.io}. */
    static String hostKey(String registry) {
        String h = registry.toLowerCase(Locale.ROOT);
        return DOCKER_HUB_ALIASES.contains(h) ? "docker.io" : h;
    }

    private static JsonValue.JsonObject object(JsonValue v, String hint) throws InputException {
        if (v instanceof JsonValue.JsonObject) {
            return (JsonValue.JsonObject) v;
        }
        throw new InputException(Diagnostic.error(CODE, v.span(), "expected an object, not " + v.kind(), hint));
    }

    private static String string(JsonValue v, String hint) throws InputException {
        if (v instanceof JsonValue.JsonString) {
            return ((JsonValue.JsonString) v).value();
        }
        throw new InputException(Diagnostic.error(CODE, v.span(), "expected a string, not " + v.kind(), hint));
    }

    @Override
    public String toString() {
        return "AuthFile[" + file + ", " + entries.size() + " entries, secrets hidden]";
    }
}
