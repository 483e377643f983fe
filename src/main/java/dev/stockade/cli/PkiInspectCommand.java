package dev.stockade.cli;

import dev.stockade.io.TextFiles;
import dev.stockade.pki.Inspection;
import dev.stockade.report.InputException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade pki inspect FILE...}: what is in certificates, keys and CSRs. */
@Command(
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Show what PEM files hold.",
            "Certificates are shown with subject, SANs, usages and validity, requests with subject and key,"
                    + " private keys by type only."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:The contents were printed.",
            "2:A file is missing or not readable PEM (file:line:col on stderr).",
            "4:Internal error (a bug in Stockade)."
        })
final class PkiInspectCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(
            arity = "1..*",
            paramLabel = "FILE",
            description = "A PEM file: certificates, a certificate request or a private key.")
    List<Path> files;

    @Mixin
    FormatOption format;

    @Override
    public Integer call() throws InputException {
        PrintWriter out = command.commandLine().getOut();
        List<JsonOutput.PerFile<Inspection.Item>> all = new ArrayList<>();
        Diagnostics.forEach(files, PkiInspectCommand::inspect).forEach(all::addAll);
        if (format.json()) {
            JsonOutput.inspection(out, all);
        } else {
            all.forEach(i -> text(out, i.file(), i.value()));
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static List<JsonOutput.PerFile<Inspection.Item>> inspect(Path f) throws InputException {
        List<JsonOutput.PerFile<Inspection.Item>> items = new ArrayList<>();
        for (Inspection.Item item : Inspection.inspect(f.toString(), TextFiles.read(f, "PKI", 1 << 20))) {
            items.add(new JsonOutput.PerFile<>(f, item));
        }
        return items;
    }

    private static void text(PrintWriter out, Path file, Inspection.Item item) {
        out.println(file + ": " + item.type());
        if (item instanceof Inspection.CertificateInfo) {
            Inspection.CertificateInfo c = (Inspection.CertificateInfo) item;
            field(out, "subject", c.subject());
            field(out, "issuer", c.issuer());
            field(out, "serial", c.serial());
            field(out, "not before", c.notBefore().toString());
            field(out, "not after", c.notAfter().toString());
            field(out, "key", c.key());
            field(out, "signature", c.signature());
            field(out, "ca", String.valueOf(c.ca()));
            field(out, "dns names", String.join(", ", c.dnsNames()));
            field(out, "ip addresses", String.join(", ", c.ipAddresses()));
            field(out, "key usage", String.join(", ", c.keyUsage()));
            field(out, "extended key usage", String.join(", ", c.extendedKeyUsage()));
            field(out, "sha256", c.sha256());
        } else if (item instanceof Inspection.RequestInfo) {
            Inspection.RequestInfo r = (Inspection.RequestInfo) item;
            field(out, "subject", r.subject());
            field(out, "key", r.key());
        } else if (item instanceof Inspection.KeyInfo) {
            Inspection.KeyInfo k = (Inspection.KeyInfo) item;
            field(out, "encrypted", String.valueOf(k.encrypted()));
            k.algorithm().ifPresent(a -> field(out, "algorithm", a));
            k.format().ifPresent(f -> field(out, "format", f));
        }
    }

    private static void field(PrintWriter out, String label, String value) {
        out.printf("  %-19s %s%n", label, value.isEmpty() ? "-" : value);
    }
}
