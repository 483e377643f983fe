package dev.stockade.pki;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/** Building X.500 subjects in the field order cfssl uses (C, ST, L, O, OU, then CN), and showing them. */
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

    /**
     * Values are encoded here, as BouncyCastle's string form would (PrintableString for the country,
     * UTF8String otherwise), but literally: its string form reads a leading '#' as hex DER and drops
     * a leading '\', so a CN such as "#1" would fail or change meaning.
     */
    private static void add(X500NameBuilder b, ASN1ObjectIdentifier oid, String value) {
        if (value != null && !value.isEmpty()) {
            b.addRDN(oid, oid.equals(BCStyle.C) ? new DERPrintableString(value) : new DERUTF8String(value));
        }
    }

    /**
     * The RFC 4514 text of a name as BouncyCastle writes it (in encoded order). A value that cannot be
     * decoded as text (e.g. a UTF8String holding invalid UTF-8) is shown as '#' and its DER in hex,
     * RFC 4514's form for such values, instead of failing.
     */
    public static String text(X500Name name) {
        try {
            return name.toString();
        } catch (RuntimeException e) {
            List<String> rdns = new ArrayList<>();
            for (RDN rdn : name.getRDNs()) {
                rdns.add(rdn(rdn));
            }
            return String.join(",", rdns);
        }
    }

    /** TYPE=value pairs joined by '+'; an RDN that is not such pairs at all is shown as '#' and its DER. */
    private static String rdn(RDN rdn) {
        try {
            List<String> parts = new ArrayList<>();
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                String type = BCStyle.INSTANCE.oidToDisplayName(atv.getType());
                parts.add((type == null ? atv.getType().getId() : type) + "=" + value(atv.getValue()));
            }
            return String.join("+", parts);
        } catch (RuntimeException e) {
            return hex(rdn);
        }
    }

    private static String value(ASN1Encodable v) {
        try {
            return IETFUtils.valueToString(v);
        } catch (RuntimeException e) {
            return hex(v);
        }
    }

    private static String hex(ASN1Encodable v) {
        try {
            return "#" + HexFormat.of().formatHex(v.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        } catch (IOException | RuntimeException notEncodable) {
            return "#";
        }
    }
}
