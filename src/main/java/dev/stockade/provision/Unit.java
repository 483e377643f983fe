package dev.stockade.provision;

import java.util.List;
import java.util.Optional;

/**
 * A systemd unit to enable, mask, define ({@code contents}) or extend with drop-ins.
 *
 * @param start start it right away where the format allows (cloud-config {@code command: start}, or
 *     {@code restart} when it has drop-ins, which must apply to a unit that may already run)
 */
public record Unit(
        String name, boolean enable, boolean mask, boolean start, Optional<String> contents, List<Dropin> dropins) {

    /** Where the units and drop-ins a node is given are written. */
    public static final String DIR = "/etc/systemd/system";

    public Unit {
        dropins = List.copyOf(dropins);
    }

    public static Unit enable(String name) {
        return new Unit(name, true, false, true, Optional.empty(), List.of());
    }

    public static Unit define(String name, String contents) {
        return new Unit(name, true, false, true, Optional.of(contents), List.of());
    }

    public static Unit mask(String name) {
        return new Unit(name, false, true, false, Optional.empty(), List.of());
    }

    public static Unit dropin(String name, boolean enable, Dropin dropin) {
        return new Unit(name, enable, false, enable, Optional.empty(), List.of(dropin));
    }

    /**
     * Extends a unit that may already be running with a drop-in, restarted where the format runs
     * commands (cloud-config), so the drop-in applies on the boot that writes it; not enabled.
     */
    public static Unit restartWith(String name, Dropin dropin) {
        return new Unit(name, false, false, true, Optional.empty(), List.of(dropin));
    }

    /** A file in {@code <unit>.d/}. */
    public record Dropin(String name, String contents) {}
}
