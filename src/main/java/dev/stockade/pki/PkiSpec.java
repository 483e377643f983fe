package dev.stockade.pki;

import java.util.List;

/**
 * The cluster's PKI settings from the spec's {@code pki:} section.
 *
 * @param clients names of client certificates to issue (operators, etcdctl, services)
 * @param crlDays how far the next update of a CRL signed with this spec lies ({@code pki revoke},
 *     {@code pki crl}, and the revocations {@code build} makes)
 */
public record PkiSpec(KeySpec key, int caDays, int certDays, List<String> clients, int crlDays) {

    public static final PkiSpec DEFAULT = new PkiSpec(KeySpec.ECDSA_P256, 1825, 365, List.of("operator"), 7);

    /** The longest CRL validity Stockade signs: a revocation must reach the members well within it. */
    public static final int MAX_CRL_DAYS = 366;

    public PkiSpec {
        clients = List.copyOf(clients);
    }
}
