package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegistryFailuresTest {

    @Test
    void tokenIn_tokenThenAccessToken() {
        assertEquals(Optional.of("a"), RegistryFailures.tokenIn("{\"token\": \"a\", \"access_token\": \"b\"}"));
        assertEquals(Optional.of("b"), RegistryFailures.tokenIn("{\"token\": \"\", \"access_token\": \"b\"}"));
        assertEquals(Optional.of("b"), RegistryFailures.tokenIn("{\"access_token\": \" b \"}"));
    }

    @Test
    void tokenIn_noUsableToken_empty() {
        assertEquals(Optional.empty(), RegistryFailures.tokenIn("{}"));
        assertEquals(Optional.empty(), RegistryFailures.tokenIn("{\"token\": 5}"));
        assertEquals(Optional.empty(), RegistryFailures.tokenIn("{\"token\": \"a\\nb\"}"), "would break the header");
        assertEquals(Optional.empty(), RegistryFailures.tokenIn("[\"token\"]"));
        assertEquals(Optional.empty(), RegistryFailures.tokenIn("token=abc"));
    }
}
