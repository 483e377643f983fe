package dev.stockade.images;

import dev.stockade.report.Finding;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import dev.stockade.validate.HostConfig;
import dev.stockade.validate.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code images check}'s core: finds the image references in one file and says which are mutable.
 *
 * <p>A file is read as what it is: Ignition (a JSON object; its units and the unit, script, YAML
 * and compose files it writes), cloud-config (its {@code coreos.units} and {@code write_files}), a
 * shell script or a systemd unit or Quadlet file ({@link UnitImages}), or YAML: Kubernetes manifests, compose files,
 * a Stockade spec ({@link YamlImages}). References inside embedded texts are named at the
 * embedding file's own line and column ({@link Placement}), so an editor jumps to them and
 * {@code --write} can pin them in place.
 */
public final class ImageScan {

    private ImageScan() {}

    private static final Pattern SECTION = Pattern.compile(
            "(?m)^\\s*\\[(Unit|Service|Install|Container|Image|Pod|Kube|Volume|Network|X-[^\\]]*)\\]\\s*$");

    /** What one file holds: the references found, and problems that stopped reading it. */
    public record Scan(String file, String kind, List<FoundImage> images, List<Finding> problems) {
        public Scan {
            images = List.copyOf(images);
            problems = List.copyOf(problems);
        }
    }

    public static Scan scan(String file, String text) {
        FileText ft = FileText.of(file, text);
        String body = text.startsWith("\uFEFF") ? text.substring(1) : text;
        String first = body.lines().findFirst().orElse("").stripTrailing();
        boolean json = body.stripLeading().startsWith("{");
        if (first.equals("#cloud-config") || (json && body.contains("\"ignition\""))) {
            String kind = json ? "ignition" : "cloud-config";
            Optional<HostConfig> host = Validator.host(file, text);
            if (host.isEmpty()) {
                return new Scan(
                        file,
                        kind,
                        List.of(),
                        List.of(new Finding(
                                "IMG-UNREADABLE",
                                Severity.ERROR,
                                file,
                                Optional.of(SourceSpan.ofFile(file)),
                                "this " + kind + " cannot be read, so its images were not checked",
                                "run 'stockade validate " + file + "' for what is wrong")));
            }
            return new Scan(file, kind, provisioned(ft, host.get(), json), List.of());
        }
        if (first.startsWith("#!")) {
            return new Scan(
                    file,
                    "script",
                    place(ft, UnitImages.script(name(file), text), new Placement.Whole(file)),
                    List.of());
        }
        if (SECTION.matcher(body).find()) {
            return new Scan(
                    file, "unit", place(ft, UnitImages.find(name(file), text), new Placement.Whole(file)), List.of());
        }
        try {
            return new Scan(file, "yaml", place(ft, YamlImages.find(text), new Placement.Whole(file)), List.of());
        } catch (YamlImages.NotYaml e) {
            return new Scan(
                    file,
                    "unknown",
                    List.of(),
                    List.of(new Finding(
                            "IMG-KIND",
                            Severity.ERROR,
                            file,
                            Optional.of(new SourceSpan(file, e.line, e.column)),
                            "not a file images check reads: no systemd section, not Ignition, cloud-config or YAML ("
                                    + e.getMessage().strip() + ")",
                            "give unit files, Quadlet files, Ignition, cloud-config, Kubernetes manifests or compose"
                                    + " files")));
        }
    }

    private static String name(String file) {
        return file.substring(file.lastIndexOf('/') + 1);
    }

    private static List<FoundImage> provisioned(FileText ft, HostConfig host, boolean json) {
        List<FoundImage> out = new ArrayList<>();
        for (HostConfig.Unit u : host.units()) {
            u.contents().ifPresent(c -> {
                String name = u.name() + u.dropin().map(d -> " drop-in " + d).orElse("");
                out.addAll(
                        place(ft, UnitImages.find(name, c), embedded(ft, u.contentsAt(), u.firstContentLine(), json)));
            });
        }
        for (HostConfig.File f : host.files()) {
            if (f.contents().isEmpty()) {
                continue;
            }
            String c = f.contents().get();
            String path = f.path();
            // Ignition's file contents are data URLs: decoded, they no longer match the file
            Placement at = json
                    ? new Placement.Opaque(f.contentsAt())
                    : embedded(ft, f.contentsAt(), f.firstContentLine(), false);
            if (path.endsWith(".sh") || c.startsWith("#!")) {
                out.addAll(place(ft, UnitImages.script(path, c), at));
            } else if (path.matches(".*\\.(service|container|image|kube|pod|socket|timer)")
                    || path.contains(".service.d/")) {
                out.addAll(place(ft, UnitImages.find(path, c), at));
            } else if (path.matches(".*\\.(ya?ml|json)")) {
                try {
                    List<Hit> hits = YamlImages.find(c).stream()
                            .map(h -> new Hit(h.reference(), h.offset(), path + " " + h.where()))
                            .toList();
                    out.addAll(place(ft, hits, at));
                } catch (YamlImages.NotYaml e) {
                    // a file validate reads as data: not ours to judge here
                }
            }
        }
        return out;
    }

    private static Placement embedded(FileText ft, SourceSpan at, java.util.OptionalInt firstLine, boolean json) {
        if (json) {
            return new Placement.JsonString(ft, ft.offset(at), at);
        }
        if (firstLine.isPresent()) {
            return new Placement.Block(ft, firstLine.getAsInt(), Math.max(at.column(), 1) - 1, at);
        }
        return new Placement.Opaque(at);
    }

    private static List<FoundImage> place(FileText ft, List<Hit> hits, Placement placement) {
        List<FoundImage> out = new ArrayList<>();
        for (Hit h : hits) {
            int offset = placement.fileOffset(h.offset());
            // only a place that reads as the reference is exact; else point at what holds it
            if (offset >= 0 && ft.text().startsWith(h.reference(), offset)) {
                out.add(new FoundImage(h.reference(), ft.span(offset), offset, h.where()));
            } else {
                out.add(new FoundImage(h.reference(), placement.fallback(), -1, h.where()));
            }
        }
        return out;
    }
}
