package dev.stockade.pki;

import java.security.Provider;

/**
 * The BouncyCastle provider, created on first use and never registered globally: only PKCS#8
 * encryption needs it (the JDK lacks AES/CBC/PKCS7Padding by that name); everything else uses
 * the JDK's providers. Creating it costs tens of milliseconds, so commands that do not encrypt never pay.
 */
final class Providers {

    private Providers() {}

    private static final class Holder {
        static final Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();
    }

    static Provider bouncyCastle() {
        return Holder.BC;
    }
}
