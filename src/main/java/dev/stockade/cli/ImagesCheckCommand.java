package dev.stockade.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.stockade.images.FoundImage;
import dev.stockade.images.ImageChecks;
import dev.stockade.images.ImageScan;
import dev.stockade.images.Pins;
import dev.stockade.io.SecureFiles;
import dev.stockade.registry.RegistryClient;
import dev.stockade.registry.RegistryException;
import dev.stockade.registry.Repository;
import dev.stockade.report.EnvironmentException;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade images check FILE...}: image references that are not pinned by digest. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Find image references that are not pinned by digest.",
            "Reads systemd units, Quadlet files and shell scripts (docker, podman, nerdctl run/create/pull, rkt, Image=), Ignition"
                    + " and cloud-config (the units and the unit and YAML files they write), Kubernetes manifests,"
                    + " compose files and Stockade specs (every 'image:' key). A reference without a tag or with"
                    + " 'latest' is an error, another tag without a digest a warning; findings name file:line:col,"
                    + " inside Ignition and cloud-config too. '-' reads standard input.",
            "--resolve asks each tag's registry (OCI distribution API) for its digest and prints the pinned"
                    + " reference; --write also puts it into the files (the old file kept as NAME.bak-TIME)."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:No findings at or above --fail-on.",
            "1:Findings at or above --fail-on.",
            "2:A file, CA file or auth file cannot be read or is malformed, or a bad option.",
            "3:--resolve: a registry cannot be reached, is not trusted, refuses or lacks a tag (nothing" + " written).",
            "4:Internal error (a bug in Stockade)."
        })
final class ImagesCheckCommand implements Callable<Integer> {

    static final long MAX_BYTES = 16L << 20;

    @Spec
    picocli.CommandLine.Model.CommandSpec command;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to check ('-' for standard input).")
    List<String> files;

    @Mixin
    ReportFormatOption format;

    @Mixin
    FailOnOption failOn;

    @Option(names = "--resolve", description = "Ask the registries for the digest of each tag and print the pins.")
    boolean resolve;

    @Option(
            names = "--write",
            description = "With --resolve: pin the references in the files themselves (tag kept, digest added).")
    boolean write;

    @Mixin
    RegistryOptions registry;

    InputStream stdin = System.in;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() throws InputException, EnvironmentException {
        if (write && !resolve) {
            throw new ParameterException(command.commandLine(), "--write pins what --resolve finds: give both");
        }
        if (write && files.contains("-")) {
            throw new ParameterException(command.commandLine(), "--write cannot pin standard input: name the files");
        }
        InputTexts input = InputTexts.read(files, stdin, "IMG", MAX_BYTES, command.commandLine());
        List<ImageScan.Scan> scans = IntStream.range(0, input.names().size())
                .parallel()
                .mapToObj(
                        i -> ImageScan.scan(input.names().get(i), input.texts().get(i)))
                .toList();
        List<FoundImage> images = new ArrayList<>();
        scans.forEach(s -> images.addAll(s.images()));
        List<Pins.Pin> pins = resolve ? pins(images) : List.of();
        Set<FoundImage> written = new HashSet<>();
        List<String> writes = new ArrayList<>();
        if (write) {
            for (int i = 0; i < scans.size(); i++) {
                String file = scans.get(i).file();
                List<Pins.Pin> here = pins.stream()
                        .filter(p ->
                                p.image().at().file().equals(file) && p.image().rewritable())
                        .toList();
                if (!here.isEmpty()) {
                    writes.add(write(Path.of(file), input.texts().get(i), here));
                    here.forEach(p -> written.add(p.image()));
                }
            }
        }
        List<String> checked = new ArrayList<>();
        List<List<Finding>> perFile = new ArrayList<>();
        for (ImageScan.Scan s : scans) {
            checked.add(s.file() + " (" + s.kind() + ")");
            List<Finding> f = new ArrayList<>(s.problems());
            f.addAll(ImageChecks.check(
                    s.images().stream().filter(i -> !written.contains(i)).toList()));
            perFile.add(f);
        }
        long pinned = images.stream()
                .filter(i -> ImageChecks.pinned(i.reference()) || written.contains(i))
                .count();
        StringBuilder header = new StringBuilder("Checked " + String.join(", ", checked) + ": " + count(images.size())
                + ", " + pinned + " pinned by digest.");
        for (Pins.Pin p : pins) {
            header.append('\n')
                    .append(p.image().at())
                    .append(": ")
                    .append(p.image().reference())
                    .append(" -> ")
                    .append(p.pinned())
                    .append(
                            written.contains(p.image())
                                    ? " (written)"
                                    : write ? " (not written: encoded in the file)" : "");
        }
        writes.forEach(w -> header.append('\n').append(w));
        FileFindingsReport report = new FileFindingsReport(
                "images check",
                checked,
                perFile,
                g -> {
                    JsonOutput.strings(g, "files", checked);
                    images(g, images, written);
                    pins(g, pins, written);
                },
                header.toString(),
                "No findings.");
        report.print(command.commandLine().getOut(), format.format, failOn.threshold());
        return failOn.exitCode(report.findings());
    }

