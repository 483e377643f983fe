package dev.stockade.pki;

import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.x509.KeyPurposeId;

/** cfssl's usage words, as accepted in ca-config.json profiles. */
public final class Usages {

    static final Map<String, KeyPurposeId> EXTENDED = Map.ofEntries(
            Map.entry("server auth", KeyPurposeId.id_kp_serverAuth),
            Map.entry("client auth", KeyPurposeId.id_kp_clientAuth),
            Map.entry("code signing", KeyPurposeId.id_kp_codeSigning),
            Map.entry("email protection", KeyPurposeId.id_kp_emailProtection),
            Map.entry("s/mime", KeyPurposeId.id_kp_emailProtection),
            Map.entry("ipsec end system", KeyPurposeId.id_kp_ipsecEndSystem),
            Map.entry("ipsec tunnel", KeyPurposeId.id_kp_ipsecTunnel),
            Map.entry("ipsec user", KeyPurposeId.id_kp_ipsecUser),
            Map.entry("timestamping", KeyPurposeId.id_kp_timeStamping),
            Map.entry("ocsp signing", KeyPurposeId.id_kp_OCSPSigning),
            Map.entry("any", KeyPurposeId.anyExtendedKeyUsage));

    static final Set<String> BASIC = Set.of(
            "signing",
            "digital signature",
            "content commitment",
            "key encipherment",
            "key agreement",
            "data encipherment",
            "cert sign",
            "crl sign",
            "encipher only",
            "decipher only");

    private Usages() {}

    public static boolean isKnown(String usage) {
        String u = usage.toLowerCase(java.util.Locale.ROOT);
        return BASIC.contains(u) || EXTENDED.containsKey(u);
    }

    public static Set<String> all() {
        java.util.TreeSet<String> s = new java.util.TreeSet<>(BASIC);
        s.addAll(EXTENDED.keySet());
        return s;
    }
}
