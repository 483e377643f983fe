package dev.stockade.iptables;

import java.util.Optional;

/** A chain declaration: builtin chains have a policy, user chains do not. */
public record Chain(String name, Optional<String> policy) {

    public static Chain builtin(String name, String policy) {
        return new Chain(name, Optional.of(policy));
    }

    public String toSaveLine() {
        return ":" + name + " " + policy.orElse("-") + " [0:0]";
    }
}
