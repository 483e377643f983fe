package dev.stockade.iptables;

import java.util.Optional;

/** A chain: builtin chains have a policy (ACCEPT/DROP), user chains do not. */
public record Chain(String name, Optional<String> policy, Optional<Counters> counters) {

    public static Chain builtin(String name, String policy) {
        return new Chain(name, Optional.of(policy), Optional.of(new Counters(0, 0)));
    }

    public static Chain user(String name) {
        return new Chain(name, Optional.empty(), Optional.empty());
    }

    public boolean isBuiltin() {
        return policy.isPresent();
    }

    public String toSaveLine() {
        return ":" + name + " " + policy.orElse("-")
                + counters.map(c -> " " + c).orElse("");
    }
}
