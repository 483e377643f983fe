package dev.stockade.it;

import dev.stockade.registry.Digest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

/**
 * An OCI image layout written by hand (image-layout spec): {@code oci-layout}, content-addressed
 * blobs under {@code blobs/sha256/}, and {@code index.json} naming two references: {@code v1}, a
 * one-layer linux/amd64 image manifest, and {@code multi}, an image index of that manifest and a
 * linux/arm64 one sharing its layer. The digests of both are kept for the test to compare with.
 */
final class OciLayout {

    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";

    final Path dir;
    final Digest manifest;
    final Digest index;

    private OciLayout(Path dir, Digest manifest, Digest index) {
        this.dir = dir;
        this.manifest = manifest;
        this.index = index;
    }

    static OciLayout write(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("blobs").resolve("sha256"));
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        byte[] tar = tar("hello.txt", "hello from a hand-made layer\n".getBytes(StandardCharsets.UTF_8));
        byte[] layer = gzip(tar);
        Digest layerDigest = blob(dir, layer);
        String amd64 = manifest(dir, "amd64", Digest.sha256(tar), layerDigest, layer.length);
        String arm64 = manifest(dir, "arm64", Digest.sha256(tar), layerDigest, layer.length);
        Digest amd64Digest = Digest.sha256(amd64);
        String index = "{\"schemaVersion\":2,\"mediaType\":\"" + INDEX + "\",\"manifests\":["
                + descriptor(
                        MANIFEST,
                        amd64Digest,
                        amd64.length(),
                        ",\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}")
                + ","
                + descriptor(
                        MANIFEST,
                        Digest.sha256(arm64),
                        arm64.length(),
                        ",\"platform\":{\"architecture\":\"arm64\",\"os\":\"linux\"}")
                + "]}";
        Digest indexDigest = blob(dir, index.getBytes(StandardCharsets.UTF_8));
        Files.writeString(
                dir.resolve("index.json"),
                "{\"schemaVersion\":2,\"manifests\":["
                        + descriptor(MANIFEST, amd64Digest, amd64.length(), ref("v1")) + ","
                        + descriptor(INDEX, indexDigest, index.length(), ref("multi")) + "]}");
        return new OciLayout(dir, amd64Digest, indexDigest);
    }

    private static String manifest(Path dir, String arch, Digest diffId, Digest layer, int layerSize)
            throws IOException {
        String config = "{\"architecture\":\"" + arch + "\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"" + diffId + "\"]}}";
        Digest configDigest = blob(dir, config.getBytes(StandardCharsets.UTF_8));
        String m = "{\"schemaVersion\":2,\"mediaType\":\"" + MANIFEST + "\","
                + "\"config\":"
                + descriptor("application/vnd.oci.image.config.v1+json", configDigest, config.length(), "")
                + ",\"layers\":["
                + descriptor("application/vnd.oci.image.layer.v1.tar+gzip", layer, layerSize, "") + "]}";
        blob(dir, m.getBytes(StandardCharsets.UTF_8));
        return m;
    }

    private static String ref(String name) {
        return ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + name + "\"}";
    }

    private static String descriptor(String type, Digest digest, long size, String more) {
        return "{\"mediaType\":\"" + type + "\",\"digest\":\"" + digest + "\",\"size\":" + size + more + "}";
    }

    private static Digest blob(Path dir, byte[] content) throws IOException {
        Digest d = Digest.sha256(content);
        Files.write(dir.resolve("blobs").resolve("sha256").resolve(d.hex()), content);
        return d;
    }

    /** A ustar archive of one regular file, mode 0644, owned by root, dated 1970. */
    static byte[] tar(String name, byte[] content) {
        byte[] header = new byte[512];
        put(header, 0, name);
        put(header, 100, "0000644");
        put(header, 108, "0000000");
        put(header, 116, "0000000");
        put(header, 124, String.format("%011o", content.length));
        put(header, 136, "00000000000");
        Arrays.fill(header, 148, 156, (byte) ' ');
        header[156] = '0';
        put(header, 257, "ustar");
        put(header, 263, "00");
        int sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, String.format("%06o", sum));
        header[154] = 0;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header);
        out.writeBytes(content);
        out.writeBytes(new byte[(512 - content.length % 512) % 512]);
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private static void put(byte[] header, int at, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, at, b.length);
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(data);
        }
        return out.toByteArray();
    }
}
