package dev.stockade.spec;

/** The two network roles a node's interfaces play. */
public enum InterfaceRole {
    PUBLIC,
    PRIVATE;

    public String keyword() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
