package dev.stockade.analysis;

import dev.stockade.analysis.bdd.Bdd;
import java.util.Arrays;

/**
 * A set of packets: what the analysis hands out and takes back across its boundary. Callers
 * combine, compare and project sets without touching the engine underneath (a BDD node of the
 * analysis's {@link PacketSpace}). Sets of different analyses do not mix.
 */
public final class PacketSet {

    private final PacketSpace space;
    private final int node;

    PacketSet(PacketSpace space, int node) {
        this.space = space;
        this.node = node;
    }

    int node() {
        return node;
    }

    private PacketSet with(int n) {
        return n == node ? this : new PacketSet(space, n);
    }

    private int other(PacketSet o) {
        if (o.space != space) {
            throw new IllegalArgumentException("packet sets of different analyses do not mix");
        }
        return o.node;
    }

    public PacketSet and(PacketSet o) {
        return with(space.bdd().and(node, other(o)));
    }

    public PacketSet or(PacketSet o) {
        return with(space.bdd().or(node, other(o)));
    }

    /** The packets of this set that are not in {@code o}. */
    public PacketSet minus(PacketSet o) {
        return with(space.bdd().diff(node, other(o)));
    }

    /** Every packet not in this set (including packets whose fields hold no real value). */
    public PacketSet not() {
        return with(space.bdd().not(node));
    }

    public boolean isEmpty() {
        return node == Bdd.FALSE;
    }

    public boolean intersects(PacketSet o) {
        return space.bdd().intersects(node, other(o));
    }

    /** Whether every packet of this set is in {@code o}. */
    public boolean within(PacketSet o) {
        return space.bdd().diff(node, other(o)) == Bdd.FALSE;
    }

    /**
     * The set read on {@code fields} only: a packet is in it when some packet of this set agrees
     * with it on those fields (every other field is quantified away).
     */
    public PacketSet keep(Field... fields) {
        int[] firsts = Arrays.stream(fields).mapToInt(space::first).toArray();
        return with(space.bdd().exists(node, space.allFieldsBut(firsts)));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketSet p && p.space == space && p.node == node;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(space) * 31 + node;
    }

    @Override
    public String toString() {
        return isEmpty() ? "PacketSet(empty)" : "PacketSet(" + space.family() + ", node " + node + ")";
    }
}
