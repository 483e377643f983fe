package dev.stockade.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MembershipChangeTest {

    static final SourceSpan AT = new SourceSpan("c.yaml", 7, 7);

    static Member m(int i) {
        return new Member("n" + i, "https://10.250.0." + i + ":2380", Optional.of("https://10.250.0." + i + ":2379"));
    }

    static List<Member> ms(int... i) {
        return IntStream.of(i).mapToObj(MembershipChangeTest::m).toList();
    }

    /** The members as a previous build recorded them: founding members of a new cluster. */
    static List<MembershipChange.Running> founded(int... i) {
        return MembershipChange.fresh(ms(i)).record();
    }

    static String names(List<Member> members) {
        return String.join(" ", members.stream().map(Member::name).toList());
    }

    @Test
    void fresh_everyMemberNewWithAll() {
        MembershipChange c = MembershipChange.fresh(ms(1, 2, 3));
        assertFalse(c.changes());
        assertEquals(List.of(), c.added(), "founding members are not 'added' to a running cluster");
        FirstStart s = c.start("n2").orElseThrow();
        assertEquals("new", s.state());
        assertEquals(
                "n1=https://10.250.0.1:2380,n2=https://10.250.0.2:2380,n3=https://10.250.0.3:2380",
                s.initialClusterText());
    }

    @Test
    void grow3To5_newMembersJoinExistingWithTheMembershipAtTheirJoin() throws Exception {
        MembershipChange c = MembershipChange.between(founded(1, 2, 3), ms(1, 2, 3, 4, 5), AT);
        assertTrue(c.changes());
        assertEquals("n4 n5", names(c.added()));
        assertEquals("", names(c.removed()));
        assertEquals("n1 n2 n3", names(c.kept()));
        assertEquals("existing", c.start("n4").orElseThrow().state());
        assertEquals("n1 n2 n3 n4", names(c.start("n4").orElseThrow().initialCluster()));
        assertEquals("n1 n2 n3 n4 n5", names(c.start("n5").orElseThrow().initialCluster()));
        // the founders keep the first start they were built with
        assertEquals("new", c.start("n1").orElseThrow().state());
        assertEquals("n1 n2 n3", names(c.start("n1").orElseThrow().initialCluster()));
    }

    @Test
    void replaceOne_removedFirstSoTheJoinerDoesNotListIt() throws Exception {
        MembershipChange c = MembershipChange.between(founded(1, 2, 3), ms(1, 2, 4), AT);
        assertEquals("n3", names(c.removed()));
        assertEquals("n1 n2 n4", names(c.start("n4").orElseThrow().initialCluster()));
    }

    @Test
    void shrink5To3_allowedWhileTheStayingAreAMajority() throws Exception {
        MembershipChange grown = MembershipChange.between(founded(1, 2, 3), ms(1, 2, 3, 4, 5), AT);
        MembershipChange c = MembershipChange.between(grown.record(), ms(3, 4, 5), AT);
        assertEquals("n1 n2", names(c.removed()));
        assertEquals("", names(c.added()));
        // the members that stay keep their first starts, whichever they were
        assertEquals("existing", c.start("n4").orElseThrow().state());
        assertEquals("new", c.start("n3").orElseThrow().state());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        // running, wanted: refused because the staying members are no majority, or none stay
        "1 2 3, 1 4 5",
        "1 2 3 4 5, 1 2 6 7 8",
        "1 2 3 4, 1 2",
        "1, 2",
        "1 2 3, 4 5 6"
    })
    void quorumAtRisk_refusedLocated(String running, String wanted) {
        InputException e = assertThrows(
                InputException.class, () -> MembershipChange.between(founded(ints(running)), ms(ints(wanted)), AT));
        assertEquals("ETCD-QUORUM", e.diagnostics().get(0).code());
        assertEquals(AT, e.diagnostics().get(0).span());
        assertTrue(
                e.diagnostics().get(0).hint().contains("--existing-cluster")
                        || e.diagnostics().get(0).hint().contains("remove the previous output"),
                e.diagnostics().get(0).hint());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"1 2, 1", "1 2 3, 1 2", "1 2 3 4 5, 1 2 3", "1 2 3, 1 2 3 4 5 6 7", "1 2 3, 1 2 4"})
    void oneAtATimeOrAMajorityStaying_allowed(String running, String wanted) throws Exception {
        assertTrue(MembershipChange.between(founded(ints(running)), ms(ints(wanted)), AT)
                .changes());
    }

    @Test
    void quorumMessage_namesWhatLeavesAndWhatStays() {
        InputException e =
                assertThrows(InputException.class, () -> MembershipChange.between(founded(1, 2, 3), ms(1, 4, 5), AT));
        assertEquals(
                "this build removes 2 of the 3 running etcd members (n2, n3): if they are already down, the members"
                        + " that stay (n1) are no majority of 3 and cannot commit the removal",
                e.diagnostics().get(0).message());
        assertTrue(
                e.diagnostics().get(0).hint().startsWith("remove at most 1 per build"),
                e.diagnostics().get(0).hint());
    }

    @Test
    void movedMember_isRemovedAndAddedAgain() throws Exception {
        Member moved = new Member("n3", "https://10.250.0.33:2380", Optional.of("https://10.250.0.33:2379"));
        MembershipChange c = MembershipChange.between(founded(1, 2, 3), List.of(m(1), m(2), moved), AT);
        assertEquals("n3", names(c.removed()));
        assertEquals("n3", names(c.added()));
        assertEquals("https://10.250.0.33:2380", c.added().get(0).peerUrl());
    }

    @Test
    void runningWithoutRecordedStarts_keptMembersGetExistingWithTheCurrentMembership() throws Exception {
        List<MembershipChange.Running> running =
                Member.parseList("n1=https://10.250.0.1:2380,n2=https://10.250.0.2:2380,n3=https://10.250.0.3:2380")
                        .stream()
                        .map(x -> new MembershipChange.Running(x, Optional.empty()))
                        .toList();
        MembershipChange c = MembershipChange.between(running, ms(1, 2, 3), AT);
        assertFalse(c.changes(), "members named with --existing-cluster match the spec's by name and peer URL");
        assertEquals("existing", c.start("n1").orElseThrow().state());
        assertEquals("n1 n2 n3", names(c.start("n1").orElseThrow().initialCluster()));
        assertEquals(
                "https://10.250.0.1:2379",
                c.kept().get(0).clientUrl().orElseThrow(),
                "the spec's side, with client URL");
    }

    @Test
    void unresolved_carriesTheRunningMembersOverAndConfiguresNone() {
        List<MembershipChange.Running> before = founded(1, 2, 3);
        MembershipChange c = MembershipChange.unresolved(before);
        assertEquals(before, c.record());
        assertFalse(c.changes());
        assertEquals(Optional.empty(), c.start("n1"));
    }

    @Test
    void parseList_errorsSayWhichEntryAndWhatIsExpected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Member.parseList("a=https://10.0.0.1:2380,b=10.0.0.2:2380"));
        assertEquals(
                "'b=10.0.0.2:2380' is not NAME=https://ADDRESS:PORT (as etcdctl member list shows a member's peer URL)",
                e.getMessage());
        assertEquals(
                "member 'a' is named twice",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Member.parseList("a=https://10.0.0.1:2380,a=https://10.0.0.2:2380"))
                        .getMessage());
        assertEquals(
                List.of("x", "y"),
                Member.parseList("x=https://[2001:db8::1]:2380, y=http://h:1").stream()
                        .map(Member::name)
                        .toList());
    }

    static int[] ints(String s) {
        return java.util.Arrays.stream(s.trim().split(" "))
                .mapToInt(Integer::parseInt)
                .toArray();
    }
}
