package dev.stockade.analysis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * The interface names a ruleset can tell apart, as a finite set of atoms: every name a rule
 * mentions literally ({@code -i eth0}), one atom per wildcard ({@code -i eth+}) for the names with
 * that prefix that no rule names literally (and no longer wildcard covers), and one atom for every
 * other name. Each {@code -i}/{@code -o} match is then an exact set of atoms, so interfaces become a
 * small field of the packet space. {@code lo} is always an atom, so loopback is never confused with
 * the outside, and so is "no interface" (atom 0): a packet in INPUT has no output interface and one
 * in OUTPUT no input interface; the kernel compares an empty name, which only a bare {@code +}
 * matches.
 */
public final class InterfaceAtoms {

    /** One atom: a literal interface name, the other names under a wildcard prefix, or all other names. */
    public record Atom(String label, String name, boolean wildcard) {}

    private final List<Atom> atoms = new ArrayList<>();

    private InterfaceAtoms(Collection<String> names) {
        TreeSet<String> literals = new TreeSet<>();
        TreeSet<String> prefixes = new TreeSet<>();
        literals.add("lo");
        for (String n : names) {
            if (n.endsWith("+")) {
                if (n.length() > 1) {
                    prefixes.add(n.substring(0, n.length() - 1));
                }
            } else {
                literals.add(n);
            }
        }
        atoms.add(new Atom("(none)", "", false));
        for (String l : literals) {
            atoms.add(new Atom(l, l, false));
        }
        for (String p : prefixes) {
            atoms.add(new Atom(p + "+", p, true));
        }
        atoms.add(new Atom("(other)", "", true));
    }

    /** Atoms for the names that appear in {@code -i}/{@code -o} matches (as written, {@code +} included). */
    public static InterfaceAtoms of(Collection<String> names) {
        return new InterfaceAtoms(names);
    }

    public List<Atom> atoms() {
        return List.copyOf(atoms);
    }

    public int size() {
        return atoms.size();
    }

    /** Bits needed to number the atoms. */
    public int bits() {
        int b = 1;
        while ((1 << b) < atoms.size()) {
            b++;
        }
        return b;
    }

    /** The atoms (by number) that the interface match {@code name} (maybe ending in {@code +}) covers. */
    public List<Integer> matching(String name) {
        List<Integer> out = new ArrayList<>();
        boolean wild = name.endsWith("+");
        String p = wild ? name.substring(0, name.length() - 1) : name;
        for (int i = 0; i < atoms.size(); i++) {
            Atom a = atoms.get(i);
            boolean hit;
            if (!wild) {
                hit = !a.wildcard() && a.name().equals(p);
            } else if (a.wildcard() && a.name().isEmpty()) {
                hit = p.isEmpty();
            } else {
                hit = a.name().startsWith(p);
            }
            if (hit) {
                out.add(i);
            }
        }
        return out;
    }

    /** The atom of "no interface". */
    public int none() {
        return 0;
    }

    /** The atom a concrete interface name falls into. */
    public int atomOf(String concreteName) {
        for (int i = 0; i < atoms.size(); i++) {
            Atom a = atoms.get(i);
            if (!a.wildcard() && a.name().equals(concreteName)) {
                return i;
            }
        }
        int best = atoms.size() - 1;
        int bestLength = -1;
        for (int i = 0; i < atoms.size(); i++) {
            Atom a = atoms.get(i);
            if (a.wildcard()
                    && !a.name().isEmpty()
                    && concreteName.startsWith(a.name())
                    && a.name().length() > bestLength) {
                best = i;
                bestLength = a.name().length();
            }
        }
        return best;
    }
}
