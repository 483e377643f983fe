package dev.stockade.spec;

import java.util.Optional;

/** The operating system a cluster runs; decides which provisioning formats are produced. */
public enum Target {
    /** Flatcar Container Linux: Ignition, plus cloud-config for coreos-cloudinit users. */
    FLATCAR("flatcar", true, true),
    /** Fedora CoreOS: Ignition only. */
    FCOS("fcos", true, false),
    /** Legacy CoreOS Container Linux: cloud-config only. */
    CONTAINER_LINUX("container-linux", false, true);

    private final String keyword;
    private final boolean ignition;
    private final boolean cloudConfig;

    Target(String keyword, boolean ignition, boolean cloudConfig) {
        this.keyword = keyword;
        this.ignition = ignition;
        this.cloudConfig = cloudConfig;
    }

    public String keyword() {
        return keyword;
    }

    public boolean wantsIgnition() {
        return ignition;
    }

    public boolean wantsCloudConfig() {
        return cloudConfig;
    }

    public static Optional<Target> parse(String text) {
        for (Target t : values()) {
            if (t.keyword.equals(text)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return keyword;
    }
}
