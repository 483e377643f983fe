package dev.stockade.spec;

import java.util.Optional;

/** Interface names per role, e.g. {@code eth0} public and {@code eth1} private. */
public record Interfaces(Optional<String> publicName, Optional<String> privateName) {

    public Optional<String> name(InterfaceRole role) {
        return role == InterfaceRole.PUBLIC ? publicName : privateName;
    }
}
