package dev.stockade.registry;

import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.report.InputException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * A registry's or token service's answer that is not what a resolution needs, turned into a {@link
 * RegistryException} that says what the answer means for the user: which credentials were refused
 * (their file and user name, never the password) or where none were found, which repository or
 * tag is missing, and the registry's own error codes and messages.
 */
final class RegistryFailures {

    private RegistryFailures() {}

    /**
     * 404 for a manifest. {@code repositoryExists} is what the tag list said (empty when it did not
     * say); the registry's own {@code NAME_UNKNOWN} in the manifest answer also means no repository.
     */
    static RegistryException notFound(
            RegistryHttp.Response r,
            Repository repository,
            String tag,
            String tried,
            Optional<Boolean> repositoryExists) {
        String where = RegistryHttp.hostPort(r.uri());
        List<RegistryError> errors = RegistryError.parse(r.text());
        boolean noRepository = errors.stream().anyMatch(e -> e.code().equals("NAME_UNKNOWN"))
                || repositoryExists.equals(Optional.of(false));
        String message;
        if (noRepository) {
            message = "repository " + repository.name() + " not found on " + where;
        } else if (repositoryExists.isPresent()) {
            message = "tag '" + tag + "' not found in " + repository.name() + " on " + where;
        } else {
            message = "tag '" + tag + "' not found in " + repository.name() + " on " + where
                    + " (or the repository does not exist)";
        }
        return new RegistryException(
                RegistryException.Kind.NOT_FOUND,
                where,
                message + " (tried " + tried + ")" + suffix(errors),
                noRepository ? "check the repository's name and registry" : "check the tag; was it pushed?",
                404,
                errors,
                null);
    }

    /** A manifest request answered with a status other than 200, 401, 403 and 404. */
    static RegistryException status(RegistryHttp.Response r, Repository repository, String tag, String tried) {
        String where = RegistryHttp.hostPort(r.uri());
        List<RegistryError> errors = RegistryError.parse(r.text());
        return new RegistryException(
                RegistryException.Kind.FAILED,
                where,
                where + " answered " + r.status() + " to " + tried + " for " + repository.name() + ":" + tag
                        + suffix(errors),
                r.status() >= 500 ? "the registry has a problem; try again later" : "",
                r.status(),
                errors,
                null);
    }

    /** 401 or 403 after the credentials (or their absence) were tried. */
    static RegistryException refused(
            RegistryHttp.Response r, Repository repository, Optional<Credentials> used, String searched, String tried) {
        String where = RegistryHttp.hostPort(r.uri());
        List<RegistryError> errors = RegistryError.parse(r.text());
        String message;
        String hint;
        if (used.isEmpty()) {
            message = where + " requires credentials for " + repository.name() + " and none were found: "
                    + (searched.isEmpty() ? "no auth file searched" : searched);
            hint = "log in with 'podman login " + repository.registry()
                    + "' (or docker login), or pass --auth-file FILE";
        } else if (r.status() == 403) {
            message = where + " denies user '" + used.get().username() + "' (credentials from "
                    + used.get().source() + ") access to " + repository.name();
            hint = "ask for pull access to " + repository.name() + ", or use other credentials";
        } else {
            message = where + " refused the credentials of user '" + used.get().username() + "' from "
                    + used.get().source();
            hint = "check the user name and password in " + used.get().source() + " (log in again)";
        }
        return new RegistryException(
                RegistryException.Kind.AUTH,
                where,
                message + " (" + r.status() + ", tried " + tried + ")" + suffix(errors),
                hint,
                r.status(),
                errors,
                null);
    }

    /** The token in a token service's answer, or why there is none. */
    static String token(
            RegistryHttp.Response r, String registry, URI realm, Optional<Credentials> used, String searched)
            throws RegistryException {
        String service = RegistryHttp.hostPort(realm);
        String tried = "GET " + realm.getScheme() + "://" + realm.getRawAuthority() + realm.getRawPath();
        if (r.status() == 401 || r.status() == 403) {
            List<RegistryError> errors = RegistryError.parse(r.text());
            String message = used.isPresent()
                    ? "the token service " + service + " of " + registry + " refused the credentials of user '"
                            + used.get().username() + "' from " + used.get().source()
                    : "the token service " + service + " of " + registry
                            + " refused anonymous access and no credentials were found: " + searched;
            String hint = used.isPresent()
                    ? "check the user name and password in " + used.get().source() + " (log in again)"
                    : "log in with 'podman login' (or docker login), or pass --auth-file FILE";
            throw new RegistryException(
                    RegistryException.Kind.AUTH,
                    registry,
                    message + " (" + r.status() + ", tried " + tried + ")" + suffix(errors),
                    hint,
                    r.status(),
                    errors,
                    null);
        }
        if (r.status() != 200) {
            List<RegistryError> errors = RegistryError.parse(r.text());
            throw new RegistryException(
                    RegistryException.Kind.FAILED,
                    registry,
                    "the token service " + service + " of " + registry + " answered " + r.status() + " (tried " + tried
                            + ")" + suffix(errors),
                    "",
                    r.status(),
                    errors,
                    null);
        }
        Optional<String> token = r.truncated() ? Optional.empty() : tokenIn(r.text());
        return token.orElseThrow(() -> new RegistryException(
                RegistryException.Kind.FAILED,
                registry,
                "the token service " + service + " of " + registry
                        + " answered without a token (expected JSON with \"token\" or \"access_token\"; tried " + tried
                        + ")",
                ""));
    }

    /** {@code token}, else {@code access_token}, of a token response; empty when neither is a non-empty string. */
    static Optional<String> tokenIn(String body) {
        JsonValue root;
        try {
            root = JsonReader.read("token response", body);
        } catch (InputException e) {
            return Optional.empty();
        }
        if (!(root instanceof JsonValue.JsonObject)) {
            return Optional.empty();
        }
        for (String key : List.of("token", "access_token")) {
            JsonValue v = ((JsonValue.JsonObject) root).members().get(key);
            if (v instanceof JsonValue.JsonString
                    && !((JsonValue.JsonString) v).value().isBlank()) {
                String t = ((JsonValue.JsonString) v).value().trim();
                if (t.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
                    return Optional.of(t);
                }
            }
        }
        return Optional.empty();
    }

    private static String suffix(List<RegistryError> errors) {
        if (errors.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder(": ");
        for (int i = 0; i < errors.size() && i < 3; i++) {
            b.append(i > 0 ? "; " : "").append(errors.get(i));
        }
        String s = b.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }
}
