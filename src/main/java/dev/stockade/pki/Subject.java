package dev.stockade.pki;

import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/** Building X.500 subjects in the field order cfssl uses (C, ST, L, O, OU, then CN). */
public final class Subject {

    /** One {@code names[]} entry of a cfssl CSR: country, state, locality, organisation, unit. */
    public record Name(String c, String st, String l, String o, String ou) {}

    private Subject() {}

    public static X500Name of(String commonName, List<Name> names) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        for (Name n : names) {
            add(b, BCStyle.C, n.c());
            add(b, BCStyle.ST, n.st());
            add(b, BCStyle.L, n.l());
            add(b, BCStyle.O, n.o());
            add(b, BCStyle.OU, n.ou());
        }
        add(b, BCStyle.CN, commonName);
        return b.build();
    }

    private static void add(X500NameBuilder b, ASN1ObjectIdentifier oid, String value) {
        if (value != null && !value.isEmpty()) {
            b.addRDN(oid, value);
        }
    }
}
