package dev.stockade.pki;

import dev.stockade.report.InputException;

/**
 * Where the CA key's passphrase comes from, asked for only when it is needed: a command that only
 * checks certificates never reads it, and one that signs asks for it then (from the options, or
 * interactively on a terminal), so an encrypted CA key can stay offline between signings.
 */
public interface CaPassphrase {

    /** The passphrase the user configured (file, environment), or null: what a new CA key is encrypted with. */
    char[] given() throws InputException;

    /** For decrypting an encrypted key: the configured one, else one asked for, else null. */
    default char[] forDecrypting(String keyFile) throws InputException {
        return given();
    }

    static CaPassphrase of(char[] passphrase) {
        return () -> passphrase;
    }
}
