package dev.stockade.pki;

import java.util.List;

/**
 * The cluster's PKI settings from the spec's {@code pki:} section.
 *
 * @param clients names of client certificates to issue (operators, etcdctl, services)
 * @param crlDays how far the next update of a CRL signed with this spec lies ({@code pki revoke},
 *     {@code pki crl}, and the revocations {@code build} makes)
 * @param deliver how the nodes' TLS files reach them
 */
public record PkiSpec(KeySpec key, int caDays, int certDays, List<String> clients, int crlDays, Delivery deliver) {

    public static final PkiSpec DEFAULT =
            new PkiSpec(KeySpec.ECDSA_P256, 1825, 365, List.of("operator"), 7, Delivery.USERDATA);

    /** How the nodes' etcd TLS files (CA, certificate, private key, CRL) reach them ({@code pki.deliver}). */
    public enum Delivery {
        /** In the Ignition/cloud-config user data, written at first boot. */
        USERDATA("userdata"),
        /**
         * Left out of the user data (which cloud metadata services serve to any process on the
         * instance); {@code stockade apply} copies them over SSH, and etcd waits for them.
         */
        SSH("ssh");

        private final String keyword;

        Delivery(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }

    /** The longest CRL validity Stockade signs: a revocation must reach the members well within it. */
    public static final int MAX_CRL_DAYS = 366;

    public PkiSpec {
        clients = List.copyOf(clients);
    }
}
