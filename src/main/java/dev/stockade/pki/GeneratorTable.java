package dev.stockade.pki;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.math.ec.AbstractECMultiplier;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.math.raw.Nat;

/**
 * Multiplies a curve's generator G by secret scalars, for issuing many certificates: every key
 * generation and every ECDSA signature is one product k·G, three per certificate, and they are most
 * of the work of issuing a cluster's certificates.
 *
 * <p>Fixed-base windowing without doublings (Handbook of Applied Cryptography, Menezes, van Oorschot
 * and Vanstone, 1996, section 14.6.3): the scalar is cut into {@code m} windows of {@code w} bits, k =
 * Σ d_i·2^(w·i), and table i holds d·2^(w·i)·G for each of the 2^w digits d, so k·G is {@code m}
 * table reads and {@code m} additions. BouncyCastle's default, the comb ({@link
 * FixedPointCombMultiplier}), needs a doubling and an addition per column, 43 of each for P-256; with
 * w = 5 this is 52 mixed additions and measured about 1.5 times faster under the quick compiler. The
 * price is the tables, 52 of 32 affine points for P-256 (about 53 KB), built once in a few
 * milliseconds: worth it only for many products, so {@link Signer#issueAll} uses it for batches and
 * single operations keep the comb.
 *
 * <p>Side channels are handled as in BouncyCastle's comb: every table read goes through the curve's
 * constant-time lookup, which reads every entry of the table, and the sequence of point operations
 * is the same for every scalar. A zero digit would make a table entry the point at infinity and an
 * addition a special case, so, as in libsecp256k1's {@code ecmult_gen}, each entry of table i is
 * offset by U_i = 2^i·H, where H is a point of unknown discrete logarithm hashed to the curve from a
 * fixed string, and the sum of the offsets is subtracted at the end. An addition then meets the point
 * at infinity or its own operand only if the discrete logarithm of H were known; BouncyCastle's
 * addition gives the right result in those cases too, only not in constant time. The result is
 * checked to lie on the curve ({@link AbstractECMultiplier}).
 */
final class GeneratorTable extends AbstractECMultiplier {

    /** Window width: 5 bits measured fastest (4: more additions; 6: longer constant-time reads). */
    static final int WIDTH = 5;

    private final ECPoint g;
    private final int bits;
    private final int windows;
    private final ECLookupTable[] tables;
    private final ECPoint correction;

    /** Tables for multiples of {@code g}, a generator of prime order {@code n}. */
    GeneratorTable(ECPoint g, BigInteger n) {
        this.g = g.normalize();
        this.bits = n.bitLength();
        this.windows = (bits + WIDTH - 1) / WIDTH;
        ECCurve curve = g.getCurve();
        int size = 1 << WIDTH;
        ECPoint[] all = new ECPoint[windows * size];
        ECPoint base = this.g; // 2^(w·i)·G
        ECPoint offset = offsetPoint(curve); // U_i = 2^i·H
        ECPoint offsets = curve.getInfinity(); // Σ U_i
        for (int i = 0; i < windows; i++) {
            all[i * size] = offset;
            for (int d = 1; d < size; d++) {
                all[i * size + d] = all[i * size + d - 1].add(base);
            }
            offsets = offsets.add(offset);
            offset = offset.twice();
            base = base.timesPow2(WIDTH);
        }
        curve.normalizeAll(all);
        tables = new ECLookupTable[windows];
        for (int i = 0; i < windows; i++) {
            tables[i] = curve.createCacheSafeLookupTable(all, i * size, size);
        }
        correction = offsets.negate().normalize();
    }

    /**
     * H: the first x = SHA-256("stockade generator table offset N"), N = 0, 1, ..., that is the
     * x-coordinate of a curve point (compressed, even y). Nobody knows its discrete logarithm.
     */
    static ECPoint offsetPoint(ECCurve curve) {
        int len = (curve.getFieldSize() + 7) / 8;
        for (int counter = 0; ; counter++) {
            byte[] seed = ("stockade generator table offset " + counter).getBytes(StandardCharsets.US_ASCII);
            byte[] x = new byte[len];
            SHA256Digest sha = new SHA256Digest();
            for (int filled = 0, block = 0; filled < len; block++) {
                byte[] h = new byte[32];
                sha.update(seed, 0, seed.length);
                sha.update((byte) block);
                sha.doFinal(h, 0);
                int n = Math.min(32, len - filled);
                System.arraycopy(h, 0, x, filled, n);
                filled += n;
            }
            byte[] encoded = new byte[len + 1];
            encoded[0] = 0x02;
            System.arraycopy(x, 0, encoded, 1, len);
            try {
                return curve.decodePoint(encoded);
            } catch (IllegalArgumentException notOnCurve) {
                // x ≥ p, or no square root: try the next counter (about half of them fail)
            }
        }
    }

    /** The generator the tables are for. */
    ECPoint generator() {
        return g;
    }

    @Override
    protected ECPoint multiplyPositive(ECPoint p, BigInteger k) {
        if (k.bitLength() > bits || !p.equals(g)) {
            return new FixedPointCombMultiplier().multiply(p, k);
        }
        return sum(k, true);
    }

    /**
     * k·G for a public scalar k in [0, n) (signature verification): the same table reads, but each
     * reads only its entry instead of every entry, so its time depends on k.
     */
    ECPoint multiplyPublic(BigInteger k) {
        if (k.signum() < 0 || k.bitLength() > bits) {
            throw new IllegalArgumentException("scalar out of range");
        }
        return k.signum() == 0 ? g.getCurve().getInfinity() : sum(k, false);
    }

    private ECPoint sum(BigInteger k, boolean constantTime) {
        int[] words = Nat.fromBigInteger(windows * WIDTH, k);
        int mask = (1 << WIDTH) - 1;
        ECPoint r = null;
        for (int i = 0; i < windows; i++) {
            int bit = i * WIDTH;
            int word = bit >>> 5;
            int shift = bit & 31;
            int digit = words[word] >>> shift;
            if (shift + WIDTH > 32) {
                digit |= words[word + 1] << (32 - shift);
            }
            ECPoint entry = constantTime ? tables[i].lookup(digit & mask) : tables[i].lookupVar(digit & mask);
            r = r == null ? entry : r.add(entry);
        }
        return r.add(correction);
    }
}
