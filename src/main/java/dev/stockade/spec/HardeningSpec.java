package dev.stockade.spec;

import dev.stockade.report.SourceSpan;
import java.util.List;

/**
 * Host hardening applied through provisioning.
 *
 * @param coreGroups groups the {@code core} user is removed from
 * @param selinux desired SELinux mode
 * @param dockerSocketRootOnly restrict {@code /var/run/docker.sock} to root
 * @param updates reboot strategy for OS updates
 */
public record HardeningSpec(
        List<String> coreGroups,
        SelinuxMode selinux,
        boolean dockerSocketRootOnly,
        UpdateStrategy updates,
        SourceSpan updatesSpan) {

    public HardeningSpec {
        coreGroups = List.copyOf(coreGroups);
    }

    /** Settings that came from no file position (defaults, tests). */
    public HardeningSpec(
            List<String> coreGroups, SelinuxMode selinux, boolean dockerSocketRootOnly, UpdateStrategy updates) {
        this(coreGroups, selinux, dockerSocketRootOnly, updates, SourceSpan.ofFile(""));
    }

    public enum SelinuxMode {
        ENFORCING,
        PERMISSIVE,
        UNCHANGED;

        public String keyword() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public enum UpdateStrategy {
        ETCD_LOCK("etcd-lock"),
        REBOOT("reboot"),
        OFF("off"),
        UNCHANGED("unchanged");

        private final String keyword;

        UpdateStrategy(String keyword) {
            this.keyword = keyword;
        }

        public String keyword() {
            return keyword;
        }
    }
}
