package dev.stockade.report;

import java.util.Objects;
import java.util.Optional;

/**
 * A result of a check (of certificates, rulesets, hosts): a stable {@code id} such as
 * {@code PKI-SAN-MISSING}, how severe it is, what it is about ({@code subject}: a file, a node, a
 * host), where in a file when that is known ({@code span}: the rule a ruleset finding is about),
 * what is wrong and what to do.
 */
public record Finding(
        String id, Severity severity, String subject, Optional<SourceSpan> span, String message, String hint) {

    public Finding {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(severity, "severity");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(span, "span");
        Objects.requireNonNull(message, "message");
        hint = hint == null ? "" : hint;
    }

    /** A finding about something without a place in a file (a certificate, a chain, a host). */
    public Finding(String id, Severity severity, String subject, String message, String hint) {
        this(id, severity, subject, Optional.empty(), message, hint);
    }

    /**
     * One line, compiler style: {@code file:line:col: severity: message [ID]} when the finding has
     * a span, {@code subject: severity: message [ID]} otherwise.
     */
    @Override
    public String toString() {
        return span.map(SourceSpan::toString).orElse(subject) + ": " + severity.label() + ": " + message + " [" + id
                + "]";
    }
}
