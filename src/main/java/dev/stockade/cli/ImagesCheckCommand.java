package dev.stockade.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.stockade.images.FoundImage;
import dev.stockade.images.ImageChecks;
import dev.stockade.images.ImageScan;
import dev.stockade.report.Finding;
import dev.stockade.report.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code stockade images check FILE...}: image references that are not pinned by digest. */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Find image references that are not pinned by digest.",
            "Reads systemd units and Quadlet files (docker, podman, nerdctl run/create/pull, rkt, Image=), Ignition"
                    + " and cloud-config (the units and the unit and YAML files they write), Kubernetes manifests,"
                    + " compose files and Stockade specs (every 'image:' key). A reference without a tag or with"
                    + " 'latest' is an error, another tag without a digest a warning; findings name file:line:col,"
                    + " inside Ignition and cloud-config too. '-' reads standard input."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:No findings at or above --fail-on.",
            "1:Findings at or above --fail-on.",
            "2:A file cannot be read or is not UTF-8 text, or a bad option.",
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

    InputStream stdin = System.in;

    @Override
    public Integer call() throws InputException {
        InputTexts input = InputTexts.read(files, stdin, "IMG", MAX_BYTES, command.commandLine());
        List<ImageScan.Scan> scans = IntStream.range(0, input.names().size())
                .parallel()
                .mapToObj(
                        i -> ImageScan.scan(input.names().get(i), input.texts().get(i)))
                .toList();
        List<String> checked = new ArrayList<>();
        List<List<Finding>> perFile = new ArrayList<>();
        List<FoundImage> images = new ArrayList<>();
        for (ImageScan.Scan s : scans) {
            checked.add(s.file() + " (" + s.kind() + ")");
            List<Finding> f = new ArrayList<>(s.problems());
            f.addAll(ImageChecks.check(s.images()));
            perFile.add(f);
            images.addAll(s.images());
        }
        long pinned =
                images.stream().filter(i -> ImageChecks.pinned(i.reference())).count();
        FileFindingsReport report = new FileFindingsReport(
                "images check",
                checked,
                perFile,
                g -> {
                    JsonOutput.strings(g, "files", checked);
                    images(g, images);
                },
                "Checked " + String.join(", ", checked) + ": " + count(images.size()) + ", " + pinned + " pinned by"
                        + " digest.",
                "No findings.");
        report.print(command.commandLine().getOut(), format.format, failOn.threshold());
        return failOn.exitCode(report.findings());
    }

    private static String count(int n) {
        return n + (n == 1 ? " image reference" : " image references");
    }

    private static void images(JsonGenerator g, List<FoundImage> images) throws IOException {
        g.writeArrayFieldStart("images");
        for (FoundImage i : images) {
            g.writeStartObject();
            g.writeStringField("reference", i.reference());
            g.writeBooleanField("pinned", ImageChecks.pinned(i.reference()));
            g.writeStringField("where", i.where());
            JsonOutput.location(g, java.util.Optional.of(i.at()));
            g.writeBooleanField("exact", i.rewritable());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
