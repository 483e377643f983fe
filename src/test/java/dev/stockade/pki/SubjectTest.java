package dev.stockade.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.bouncycastle.asn1.ASN1PrintableString;
import org.bouncycastle.asn1.ASN1UTF8String;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.Test;

class SubjectTest {

    @Test
    void of_cfsslNames_orderAndEncodingsAsCfssl() {
        X500Name n = Subject.of("etcd", List.of(new Subject.Name("US", "CA", "San Francisco", "Ex, Inc", "Ops")));
        assertEquals("C=US,ST=CA,L=San Francisco,O=Ex\\, Inc,OU=Ops,CN=etcd", Subject.text(n));
        assertEquals(
                ASN1PrintableString.class.getSimpleName(),
                n.getRDNs(BCStyle.C)[0]
                        .getFirst()
                        .getValue()
                        .getClass()
                        .getSuperclass()
                        .getSimpleName());
    }

    @Test
    void of_valuesStartingWithHashOrBackslash_keptLiterally() {
        X500Name n = Subject.of("#zz", List.of(new Subject.Name(null, null, null, "\\x", "#0c0161")));
        assertEquals(
                "#zz", ((ASN1UTF8String) n.getRDNs(BCStyle.CN)[0].getFirst().getValue()).getString());
        assertEquals("\\x", ((ASN1UTF8String) n.getRDNs(BCStyle.O)[0].getFirst().getValue()).getString());
        assertEquals(
                "#0c0161", ((ASN1UTF8String) n.getRDNs(BCStyle.OU)[0].getFirst().getValue()).getString());
    }
}
