package dev.stockade.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GeneratorTableTest {

    static X9ECParameters curve(int bits) {
        ASN1ObjectIdentifier oid = bits == 384 ? SECObjectIdentifiers.secp384r1 : SECObjectIdentifiers.secp256r1;
        return CustomNamedCurves.getByOID(oid);
    }

    /** Scalars at every edge of the windows and of the order, and random ones. */
    static List<BigInteger> scalars(BigInteger n, int random) {
        List<BigInteger> out = new ArrayList<>();
        for (long k : new long[] {1, 2, 3, 31, 32, 33, 1023, 1024, 0xFFFFFFFFL, 0x100000000L}) {
            out.add(BigInteger.valueOf(k));
        }
        for (int bit = 0; bit < n.bitLength() - 1; bit += 7) {
            out.add(BigInteger.ONE.shiftLeft(bit));
            out.add(BigInteger.ONE.shiftLeft(bit + 1).subtract(BigInteger.ONE));
        }
        out.add(n.subtract(BigInteger.ONE));
        out.add(n.subtract(BigInteger.TWO));
        out.add(n.shiftRight(1));
        Random r = new Random(15);
        for (int i = 0; i < random; i++) {
            out.add(new BigInteger(n.bitLength(), r)
                    .mod(n.subtract(BigInteger.ONE))
                    .add(BigInteger.ONE));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 384})
    void multiply_sameProductAsBouncyCastlesComb(int bits) {
        X9ECParameters x9 = curve(bits);
        GeneratorTable table = new GeneratorTable(x9.getG(), x9.getN());
        FixedPointCombMultiplier comb = new FixedPointCombMultiplier();
        for (BigInteger k : scalars(x9.getN(), 200)) {
            ECPoint expected = comb.multiply(x9.getG(), k).normalize();
            ECPoint got = table.multiply(x9.getG(), k).normalize();
            assertEquals(expected, got, "k = " + k.toString(16));
            assertTrue(got.isValid());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 384})
    void multiplyPublic_sameProductAsTheConstantTimeReads_forAnyBase(int bits) {
        X9ECParameters x9 = curve(bits);
        ECPoint q = x9.getG().multiply(BigInteger.valueOf(987654321)).normalize();
        GeneratorTable table = new GeneratorTable(q, x9.getN());
        for (BigInteger k : scalars(x9.getN(), 50)) {
            assertEquals(
                    table.multiply(q, k).normalize(), table.multiplyPublic(k).normalize(), "k = " + k.toString(16));
        }
        assertTrue(table.multiplyPublic(BigInteger.ZERO).isInfinity());
        assertThrows(IllegalArgumentException.class, () -> table.multiplyPublic(BigInteger.ONE.negate()));
        assertThrows(IllegalArgumentException.class, () -> table.multiplyPublic(BigInteger.ONE.shiftLeft(bits)));
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 384})
    void multiply_zeroOrOrder_pointAtInfinity_negative_negated(int bits) {
        X9ECParameters x9 = curve(bits);
        GeneratorTable table = new GeneratorTable(x9.getG(), x9.getN());
        assertTrue(table.multiply(x9.getG(), BigInteger.ZERO).isInfinity());
        BigInteger k = BigInteger.valueOf(123456789);
        assertEquals(
                table.multiply(x9.getG(), k).negate().normalize(),
                table.multiply(x9.getG(), k.negate()).normalize());
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 384})
    void multiply_otherPointOrLargeScalar_fallsBackToTheComb(int bits) {
        X9ECParameters x9 = curve(bits);
        GeneratorTable table = new GeneratorTable(x9.getG(), x9.getN());
        ECPoint other = x9.getG().multiply(BigInteger.valueOf(7)).normalize();
        BigInteger k = BigInteger.valueOf(1_000_003);
        assertEquals(
                other.multiply(k).normalize(), table.multiply(other, k).normalize(), "not the generator: still right");
        BigInteger big = x9.getN().add(BigInteger.TEN);
        assertEquals(
                x9.getG().multiply(BigInteger.TEN).normalize(),
                table.multiply(x9.getG(), big.mod(x9.getN())).normalize());
    }

    @ParameterizedTest
    @ValueSource(ints = {256, 384})
    void offsetPoint_onTheCurveAndFixed(int bits) {
        X9ECParameters x9 = curve(bits);
        ECPoint h = GeneratorTable.offsetPoint(x9.getCurve());
        assertTrue(h.isValid());
        assertEquals(h, GeneratorTable.offsetPoint(x9.getCurve()));
        assertTrue(!h.equals(x9.getG().normalize()));
    }
}
