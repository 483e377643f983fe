package dev.stockade.pki;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.operator.ContentSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The certificate issuance hot path with ECDSA P-256, under the JVM options of {@code bin/stockade}
 * (quick compiler only, serial GC): one product k·G with BouncyCastle's comb and with the {@link
 * GeneratorTable}; one signature with each and with the JDK's SunEC; one whole certificate (key, CSR,
 * certificate) as {@code pki issue --csr} makes it; and a batch of {@value #BATCH} as {@code pki issue
 * --spec} makes them ({@link Signer#issueAll}, on all cores). Per-certificate figures of the batch are
 * its time divided by {@value #BATCH}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"})
public class PkiBenchmark {

    static final int BATCH = 64;
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    CertificateAuthority ca;
    List<CertRequest> requests;
    KeyPair key;
    byte[] tbs;

    @Setup
    public void setUp() {
        ca = Signer.newCa(KeySpec.ECDSA_P256, "bench CA", List.of(), Duration.ofDays(3650), NOW);
        requests = new ArrayList<>();
        for (int i = 1; i <= BATCH; i++) {
            String name = String.format("node-%04d", i);
            requests.add(new CertRequest(
                    name,
                    name,
                    List.of(),
                    List.of(name, "localhost"),
                    List.of("10.250.0." + i, "2001:db8:1::" + Integer.toHexString(i), "127.0.0.1", "::1"),
                    CertRequest.usagesFor(Role.PEER),
                    Duration.ofDays(365),
                    false));
        }
        key = FastEc.generate(256);
        tbs = "a to-be-signed certificate of about this length ".repeat(10).getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public KeyPair keyPairComb() {
        return FastEc.generate(256, false);
    }

    @Benchmark
    public KeyPair keyPairTable() {
        return FastEc.generate(256, true);
    }

    @Benchmark
    public byte[] signComb() throws Exception {
        return sign(FastEc.signer(key.getPrivate(), "SHA256withECDSA", false));
    }

    @Benchmark
    public byte[] signTable() throws Exception {
        return sign(FastEc.signer(key.getPrivate(), "SHA256withECDSA", true));
    }

    @Benchmark
    public byte[] signSunEc() throws Exception {
        Signature s = Signature.getInstance("SHA256withECDSA", "SunEC");
        s.initSign(key.getPrivate());
        s.update(tbs);
        return s.sign();
    }

    private byte[] sign(ContentSigner signer) throws Exception {
        signer.getOutputStream().write(tbs);
        return signer.getSignature();
    }

    @Benchmark
    public IssuedCertificate issueOne() {
        return Signer.issue(ca, requests.get(0), KeySpec.ECDSA_P256, NOW);
    }

    @Benchmark
    public List<IssuedCertificate> issueBatch() {
        return Signer.issueAll(ca, requests, KeySpec.ECDSA_P256, NOW);
    }
}
