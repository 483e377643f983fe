package dev.stockade.build;

import dev.stockade.etcd.FirstStart;
import dev.stockade.etcd.Member;
import dev.stockade.etcd.MembershipChange;
import dev.stockade.json.Json;
import dev.stockade.json.JsonRead;
import dev.stockade.json.JsonReader;
import dev.stockade.json.JsonValue;
import dev.stockade.report.InputException;
import dev.stockade.report.SourceSpan;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a build leaves for the next one, in {@code <out>/<cluster>/build-state.json}: the nodes it
 * built and the etcd members it configured, each with its first start. The next build compares the
 * spec with it to find new and departed etcd members and nodes that left the spec.
 *
 * <pre>{"cluster": "demo", "nodes": ["core-1", "core-2"], "etcdMembers": [{"name": "core-1",
 *   "peerUrl": "https://10.0.0.1:2380", "clientUrl": "https://10.0.0.1:2379",
 *   "initialClusterState": "new", "initialCluster": "core-1=https://10.0.0.1:2380,..."}]}</pre>
 */
public record BuildState(String cluster, List<String> nodes, List<MembershipChange.Running> etcdMembers) {

    public static final String FILE = "build-state.json";

    public static final BuildState NONE = new BuildState("", List.of(), List.of());

    public BuildState {
        nodes = List.copyOf(nodes);
        etcdMembers = List.copyOf(etcdMembers);
    }

    public String toJson() {
        return Json.object(g -> {
            g.writeStringField("cluster", cluster);
            g.writeArrayFieldStart("nodes");
            for (String n : nodes) {
                g.writeString(n);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("etcdMembers");
            for (MembershipChange.Running r : etcdMembers) {
                g.writeStartObject();
                g.writeStringField("name", r.member().name());
                g.writeStringField("peerUrl", r.member().peerUrl());
                if (r.member().clientUrl().isPresent()) {
                    g.writeStringField("clientUrl", r.member().clientUrl().get());
                } else {
                    g.writeNullField("clientUrl");
                }
                if (r.start().isPresent()) {
                    g.writeStringField("initialClusterState", r.start().get().state());
                    g.writeStringField("initialCluster", r.start().get().initialClusterText());
                } else {
                    g.writeNullField("initialClusterState");
                    g.writeNullField("initialCluster");
                }
                g.writeEndObject();
            }
            g.writeEndArray();
        });
    }

    /** Reads {@code build-state.json}; every problem names its line and column. */
    public static BuildState parse(String file, String text) throws InputException {
        JsonValue root = JsonReader.read(file, text);
        JsonValue.JsonObject top = READ.object(root);
        String cluster = READ.string(READ.member(top, "cluster", root.span()));
        List<String> nodes = new ArrayList<>();
        for (JsonValue n : READ.array(READ.member(top, "nodes", root.span()))) {
            nodes.add(READ.string(n));
        }
        List<MembershipChange.Running> members = new ArrayList<>();
        for (JsonValue item : READ.array(READ.member(top, "etcdMembers", root.span()))) {
            JsonValue.JsonObject o = READ.object(item);
            JsonValue peer = READ.member(o, "peerUrl", item.span());
            String name = READ.string(READ.member(o, "name", item.span()));
            Member m = members(peer.span(), name + "=" + READ.string(peer)).get(0);
            Optional<String> client = READ.nullableString(READ.member(o, "clientUrl", item.span()));
            JsonValue stateValue = READ.member(o, "initialClusterState", item.span());
            Optional<String> state = READ.nullableString(stateValue);
            JsonValue initialValue = READ.member(o, "initialCluster", item.span());
            Optional<String> initial = READ.nullableString(initialValue);
            Optional<FirstStart> start = Optional.empty();
            if (state.isPresent() && initial.isPresent()) {
                if (!state.get().equals("new") && !state.get().equals("existing")) {
                    throw bad(stateValue.span(), "initialClusterState must be \"new\" or \"existing\"");
                }
                start = Optional.of(
                        new FirstStart(state.get().equals("existing"), members(initialValue.span(), initial.get())));
            }
            members.add(new MembershipChange.Running(new Member(m.name(), m.peerUrl(), client), start));
        }
        return new BuildState(cluster, nodes, members);
    }

    private static List<Member> members(SourceSpan at, String text) throws InputException {
        try {
            return Member.parseList(text);
        } catch (IllegalArgumentException e) {
            throw bad(at, e.getMessage());
        }
    }

    private static InputException bad(SourceSpan span, String message) {
        return READ.error(span, message);
    }

    private static final JsonRead READ = new JsonRead(
            "BUILD-STATE",
            FILE + " is written by 'stockade build'; fix it, or give the running etcd members with --existing-cluster");
}
