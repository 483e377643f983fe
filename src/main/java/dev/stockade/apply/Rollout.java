package dev.stockade.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The order nodes are changed in: the first (the canary) alone, then up to {@code parallel} at a
 * time, never two etcd members in one batch (a member whose change fails must not take quorum
 * with it). The first batch with a node that did not end well stops the rollout: the nodes after
 * it are {@link NodeApply.Outcome#UNTOUCHED}.
 */
public final class Rollout {

    private Rollout() {}

    /** The batches, in order. */
    public static List<List<NodeApply.Planned>> batches(List<NodeApply.Planned> nodes, int parallel) {
        List<List<NodeApply.Planned>> out = new ArrayList<>();
        List<NodeApply.Planned> pending = new ArrayList<>(nodes);
        if (!pending.isEmpty()) {
            out.add(List.of(pending.remove(0)));
        }
        while (!pending.isEmpty()) {
            List<NodeApply.Planned> batch = new ArrayList<>();
            boolean member = false;
            for (var it = pending.iterator(); it.hasNext() && batch.size() < parallel; ) {
                NodeApply.Planned n = it.next();
                boolean isMember = n.member();
                if (isMember && member) {
                    continue;
                }
                member |= isMember;
                batch.add(n);
                it.remove();
            }
            out.add(batch);
        }
        return out;
    }

    /** Runs {@code change} over the batches; results in the order of {@code nodes}. */
    public static List<NodeApply.Result> run(
            List<NodeApply.Planned> nodes, int parallel, Function<NodeApply.Planned, NodeApply.Result> change) {
        List<NodeApply.Result> done = new ArrayList<>();
        boolean stopped = false;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallel));
        try {
            for (List<NodeApply.Planned> batch : batches(nodes, parallel)) {
                if (stopped) {
                    for (NodeApply.Planned n : batch) {
                        done.add(new NodeApply.Result(
                                n.node(),
                                n.target().host(),
                                NodeApply.Outcome.UNTOUCHED,
                                List.of(),
                                "not changed: the rollout stopped at an earlier node",
                                ""));
                    }
                    continue;
                }
                List<Future<NodeApply.Result>> futures = new ArrayList<>();
                for (NodeApply.Planned n : batch) {
                    futures.add(pool.submit(() -> change.apply(n)));
                }
                for (Future<NodeApply.Result> f : futures) {
                    NodeApply.Result r = get(f);
                    done.add(r);
                    stopped |= !r.ok();
                }
            }
        } finally {
            pool.shutdownNow();
        }
        List<NodeApply.Result> ordered = new ArrayList<>();
        for (NodeApply.Planned n : nodes) {
            done.stream().filter(r -> r.node().equals(n.node())).findFirst().ifPresent(ordered::add);
        }
        return ordered;
    }

    private static NodeApply.Result get(Future<NodeApply.Result> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // a bug, reported as the internal error it is
            }
            throw new IllegalStateException("a node's change failed: " + e.getCause(), e.getCause());
        }
    }
}
