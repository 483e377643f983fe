package dev.stockade.nftables;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.report.Problems;
import java.util.List;
import org.junit.jupiter.api.Test;

class NftTokenizerTest {

    @Test
    void tokens_wordsStringsPunctuation_locatedAndCommentsDropped() {
        Problems problems = new Problems("t.nft");
        List<NftTokenizer.Token> tokens = NftTokenizer.tokens(
                "#!/usr/sbin/nft -f\n\tiifname != \"eth*\" ip saddr 10.0.0.0/8 tcp dport 1-9 accept # handle 4\n",
                problems);
        assertEquals(
                List.of(
                        "\n",
                        "iifname",
                        "!=",
                        "\"eth*\"",
                        "ip",
                        "saddr",
                        "10.0.0.0/8",
                        "tcp",
                        "dport",
                        "1-9",
                        "accept",
                        "\n"),
                tokens.stream().map(NftTokenizer.Token::source).toList());
        assertEquals(2, tokens.get(3).line());
        assertEquals(13, tokens.get(3).column());
        assertEquals(List.of(), problems.all());
    }

    @Test
    void tokens_strayCharacter_isAnErrorAndSkipped() {
        Problems problems = new Problems("t.nft");
        List<NftTokenizer.Token> tokens = NftTokenizer.tokens("accept ~ drop", problems);
        assertEquals(
                List.of("accept", "drop"),
                tokens.stream().map(NftTokenizer.Token::text).toList());
        assertEquals(
                "t.nft:1:8: error: unexpected character '~' [NFT-SYNTAX]",
                problems.all().get(0).toString());
    }
}
