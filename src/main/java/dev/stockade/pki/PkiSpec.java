package dev.stockade.pki;

import java.util.List;

/**
 * The cluster's PKI settings from the spec's {@code pki:} section.
 *
 * @param clients names of client certificates to issue (operators, etcdctl, services)
 */
public record PkiSpec(KeySpec key, int caDays, int certDays, List<String> clients) {

    public static final PkiSpec DEFAULT = new PkiSpec(KeySpec.ECDSA_P256, 1825, 365, List.of("operator"));

    public PkiSpec {
        clients = List.copyOf(clients);
    }
}
