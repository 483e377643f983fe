package dev.stockade.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.stockade.etcd.Member;
import dev.stockade.etcd.MembershipChange;
import dev.stockade.report.InputException;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BuildStateTest {

    static final List<Member> MEMBERS = List.of(
            new Member("a", "https://10.250.0.1:2380", Optional.of("https://10.250.0.1:2379")),
            new Member("b", "https://10.250.0.2:2380", Optional.empty()));

    @Test
    void roundTrip_keepsNodesMembersAndFirstStarts() throws Exception {
        MembershipChange grown = MembershipChange.between(
                MembershipChange.fresh(MEMBERS.subList(0, 1)).record(),
                MEMBERS,
                new dev.stockade.report.SourceSpan("s", 1, 1));
        BuildState s = new BuildState("c", List.of("a", "b", "x"), grown.record());
        BuildState back = BuildState.parse("build-state.json", s.toJson());
        assertEquals(s, back);
        assertEquals("existing", back.etcdMembers().get(1).start().orElseThrow().state());
    }

    @Test
    void memberWithoutStart_roundTripsAsNull() throws Exception {
        BuildState s =
                new BuildState("c", List.of(), List.of(new MembershipChange.Running(MEMBERS.get(1), Optional.empty())));
        assertEquals(s, BuildState.parse("f", s.toJson()));
    }

    @ParameterizedTest(name = "{2}")
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"cluster\": \"c\", \"nodes\": []}|1:1|missing \"etcdMembers\"",
                "{\"cluster\": \"c\", \"nodes\": {}, \"etcdMembers\": []}|1:27|expected a list, not an object",
                "{\"cluster\": \"c\", \"nodes\": [], \"etcdMembers\": [{\"name\": \"a\", \"peerUrl\": \"10.0.0.1\"}]}"
                        + "|1:72|'a=10.0.0.1' is not NAME=https://ADDRESS:PORT (as etcdctl member list shows a member's peer URL)",
                "{\"cluster\": \"c\", \"nodes\": [], \"etcdMembers\": [{\"name\": \"a\", \"peerUrl\": \"https://h:1\","
                        + " \"clientUrl\": null, \"initialClusterState\": \"old\", \"initialCluster\": \"a=https://h:1\"}]}"
                        + "|1:129|initialClusterState must be \"new\" or \"existing\""
            })
    void badFile_locatedWithTheBuildStateCode(String text, String at, String message) {
        InputException e = assertThrows(InputException.class, () -> BuildState.parse("bs.json", text));
        assertEquals("BUILD-STATE", e.diagnostics().get(0).code());
        assertEquals("bs.json:" + at, e.diagnostics().get(0).span().toString());
        assertEquals(message, e.diagnostics().get(0).message());
        assertEquals(
                "build-state.json is written by 'stockade build'; fix it, or give the running etcd members with"
                        + " --existing-cluster",
                e.diagnostics().get(0).hint());
    }
}
