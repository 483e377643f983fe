package dev.stockade.pki;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Why a certificate was revoked: RFC 5280's CRLReason codes (section 5.3.1), named in lower case with
 * hyphens. {@code certificateHold} and {@code removeFromCRL} are left out: a revocation here is final.
 */
public enum RevocationReason {
    UNSPECIFIED(0),
    KEY_COMPROMISE(1),
    CA_COMPROMISE(2),
    AFFILIATION_CHANGED(3),
    SUPERSEDED(4),
    CESSATION_OF_OPERATION(5),
    PRIVILEGE_WITHDRAWN(9),
    AA_COMPROMISE(10);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** The CRLReason value written into the CRL entry. */
    public int code() {
        return code;
    }

    /** The name users type and files store, e.g. {@code key-compromise}. */
    public String keyword() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Optional<RevocationReason> parse(String keyword) {
        return Arrays.stream(values()).filter(r -> r.keyword().equals(keyword)).findFirst();
    }

    public static List<String> keywords() {
        return Arrays.stream(values()).map(RevocationReason::keyword).toList();
    }
}
