package dev.stockade.pki;

import java.util.Set;

/** What a certificate must carry to do its job: the role and every name and address it is reached by. */
public record Expectation(Role role, Set<String> dnsNames, Set<String> ipAddresses) {

    public Expectation {
        dnsNames = Set.copyOf(dnsNames);
        ipAddresses = Set.copyOf(ipAddresses);
    }
}
