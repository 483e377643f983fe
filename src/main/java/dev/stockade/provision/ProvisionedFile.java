package dev.stockade.provision;

/**
 * A file placed on the node. {@code mode} is octal permission bits (e.g. 0644); {@code owner} is
 * a user name that exists on the target (e.g. {@code root}, {@code etcd}).
 */
public record ProvisionedFile(String path, int mode, String owner, String contents) {

    public ProvisionedFile {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("node paths are absolute: " + path);
        }
    }

    /** The mode as four octal digits, as cloud-config wants it: {@code "0644"}. */
    public String octalMode() {
        return String.format("%04o", mode);
    }

    @Override
    public String toString() {
        return "ProvisionedFile[" + path + " " + octalMode() + " " + owner + ", " + contents.length() + " chars]";
    }
}
