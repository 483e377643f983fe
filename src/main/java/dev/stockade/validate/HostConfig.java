package dev.stockade.validate;

import dev.stockade.report.SourceSpan;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a provisioning config (Ignition or cloud-config) puts on a host, in one shape for the
 * checks that do not care about the format ({@link SecurityLints}, embedded rules files). Each
 * format's validator fills it from its own model while it walks the file.
 *
 * @param files files written, with their decoded contents when they are inline
 * @param units systemd units and drop-ins
 * @param users users created or changed
 */
public record HostConfig(List<File> files, List<Unit> units, List<User> users) {

    public HostConfig {
        files = List.copyOf(files);
        units = List.copyOf(units);
        users = List.copyOf(users);
    }

    /**
     * @param mode the mode written, empty when the format's default applies ({@link #defaultMode})
     * @param contents the text, when it is given inline and decodes
     * @param at where the file entry is
     * @param contentsAt where its contents are (for findings about them)
     * @param firstContentLine the file line of the contents' first line, when the format keeps the
     *     text in lines of its own (a YAML block scalar); empty when the contents are one value
     */
    public record File(
            String path,
            OptionalInt mode,
            int defaultMode,
            Optional<String> contents,
            SourceSpan at,
            SourceSpan contentsAt,
            OptionalInt firstContentLine) {

        public int effectiveMode() {
            return mode.orElse(defaultMode);
        }
    }

    /**
     * A unit (with {@code dropin} empty) or one of its drop-ins.
     *
     * @param at where the unit's entry is
     * @param contentsAt where its contents are: the JSON string, the YAML scalar, or the first line
     *     of a YAML block scalar's text
     * @param firstContentLine as for {@link File}
     */
    public record Unit(
            String name,
            Optional<String> dropin,
            boolean enabled,
            boolean masked,
            Optional<String> contents,
            SourceSpan at,
            SourceSpan contentsAt,
            OptionalInt firstContentLine) {}

    public record User(String name, List<String> groups, SourceSpan at) {}

    public Optional<File> file(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst();
    }
}
