package dev.stockade.cli;

import dev.stockade.pki.Crl;
import dev.stockade.pki.PkiStore;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.cert.X509CRL;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Spec;

/** {@code stockade pki crl}: sign the CRL again, e.g. before its next update. */
@Command(
        name = "crl",
        mixinStandardHelpOptions = true,
        description = {
            "Sign the CRL again from revoked.json.",
            "Writes crl.pem and crl.der with a new CRL number, valid for --crl-days. Run it before the"
                    + " CRL's next update (pki verify warns with PKI-CRL-STALE) and copy it to the nodes."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:Signed.",
            "2:Bad input: no CA, a bad revoked.json or passphrase.",
            "3:The PKI directory cannot be written.",
            "4:Internal error (a bug in Stockade)."
        })
final class PkiCrlCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Mixin
    CrlOptions crl;

    @Mixin
    PkiDirOptions where;

    @Mixin
    PassphraseOptions passphrase;

    @Mixin
    FormatOption format;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InputException, EnvironmentException {
        PkiStore store = crl.store(command.commandLine(), where, clock);
        X509CRL signed;
        try {
            signed = Crl.refresh(store, clock.instant(), crl.validity(where), passphrase.source());
        } catch (IOException e) {
            throw CrlOptions.cannotWrite(store, e);
        }
        PrintWriter out = command.commandLine().getOut();
        if (format.json()) {
            JsonOutput.crl(out, store, signed);
        } else {
            CrlOptions.printCrl(out, store, signed);
        }
        return ExitCodes.OK;
    }
}
