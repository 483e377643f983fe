package dev.stockade.audit;

import dev.stockade.net.IpFamily;

/**
 * Who can open a connection to one listening service over one family, for reports that draw the
 * host's exposure: {@code sources} in words ("any address", "203.0.113.0/24 on eth1", "nobody").
 */
public record Reachability(String service, IpFamily family, String sources, boolean anywhere, boolean closed) {}