    /**
     * The registry's digest for every reference that can be pinned; any failure stops the run
     * before anything is written (exit 3), naming every reference that could not be resolved.
     */
    private List<Pins.Pin> pins(List<FoundImage> images) throws InputException, EnvironmentException {
        RegistryClient client = registry.client();
        Pins.Resolved r = Pins.resolve(images, ref -> {
            try {
                Repository repo = Repository.normalize(ref.registry().orElse(null), ref.repository());
                return client.resolve(repo, ref.effectiveTag()).digest().toString();
            } catch (RegistryException e) {
                throw new Pins.Unresolved(e.getMessage(), e.code(), e.hint());
            } catch (IllegalArgumentException e) {
                throw new Pins.Unresolved(e.getMessage(), "", "");
            }
        });
        if (!r.failures().isEmpty()) {
            throw new EnvironmentException(
                    (r.failures().size() == 1
                                    ? ""
                                    : r.failures().size() + " references could not be pinned; nothing written:\n")
                            + String.join("\n", r.failures()),
                    r.hint(),
                    null);
        }
        return r.pins();
    }

    private String write(Path file, String text, List<Pins.Pin> pins) throws EnvironmentException {
        try {
            int mode = SecureFiles.modeOf(file);
            Path backup =
                    SecureFiles.write(file, Pins.apply(text, pins).getBytes(StandardCharsets.UTF_8), mode, true, clock);
            return "Wrote " + file + " (" + pins.size() + (pins.size() == 1 ? " reference" : " references")
                    + " pinned; the old file is " + backup + ").";
        } catch (IOException e) {
            throw new EnvironmentException(
                    "cannot write " + file + ": " + dev.stockade.io.IoErrors.describe(e),
                    "the file is unchanged; check its directory's permissions",
                    e);
        }
    }

    private static String count(int n) {
        return n + (n == 1 ? " image reference" : " image references");
    }

    private static void images(JsonGenerator g, List<FoundImage> images, Set<FoundImage> written) throws IOException {
        g.writeArrayFieldStart("images");
        for (FoundImage i : images) {
            g.writeStartObject();
            g.writeStringField("reference", i.reference());
            g.writeBooleanField("pinned", ImageChecks.pinned(i.reference()) || written.contains(i));
            g.writeStringField("where", i.where());
            JsonOutput.location(g, Optional.of(i.at()));
            g.writeBooleanField("exact", i.rewritable());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** {@code "pins": [{"reference", "pinned", "location", "written"}]} (empty without --resolve). */
    private static void pins(JsonGenerator g, List<Pins.Pin> pins, Set<FoundImage> written) throws IOException {
        g.writeArrayFieldStart("pins");
        for (Pins.Pin p : pins) {
            g.writeStartObject();
            g.writeStringField("reference", p.image().reference());
            g.writeStringField("pinned", p.pinned());
            JsonOutput.location(g, Optional.of(p.image().at()));
            g.writeBooleanField("written", written.contains(p.image()));
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
