package dev.stockade.cli;

import dev.stockade.report.InputException;
import dev.stockade.spec.ClusterSpec;
import dev.stockade.spec.LoadedSpec;
import dev.stockade.spec.SpecLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --spec} and {@code --dir}, shared by the pki commands: the PKI defaults to pki/<cluster>. */
final class PkiDirOptions {

    @Option(names = "--spec", paramLabel = "SPEC", description = "The cluster spec (YAML).")
    Path specFile;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "The PKI directory (default with --spec: pki/<cluster>).")
    Path dir;

    private LoadedSpec loaded;

    ClusterSpec spec() throws InputException {
        if (loaded == null) {
            loaded = SpecLoader.load(specFile);
        }
        return loaded.spec();
    }

    /** The spec's warnings (loading it first). */
    java.util.List<dev.stockade.report.Diagnostic> warnings() throws InputException {
        spec();
        return loaded.warnings();
    }

    Path dir() throws InputException {
        if (dir != null) {
            return dir;
        }
        return Path.of("pki", spec().cluster());
    }
}
