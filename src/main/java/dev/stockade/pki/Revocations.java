package dev.stockade.pki;

import dev.stockade.json.Json;
import dev.stockade.json.JsonRead;
import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.report.InputException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The revocations a CA has made, as kept in {@code revoked.json} beside it: the source from which
 * the CRL is signed again after every change. {@code crlNumber} is the number of the last CRL
 * signed, so each new CRL gets a larger one (RFC 5280, 5.2.3).
 *
 * <pre>{"crlNumber": 2, "revoked": [{"serial": "4f1c...", "name": "core-3",
 *   "revokedAt": "2026-12-02T14:50:00Z", "reason": "key-compromise"}]}</pre>
 */
public record Revocations(BigInteger crlNumber, List<Entry> entries) {

    public static final Revocations NONE = new Revocations(BigInteger.ZERO, List.of());

    /** One revoked certificate; {@code serial} is the certificate's, {@code name} its file stem. */
    public record Entry(BigInteger serial, String name, Instant revokedAt, RevocationReason reason) {}

    public Revocations {
        entries = List.copyOf(entries);
    }

    public Optional<Entry> find(BigInteger serial) {
        return entries.stream().filter(e -> e.serial().equals(serial)).findFirst();
    }

    /** These revocations plus {@code e}, with the next CRL number. */
    public Revocations add(Entry e) {
        List<Entry> all = new ArrayList<>(entries);
        all.add(e);
        return new Revocations(crlNumber, all);
    }

    public Revocations nextNumber() {
        return new Revocations(crlNumber.add(BigInteger.ONE), entries);
    }

    /** A serial as Stockade prints and stores it: lower-case hex without separators. */
    public static String hex(BigInteger serial) {
        return serial.toString(16);
    }

    /**
     * A serial as a user may type it: hex, optionally with colons (openssl's {@code x509 -text}) or a
     * {@code 0x} prefix. Empty when the text is not one.
     */
    public static Optional<BigInteger> parseSerial(String text) {
        String t = text.toLowerCase(Locale.ROOT).replace(":", "");
        if (t.startsWith("0x")) {
            t = t.substring(2);
        }
        if (t.isEmpty() || t.length() > 64 || !t.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return Optional.empty();
        }
        return Optional.of(new BigInteger(t, 16));
    }

    public String toJson() {
        return Json.object(g -> {
            g.writeNumberField("crlNumber", crlNumber);
            g.writeArrayFieldStart("revoked");
            for (Entry e : entries) {
                g.writeStartObject();
                g.writeStringField("serial", hex(e.serial()));
                g.writeStringField("name", e.name());
                g.writeStringField("revokedAt", e.revokedAt().toString());
                g.writeStringField("reason", e.reason().keyword());
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** Reads {@code revoked.json}; every problem names its line and column. */
    public static Revocations parse(String file, String text) throws InputException {
        JsonValue root = JsonReader.read(file, text);
        JsonValue.JsonObject top = READ.object(root);
        BigInteger number = READ.wholeNumber(READ.member(top, "crlNumber", root.span()));
        JsonValue list = READ.member(top, "revoked", root.span());
        List<Entry> entries = new ArrayList<>();
        for (JsonValue item : READ.array(list)) {
            JsonValue.JsonObject o = READ.object(item);
            JsonValue serialValue = READ.member(o, "serial", item.span());
            BigInteger serial = parseSerial(READ.string(serialValue))
                    .orElseThrow(() -> READ.error(serialValue.span(), "not a hex serial number"));
            String name = READ.string(READ.member(o, "name", item.span()));
            JsonValue at = READ.member(o, "revokedAt", item.span());
            Instant revokedAt;
            try {
                revokedAt = Instant.parse(READ.string(at));
            } catch (DateTimeParseException e) {
                throw READ.error(at.span(), "not a UTC time like 2026-12-02T14:50:00Z");
            }
            JsonValue reasonValue = READ.member(o, "reason", item.span());
            RevocationReason reason = RevocationReason.parse(READ.string(reasonValue))
                    .orElseThrow(() -> READ.error(
                            reasonValue.span(),
                            "unknown reason; one of " + String.join(", ", RevocationReason.keywords())));
            entries.add(new Entry(serial, name, revokedAt, reason));
        }
        return new Revocations(number, entries);
    }

    private static final JsonRead READ = new JsonRead(
            "PKI-REVOKED-FILE", "revoked.json is written by 'stockade pki revoke'; restore it from its .bak-* copy");
}
