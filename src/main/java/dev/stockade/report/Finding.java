package dev.stockade.report;

import java.util.Objects;

/**
 * A result of a check (of certificates, rulesets, hosts): a stable {@code id} such as
 * {@code PKI-SAN-MISSING}, how severe it is, what it is about ({@code subject}: a file, a node, a
 * host), what is wrong and what to do.
 */
public record Finding(String id, Severity severity, String subject, String message, String hint) {

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(message, "message");
        hint = hint == null ? "" : hint;
    }

    @Override
    public String toString() {
        return subject + ": " + severity.label() + ": " + message + " [" + id + "]";
    }
}
