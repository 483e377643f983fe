package dev.stockade.testing;

/**
 * A host of a {@link NetnsLab}: one network namespace of its own.
 *
 * @param name  the short role name given by the test, e.g. "server"
 * @param netns the namespace name, {@code stk-<pid>-<counter>-<name>}
 */
public record Host(String name, String netns) {}
