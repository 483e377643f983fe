package dev.stockade.nftables;

import dev.stockade.report.InputException;

/** Reads an nftables ruleset in either of nft's forms, told apart by content: JSON ({@code nft -j}) or text. */
public final class NftRulesetReader {

    private NftRulesetReader() {}

    /** Whether the text is an nftables ruleset ({@code nft -j} JSON or nft's text syntax) rather than iptables-save. */
    public static boolean looksLikeNftables(String text) {
        return NftJsonParser.looksLikeNftJson(text) || NftTextParser.looksLikeNftText(text);
    }

    /**
     * @throws InputException with every error found, each located
     */
    public static ParsedNftRuleset parse(String file, String text) throws InputException {
        return NftJsonParser.looksLikeNftJson(text) ? NftJsonParser.parse(file, text) : NftTextParser.parse(file, text);
    }
}
