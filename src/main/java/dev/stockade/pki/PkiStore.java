package dev.stockade.pki;

import dev.stockade.io.IoErrors;
import dev.stockade.io.SecureFiles;
import dev.stockade.io.TextFiles;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A PKI directory in cfssljson's naming: {@code ca.pem}/{@code ca-key.pem}, and per certificate
 * {@code NAME.pem}, {@code NAME-key.pem}, {@code NAME.csr}. Keys are written 0600 from creation,
 * certificates and CSRs 0644; nothing is replaced unless asked, and then the old file is kept as a
 * timestamped backup.
 */
public final class PkiStore {

    public static final String CA = "ca";
    /** The stem of the CRL files: no certificate may be called this. */
    public static final String CRL = "crl";

    private static final long MAX = 1L << 20;

    private final Path dir;
    private final Clock clock;

    public PkiStore(Path dir, Clock clock) {
        this.dir = dir;
        this.clock = clock;
    }

    public Path dir() {
        return dir;
    }

    public Path certFile(String name) {
        return dir.resolve(name + ".pem");
    }

    public Path keyFile(String name) {
        return dir.resolve(name + "-key.pem");
    }

    public Path csrFile(String name) {
        return dir.resolve(name + ".csr");
    }

    /** The revocations this CA made (see {@link Revocations}); 0600 like every file that is not shipped. */
    public Path revokedFile() {
        return dir.resolve("revoked.json");
    }

    public Path crlPemFile() {
        return dir.resolve(CRL + ".pem");
    }

    public Path crlDerFile() {
        return dir.resolve(CRL + ".der");
    }

    /** The recorded revocations, or {@link Revocations#NONE} when nothing was revoked yet. */
    public Revocations revocations() throws InputException {
        if (!Files.exists(revokedFile())) {
            return Revocations.NONE;
        }
        return Revocations.parse(revokedFile().toString(), TextFiles.read(revokedFile(), "PKI", MAX));
    }

    public java.security.cert.X509CRL loadCrl() throws InputException {
        return Pem.crl(crlPemFile().toString(), TextFiles.read(crlPemFile(), "PKI", 64L << 20));
    }

    /** The certificate {@code NAME.pem} alone (its key is not read). */
    public X509Certificate loadCertificate(String name) throws InputException {
        return Pem.certificates(certFile(name).toString(), TextFiles.read(certFile(name), "PKI", MAX))
                .get(0);
    }

    /**
     * Writes {@code revoked.json} (0600, the previous one kept as a backup), then the CRL as PEM and
     * DER (0644, replaced without backups: the list is the record). Each file is replaced atomically;
     * the list comes first, so a crash between them leaves a CRL that {@code pki verify} reports as
     * not up to date, never a revocation without its record.
     */
    public void saveRevocations(Revocations revocations, java.security.cert.X509CRL crl) throws IOException {
        Clock at = stamp();
        SecureFiles.write(revokedFile(), revocations.toJson().getBytes(StandardCharsets.UTF_8), 0600, true, at);
        byte[] der;
        try {
            der = crl.getEncoded();
        } catch (java.security.cert.CRLException e) {
            throw new IllegalStateException(e);
        }
        for (Path old : new Path[] {
            SecureFiles.write(crlPemFile(), Pem.crl(crl).getBytes(StandardCharsets.US_ASCII), 0644, true, at),
            SecureFiles.write(crlDerFile(), der, 0644, true, at)
        }) {
            if (old != null) {
                Files.delete(old);
            }
        }
    }

    public boolean hasCa() {
        return Files.exists(certFile(CA)) || Files.exists(keyFile(CA));
    }

    /** The CA certificate alone: all that checking certificates needs, so the key may stay offline. */
    public X509Certificate loadCaCertificate() throws InputException {
        return loadCertificate(CA);
    }

    /** Whether the CA key on disk is encrypted (false when there is none). */
    public boolean caKeyEncrypted() throws InputException {
        return Files.exists(keyFile(CA))
                && Pem.isEncryptedKey(keyFile(CA).toString(), TextFiles.read(keyFile(CA), "PKI", MAX));
    }

    /** Loads the CA, asking {@code passphrase} to decrypt its key only when the key is encrypted. */
    public CertificateAuthority loadCa(CaPassphrase passphrase) throws InputException {
        return loadCa(caKeyEncrypted() ? passphrase.forDecrypting(keyFile(CA).toString()) : passphrase.given());
    }

    public CertificateAuthority loadCa(char[] passphrase) throws InputException {
        return loadCa(certFile(CA), keyFile(CA), passphrase);
    }

    /** Loads a CA from any two files (used by {@code init --import}); checks that they belong together. */
    public static CertificateAuthority loadCa(Path certPath, Path keyPath, char[] passphrase) throws InputException {
        X509Certificate cert = Pem.certificates(certPath.toString(), TextFiles.read(certPath, "PKI", MAX))
                .get(0);
        PrivateKey key = Pem.privateKey(keyPath.toString(), TextFiles.read(keyPath, "PKI", MAX), passphrase);
        if (!Keys.matches(key, cert.getPublicKey())) {
            throw Pem.bad(
                    keyPath.toString(),
                    "PKI-KEY-MISMATCH",
                    "this key does not belong to the CA certificate " + certPath,
                    "give the key that was created together with the certificate");
        }
        if (cert.getBasicConstraints() < 0) {
            throw Pem.bad(
                    certPath.toString(),
                    "PKI-NOT-CA",
                    "this certificate is not a CA (basic constraints CA:false)",
                    "import the CA certificate (cfssl: ca.pem), not a leaf certificate");
        }
        if (KeySpec.of(cert.getPublicKey()).isEmpty()) {
            throw Pem.bad(
                    certPath.toString(),
                    "PKI-ALGORITHM",
                    "unsupported CA key type " + cert.getPublicKey().getAlgorithm(),
                    "Stockade signs with ECDSA P-256/P-384 or RSA 2048-4096 CAs");
        }
        return new CertificateAuthority(cert, key);
    }

