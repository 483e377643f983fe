package dev.stockade.testing;

/**
 * An L2 segment of a {@link NetnsLab}: a Linux bridge in the lab's switch namespace.
 *
 * @param name   the short name given by the test, e.g. "lan"
 * @param bridge the bridge's interface name inside the switch namespace
 */
public record Segment(String name, String bridge) {}
