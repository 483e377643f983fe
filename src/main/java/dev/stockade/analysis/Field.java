package dev.stockade.analysis;

/** The header fields of a packet set, for projecting a set onto some of them ({@link PacketSet#keep}). */
public enum Field {
    STATE,
    PROTOCOL,
    FRAGMENT,
    TCP_FLAGS,
    IN_INTERFACE,
    OUT_INTERFACE,
    SOURCE,
    DESTINATION,
    DESTINATION_PORT,
    SOURCE_PORT,
    ICMP_TYPE,
    ICMP_CODE,
    TTL,
    MAC,
    ROUTING_HEADER
}