    /** Writes the CA (key first, so a crash never leaves a certificate without its key). */
    public List<Path> saveCa(CertificateAuthority ca, char[] passphrase, boolean replace) throws IOException {
        Clock at = stamp();
        String key = passphrase == null ? Pem.privateKey(ca.key()) : Pem.encryptedPrivateKey(ca.key(), passphrase);
        List<Path> backups = new ArrayList<>();
        backup(backups, SecureFiles.write(keyFile(CA), key.getBytes(StandardCharsets.US_ASCII), 0600, replace, at));
        backup(
                backups,
                SecureFiles.write(
                        certFile(CA),
                        Pem.certificate(ca.certificate()).getBytes(StandardCharsets.US_ASCII),
                        0644,
                        replace,
                        at));
        return backups;
    }

    public List<Path> save(IssuedCertificate c, boolean replace) throws IOException {
        return save(c, replace, stamp());
    }

    /** One instant for every backup of one operation, so a key and its certificate share a stamp. */
    private Clock stamp() {
        return Clock.fixed(this.clock.instant(), java.time.ZoneOffset.UTC);
    }

    private List<Path> save(IssuedCertificate c, boolean replace, Clock at) throws IOException {
        List<Path> backups = new ArrayList<>();
        backup(
                backups,
                SecureFiles.write(
                        keyFile(c.name()),
                        Pem.privateKey(c.key()).getBytes(StandardCharsets.US_ASCII),
                        0600,
                        replace,
                        at));
        Path oldCsr = SecureFiles.write(
                csrFile(c.name()), Pem.csr(c.csr()).getBytes(StandardCharsets.US_ASCII), 0644, true, at);
        if (oldCsr != null) {
            Files.delete(oldCsr); // a CSR holds nothing secret or unique: no backup needed
        }
        backup(
                backups,
                SecureFiles.write(
                        certFile(c.name()),
                        Pem.certificate(c.certificate()).getBytes(StandardCharsets.US_ASCII),
                        0644,
                        replace,
                        at));
        return backups;
    }

    /**
     * Saves many certificates. New ones are written all at once ({@link SecureFiles#writeAllNew}:
     * one flush for the lot, then renames); replacements go one by one, each with its backup.
     */
    public List<Path> saveAll(List<IssuedCertificate> certificates, boolean replace) throws IOException {
        if (!replace) {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(
                        dir,
                        java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                                java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            }
            java.util.Map<Path, byte[]> contents = new java.util.LinkedHashMap<>();
            java.util.Map<Path, Integer> modes = new java.util.HashMap<>();
            for (IssuedCertificate c : certificates) {
                // a CSR left without its certificate and key holds nothing secret or unique: replace it
                if (!Files.exists(certFile(c.name())) && !Files.exists(keyFile(c.name()))) {
                    Files.deleteIfExists(csrFile(c.name()));
                }
                contents.put(keyFile(c.name()), Pem.privateKey(c.key()).getBytes(StandardCharsets.US_ASCII));
                modes.put(keyFile(c.name()), 0600);
                contents.put(csrFile(c.name()), Pem.csr(c.csr()).getBytes(StandardCharsets.US_ASCII));
                modes.put(csrFile(c.name()), 0644);
                contents.put(
                        certFile(c.name()), Pem.certificate(c.certificate()).getBytes(StandardCharsets.US_ASCII));
                modes.put(certFile(c.name()), 0644);
            }
            SecureFiles.writeAllNew(contents, modes);
            return List.of();
        }
        List<Path> backups = new ArrayList<>();
        Clock at = stamp();
        for (IssuedCertificate c : certificates) {
            backups.addAll(save(c, true, at));
        }
        return backups;
    }

    private static void backup(List<Path> backups, Path p) {
        if (p != null) {
            backups.add(p);
        }
    }

    /** The names of the certificates in the directory ({@code NAME.pem}, not the CA's), sorted. */
    public List<String> certificateNames() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString())
                    .filter(f -> f.endsWith(".pem")
                            && !f.endsWith("-key.pem")
                            && !f.equals(CA + ".pem")
                            && !f.equals(CRL + ".pem"))
                    .map(f -> f.substring(0, f.length() - ".pem".length()))
                    .sorted()
                    .toList();
        }
    }

    /** The stored certificate and key called {@code name}, or empty when neither file exists. */
    public Optional<StoredCertificate> load(String name) throws InputException {
        Path cert = certFile(name);
        Path key = keyFile(name);
        if (!Files.exists(cert) && !Files.exists(key)) {
            return Optional.empty();
        }
        X509Certificate c = Pem.certificates(cert.toString(), TextFiles.read(cert, "PKI", MAX))
                .get(0);
        PrivateKey k = Pem.privateKey(key.toString(), TextFiles.read(key, "PKI", MAX), null);
        try {
            return Optional.of(new StoredCertificate(name, c, k, cert, key, Files.getPosixFilePermissions(key)));
        } catch (IOException e) {
            throw Pem.bad(key.toString(), "PKI-READ", "cannot read permissions: " + IoErrors.describe(e), "");
        }
    }
}
