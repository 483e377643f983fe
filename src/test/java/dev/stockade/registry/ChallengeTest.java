package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ChallengeTest {

    @Test
    void parse_bearer_realmServiceAndScopeWithCommas() {
        List<Challenge> cs =
                Challenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:samalba/my-app:pull,push\"");
        assertEquals(1, cs.size());
        Challenge c = cs.get(0);
        assertEquals("bearer", c.scheme());
        assertEquals(Optional.of("https://auth.docker.io/token"), c.param("realm"));
        assertEquals(Optional.of("registry.docker.io"), c.param("service"));
        assertEquals(Optional.of("repository:samalba/my-app:pull,push"), c.param("scope"));
        assertEquals(Optional.empty(), c.param("error"));
    }

    @Test
    void parse_basic_caseInsensitiveNamesTokensAndSpaces() {
        assertEquals(
                List.of(new Challenge("basic", Map.of("realm", "Registry Realm", "charset", "UTF-8"))),
                Challenge.parse("BASIC  Realm = \"Registry Realm\" , charset=UTF-8"));
    }

    @Test
    void parse_severalChallenges_inOneHeaderAndAcrossHeaders() {
        List<Challenge> cs = Challenge.parse(List.of(
                "Newauth realm=\"apps\", type=1, title=\"Login to \\\"apps\\\"\", Basic realm=\"simple\"",
                "Bearer realm=\"https://a/t\""));
        assertEquals(3, cs.size());
        assertEquals(
                new Challenge("newauth", Map.of("realm", "apps", "type", "1", "title", "Login to \"apps\"")),
                cs.get(0));
        assertEquals(new Challenge("basic", Map.of("realm", "simple")), cs.get(1));
        assertEquals(new Challenge("bearer", Map.of("realm", "https://a/t")), cs.get(2));
    }

    @Test
    void parse_token68AndBareSchemes_skipped() {
        List<Challenge> cs = Challenge.parse("Negotiate abc==, NTLM, Basic realm=x");
        assertEquals(
                List.of("negotiate", "ntlm", "basic"),
                cs.stream().map(Challenge::scheme).toList());
        assertEquals(Map.of(), cs.get(0).params());
        assertEquals(Map.of("realm", "x"), cs.get(2).params());
        assertEquals(List.of(new Challenge("negotiate", Map.of())), Challenge.parse("Negotiate abc"));
    }

    @Test
    void parse_malformed_keepsWhatItRead() {
        assertEquals(List.of(), Challenge.parse(""));
        assertEquals(List.of(), Challenge.parse(" , "));
        assertEquals(
                List.of(new Challenge("bearer", Map.of("realm", "https://x/token"))),
                Challenge.parse("Bearer realm=\"https://x/token"));
        assertEquals(
                List.of(new Challenge("bearer", Map.of("realm", "a"))), Challenge.parse("Bearer realm=a, realm=b"));
    }
}
