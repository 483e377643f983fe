package dev.stockade.pki;

import java.time.Duration;
import java.util.List;

/**
 * What to put into a certificate. {@code name} is the file stem ({@code name.pem},
 * {@code name-key.pem}); the subject carries {@code commonName} and optional organisation fields.
 *
 * @param usages key usages and extended key usages in cfssl's words ("server auth", "client auth",
 *               "digital signature", "key encipherment", "cert sign", "crl sign"...)
 */
public record CertRequest(
        String name,
        String commonName,
        List<Subject.Name> subject,
        List<String> dnsNames,
        List<String> ipAddresses,
        List<String> usages,
        Duration validity,
        boolean ca) {

    public CertRequest {
        subject = List.copyOf(subject);
        dnsNames = List.copyOf(dnsNames);
        ipAddresses = List.copyOf(ipAddresses);
        usages = List.copyOf(usages);
    }

    public static List<String> usagesFor(Role role) {
        switch (role) {
            case CA:
                return List.of("cert sign", "crl sign");
            case PEER:
                return List.of("digital signature", "key encipherment", "server auth", "client auth");
            default:
                return List.of("digital signature", "key encipherment", "client auth");
        }
    }
}
