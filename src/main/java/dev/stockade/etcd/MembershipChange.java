package dev.stockade.etcd;

import dev.stockade.report.Diagnostic;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The etcd membership a build asks for, compared with the one running, and the order that gets from
 * one to the other without losing quorum.
 *
 * <h2>Order</h2>
 * etcd changes membership one member at a time, each change committed by a quorum of the current
 * members. The steps are: remove the departing members, one at a time (a departing member stops
 * itself once removed); then load the new firewall on the members that stay, which now admits the
 * arriving members and no longer the departed ones; then add the arriving members one at a time,
 * each started (with {@code ETCD_INITIAL_CLUSTER_STATE=existing}) and healthy before the next is
 * added. Removals come first so that an added member's {@code ETCD_INITIAL_CLUSTER}, fixed at build
 * time, equals the membership at its join: the members that stay, then the ones added before it, then
 * itself.
 *
 * <h2>Quorum</h2>
 * Members usually leave a spec because their machines are failing or already gone. A change is
 * refused when, with every departing member already down, the members that stay would not be a
 * majority of the current ones: the first removal could not be committed and the cluster would be
 * stuck. Taking one member out at a time is always allowed (it is what etcd's own procedure does),
 * and a change that keeps no current member is refused: no member would carry the data.
 *
 * <h2>First starts</h2>
 * A member that stays keeps the first start it was built with (recorded in the build state), so its
 * provisioning does not change under it; a member known only from {@code --existing-cluster} gets
 * {@code existing} with the current membership.
 */
public record MembershipChange(
        List<Member> current, List<Member> wanted, Map<String, FirstStart> starts, boolean resolved) {

    /** A member that ran before, and how it first started (empty when not known). */
    public record Running(Member member, Optional<FirstStart> start) {}

    public MembershipChange {
        current = List.copyOf(current);
        wanted = List.copyOf(wanted);
        starts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(starts));
    }

    /** No etcd, or an etcd whose members cannot be configured yet: what ran before is carried over. */
    public static MembershipChange unresolved(List<Running> running) {
        List<Member> members = running.stream().map(Running::member).toList();
        Map<String, FirstStart> starts = new LinkedHashMap<>();
        running.forEach(r -> r.start().ifPresent(s -> starts.put(r.member().name(), s)));
        return new MembershipChange(members, members, starts, false);
    }

    /** A new cluster: every member starts with {@code new} and all of them. */
    public static MembershipChange fresh(List<Member> wanted) {
        Map<String, FirstStart> starts = new LinkedHashMap<>();
        wanted.forEach(m -> starts.put(m.name(), new FirstStart(false, wanted)));
        return new MembershipChange(List.of(), wanted, starts, true);
    }

    /**
     * From the running membership to {@code wanted}.
     *
     * @param at where the spec declares the members, for the refusal
     * @throws InputException {@code ETCD-QUORUM} when the change could lose quorum (see the class note)
     */
    public static MembershipChange between(List<Running> running, List<Member> wanted, SourceSpan at)
            throws InputException {
        if (running.isEmpty()) {
            return fresh(wanted);
        }
        List<Member> current = running.stream().map(Running::member).toList();
        List<Member> kept = current.stream().filter(m -> contains(wanted, m)).toList();
        List<Member> removed =
                current.stream().filter(m -> !contains(wanted, m)).toList();
        if (kept.isEmpty()) {
            throw quorum(
                    at,
                    "the etcd members change completely (" + names(current) + " → " + names(wanted)
                            + "): no running member would carry the data into the new membership",
                    "keep at least one running member in etcd.members and replace the others over several builds;"
                            + " to start a new, empty cluster instead, remove the previous output directory");
        }
        if (removed.size() > 1 && kept.size() * 2 <= current.size()) {
            throw quorum(
                    at,
                    "this build removes " + removed.size() + " of the " + current.size() + " running etcd members ("
                            + names(removed) + "): if they are already down, the members that stay (" + names(kept)
                            + ") are no majority of " + current.size() + " and cannot commit the removal",
                    "remove at most " + Math.max(1, current.size() - (current.size() / 2 + 1))
                            + " per build and follow the printed steps before the next build;"
                            + " if the running membership differs from the last build, give it with --existing-cluster");
        }
        Map<String, FirstStart> starts = new LinkedHashMap<>();
        List<Member> joined = new ArrayList<>(kept);
        for (Member m : wanted) {
            Optional<Running> before =
                    running.stream().filter(r -> r.member().sameAs(m)).findFirst();
            if (before.isPresent()) {
                starts.put(m.name(), before.get().start().orElse(new FirstStart(true, current)));
            } else {
                joined.add(m);
                starts.put(m.name(), new FirstStart(true, joined));
            }
        }
        return new MembershipChange(current, wanted, starts, true);
    }

    /** The members that run before and after, in spec order. */
    public List<Member> kept() {
        return wanted.stream().filter(m -> contains(current, m)).toList();
    }

    /** The running members this change removes, in their order. */
    public List<Member> removed() {
        return current.stream().filter(m -> !contains(wanted, m)).toList();
    }

    /** The members this change adds, in spec order (the order of the steps). */
    public List<Member> added() {
        return current.isEmpty()
                ? List.of()
                : wanted.stream().filter(m -> !contains(current, m)).toList();
    }

    /** Whether members must be added to or removed from a running cluster. */
    public boolean changes() {
        return !removed().isEmpty() || !added().isEmpty();
    }

    /** How {@code member} starts for the first time; empty when etcd is not configured on it. */
    public Optional<FirstStart> start(String member) {
        return resolved ? Optional.ofNullable(starts.get(member)) : Optional.empty();
    }

    /** What the next build should know of this one: the members and how they first start. */
    public List<Running> record() {
        return wanted.stream()
                .map(m -> new Running(m, Optional.ofNullable(starts.get(m.name()))))
                .toList();
    }

    private static boolean contains(List<Member> members, Member m) {
        return members.stream().anyMatch(m::sameAs);
    }

    static String names(List<Member> members) {
        return members.stream().map(Member::name).collect(Collectors.joining(", "));
    }

    private static InputException quorum(SourceSpan at, String message, String hint) {
        return new InputException(Diagnostic.error("ETCD-QUORUM", at, message, hint));
    }
}
