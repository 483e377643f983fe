package dev.stockade.analysis;

/** What a builtin chain does with a packet; UNDETERMINED when unmodelled conditions or unknown fields leave more than one. */
public enum Verdict {
    ACCEPT,
    DROP,
    REJECT,
    UNDETERMINED
}
