package dev.stockade.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RegistryErrorTest {

    @Test
    void parse_errorsArray() {
        List<RegistryError> e = RegistryError.parse("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\",\"message\":\"manifest"
                + " unknown\",\"detail\":{\"Tag\":\"2.0\"}},{\"code\":\"DENIED\"},{\"message\":\"m\\nx\"},3]}");
        assertEquals(
                List.of(
                        new RegistryError("MANIFEST_UNKNOWN", "manifest unknown"),
                        new RegistryError("DENIED", ""),
                        new RegistryError("", "m\\u000ax")),
                e);
        assertEquals("MANIFEST_UNKNOWN: manifest unknown", e.get(0).toString());
        assertEquals("DENIED", e.get(1).toString());
        assertEquals("m\\u000ax", e.get(2).toString());
    }

    @Test
    void parse_notAnErrorDocument_empty() {
        assertEquals(List.of(), RegistryError.parse(null));
        assertEquals(List.of(), RegistryError.parse(" "));
        assertEquals(List.of(), RegistryError.parse("<html>502 Bad Gateway</html>"));
        assertEquals(List.of(), RegistryError.parse("[]"));
        assertEquals(List.of(), RegistryError.parse("{\"errors\": {}}"));
    }
}
