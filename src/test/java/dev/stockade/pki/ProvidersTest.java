package dev.stockade.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.security.Security;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

class ProvidersTest {

    @Test
    void bouncyCastle_oneInstance_notRegisteredGlobally() throws Exception {
        assertSame(Providers.bouncyCastle(), Providers.bouncyCastle());
        assertEquals("BC", Providers.bouncyCastle().getName());
        assertEquals(null, Security.getProvider("BC"), "no global registration");
        assertNotNull(Cipher.getInstance("AES/CBC/PKCS7Padding", Providers.bouncyCastle()));
    }
}
