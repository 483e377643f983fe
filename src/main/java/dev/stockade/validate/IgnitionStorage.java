package dev.stockade.validate;

import static dev.stockade.validate.JsonTree.list;
import static dev.stockade.validate.JsonTree.member;
import static dev.stockade.validate.JsonTree.object;
import static dev.stockade.validate.JsonTree.objects;
import static dev.stockade.validate.JsonTree.string;

import dev.stockade.json.JsonValue;
import dev.stockade.report.Severity;
import dev.stockade.report.SourceSpan;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The block-device part of an Ignition config, as the Ignition specification checks it: disks and
 * their partitions (numbers, labels, GUIDs, shouldExist), filesystems (format, labels), RAID
 * (level, spares, devices) and LUKS (name, label, device, clevis).
 */
final class IgnitionStorage {

    /** Where a finding goes. */
    interface Report {
        void add(Severity severity, String id, SourceSpan span, String path, String message, String hint);
    }

    private static final String GUID = "[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}";
    private static final Map<String, Integer> LABEL_LIMITS =
            Map.of("ext4", 16, "btrfs", 256, "xfs", 12, "swap", 15, "vfat", 11);
    private static final Set<String> RAID_LEVELS = Set.of(
            "linear", "raid0", "0", "stripe", "raid1", "1", "mirror", "raid4", "4", "raid5", "5", "raid6", "6",
            "raid10", "10");
    private static final Set<String> NO_SPARES = Set.of("linear", "raid0", "0", "stripe");

    private final int minor;
    private final Report report;

    IgnitionStorage(int minor, Report report) {
        this.minor = minor;
        this.report = report;
    }

    void check(JsonValue.JsonObject storage, String path) {
        List<JsonValue.JsonObject> disks = objects(storage, "disks");
        for (int i = 0; i < disks.size(); i++) {
            disk(disks.get(i), path + ".disks." + i);
        }
        List<JsonValue.JsonObject> filesystems = objects(storage, "filesystems");
        for (int i = 0; i < filesystems.size(); i++) {
            filesystem(filesystems.get(i), path + ".filesystems." + i);
        }
        List<JsonValue.JsonObject> raids = objects(storage, "raid");
        for (int i = 0; i < raids.size(); i++) {
            raid(raids.get(i), path + ".raid." + i);
        }
        List<JsonValue.JsonObject> luks = objects(storage, "luks");
        for (int i = 0; i < luks.size(); i++) {
            luks(luks.get(i), path + ".luks." + i);
        }
    }

    private void disk(JsonValue.JsonObject d, String at) {
        if (string(d, "device").filter(s -> !s.isEmpty()).isEmpty()) {
            error("IGN-DEVICE", d.span(), at + ".device", "a disk needs a device", "e.g. /dev/disk/by-id/...");
        }
        Map<String, String> numbers = new HashMap<>();
        Map<String, String> labels = new HashMap<>();
        List<JsonValue.JsonObject> parts = objects(d, "partitions");
        for (int i = 0; i < parts.size(); i++) {
            JsonValue.JsonObject p = parts.get(i);
            String pat = at + ".partitions." + i;
            long number = member(p, "number")
                    .filter(JsonValue.JsonNumber.class::isInstance)
                    .map(n -> ((JsonValue.JsonNumber) n).text())
                    .filter(t -> t.matches("-?\\d{1,18}"))
                    .map(Long::parseLong)
                    .orElse(0L);
            Optional<String> label = string(p, "label");
            if (number != 0 && numbers.putIfAbsent(Long.toString(number), pat) != null) {
                error(
                        "IGN-PARTITION",
                        p.span(),
                        pat,
                        "partition number " + number + " is used twice (first at " + numbers.get(Long.toString(number))
                                + ")",
                        "give each partition its own number");
            }
            if (label.isPresent() && labels.putIfAbsent(label.get(), pat) != null) {
                error("IGN-PARTITION", p.span(), pat, "partition label '" + label.get() + "' is used twice", "");
            }
            boolean absent = member(p, "shouldExist")
                    .filter(b -> b instanceof JsonValue.JsonBoolean jb && !jb.value())
                    .isPresent();
            if (absent
                    && (label.isPresent()
                            || string(p, "typeGuid").filter(s -> !s.isEmpty()).isPresent()
                            || string(p, "guid").filter(s -> !s.isEmpty()).isPresent()
                            || p.members().containsKey("startMiB")
                            || p.members().containsKey("sizeMiB"))) {
                error(
                        "IGN-PARTITION",
                        p.span(),
                        pat,
                        "shouldExist is false but other settings are given",
                        "a partition that must not exist takes only its number");
            }
            if (number == 0 && label.isEmpty()) {
                error("IGN-PARTITION", p.span(), pat, "a partition needs a number (1 or more) or a label", "");
            }
            label.ifPresent(l -> {
                SourceSpan ls = member(p, "label").orElseThrow().span();
                if (l.getBytes(StandardCharsets.UTF_8).length > 36) {
                    error("IGN-PARTITION", ls, pat + ".label", "partition labels may not exceed 36 characters", "");
                } else if (l.contains(":")) {
                    error(
                            "IGN-PARTITION",
                            ls,
                            pat + ".label",
                            "the label is cut at the ':' (the partition would be labelled '"
                                    + l.substring(0, l.indexOf(':')) + "')",
                            "");
                }
            });
            for (String g : List.of("guid", "typeGuid")) {
                string(p, g)
                        .filter(v -> !v.isEmpty() && !v.matches(GUID))
                        .ifPresent(v -> error(
                                "IGN-PARTITION",
                                member(p, g).orElseThrow().span(),
                                pat + "." + g,
                                "'" + v + "' is not a GUID",
                                "write it as 01234567-89AB-CDEF-EDCB-A98765432101"));
            }
        }
    }

    private void filesystem(JsonValue.JsonObject f, String at) {
        Optional<String> format = string(f, "format").filter(s -> !s.isEmpty());
        boolean wantsFormat = string(f, "path").filter(s -> !s.isEmpty()).isPresent()
                || string(f, "label").filter(s -> !s.isEmpty()).isPresent()
                || string(f, "uuid").filter(s -> !s.isEmpty()).isPresent()
                || member(f, "wipeFilesystem")
                        .filter(b -> b instanceof JsonValue.JsonBoolean jb && jb.value())
                        .isPresent()
                || f.members().containsKey("options")
                || f.members().containsKey("mountOptions");
        if (format.isEmpty() && wantsFormat) {
            error(
                    "IGN-FILESYSTEM",
                    f.span(),
                    at + ".format",
                    "format cannot be empty when path, label, uuid, wipeFilesystem, options or mountOptions is given",
                    "give the format: ext4, btrfs, xfs, swap or vfat");
            return;
        }
        if (format.isEmpty()) {
            return;
        }
        SourceSpan fs = member(f, "format").orElseThrow().span();
        boolean known = LABEL_LIMITS.containsKey(format.get())
                || (minor >= 3 && format.get().equals("none"));
        if (!known) {
            error(
                    "IGN-FILESYSTEM",
                    fs,
                    at + ".format",
                    "format '" + format.get() + "' is not one Ignition makes",
                    "ext4, btrfs, xfs, swap, vfat" + (minor >= 3 ? " or none" : ""));
            return;
        }
        string(f, "label").filter(s -> !s.isEmpty()).ifPresent(l -> {
            Integer limit = LABEL_LIMITS.get(format.get());
            if (limit != null && l.getBytes(StandardCharsets.UTF_8).length > limit) {
                error(
                        "IGN-FILESYSTEM",
                        member(f, "label").orElseThrow().span(),
                        at + ".label",
                        format.get() + " labels can be at most " + limit + " characters",
                        "");
            }
        });
    }

    private void raid(JsonValue.JsonObject r, String at) {
        Optional<String> level = string(r, "level").filter(s -> !s.isEmpty());
        if (level.isEmpty()) {
            error("IGN-RAID", r.span(), at + ".level", "a RAID array needs a level", "e.g. raid1");
        } else if (!RAID_LEVELS.contains(level.get())) {
            error(
                    "IGN-RAID",
                    member(r, "level").orElseThrow().span(),
                    at + ".level",
                    "RAID level '" + level.get() + "' is not one mdadm knows",
                    "linear, raid0, raid1, raid4, raid5," + " raid6 or raid10");
        } else if (NO_SPARES.contains(level.get())
                && member(r, "spares")
                        .filter(n -> !(n instanceof JsonValue.JsonNumber num
                                && num.text().equals("0")))
                        .isPresent()) {
            error(
                    "IGN-RAID",
                    member(r, "level").orElseThrow().span(),
                    at + ".level",
                    "linear and raid0 arrays have no spares",
                    "");
        }
        if (list(r, "devices").isEmpty()) {
            error("IGN-RAID", r.span(), at + ".devices", "a RAID array needs devices", "");
        }
    }

    private void luks(JsonValue.JsonObject l, String at) {
        string(l, "name")
                .filter(n -> n.contains("/"))
                .ifPresent(n -> error(
                        "IGN-LUKS",
                        member(l, "name").orElseThrow().span(),
                        at + ".name",
                        "a LUKS device name cannot contain '/'",
                        ""));
        string(l, "label")
                .filter(n -> n.getBytes(StandardCharsets.UTF_8).length > 47)
                .ifPresent(n -> error(
                        "IGN-LUKS",
                        member(l, "label").orElseThrow().span(),
                        at + ".label",
                        "LUKS labels can be at most 47 characters",
                        ""));
        if (string(l, "device").filter(s -> !s.isEmpty()).isEmpty()) {
            error("IGN-DEVICE", l.span(), at + ".device", "a LUKS volume needs a device", "");
        }
        object(l, "clevis").ifPresent(c -> {
            List<JsonValue.JsonObject> tang = objects(c, "tang");
            for (int i = 0; i < tang.size(); i++) {
                JsonValue.JsonObject t = tang.get(i);
                String tat = at + ".clevis.tang." + i;
                if (string(t, "url").filter(u -> u.matches("(?i)https?://.+")).isEmpty()) {
                    error(
                            "IGN-LUKS",
                            member(t, "url").map(JsonValue::span).orElse(t.span()),
                            tat + ".url",
                            "a tang server needs an http:// or https:// URL",
                            "");
                }
                if (string(t, "thumbprint").filter(s -> !s.isEmpty()).isEmpty()) {
                    error(
                            "IGN-LUKS",
                            t.span(),
                            tat + ".thumbprint",
                            "a tang server needs its thumbprint",
                            "without it any server at that URL is trusted");
                }
            }
            boolean custom = object(c, "custom")
                    .flatMap(x -> string(x, "pin"))
                    .filter(p -> !p.isEmpty())
                    .isPresent();
            boolean other = !list(c, "tang").isEmpty()
                    || member(c, "tpm2")
                            .filter(b -> b instanceof JsonValue.JsonBoolean jb && jb.value())
                            .isPresent()
                    || member(c, "threshold")
                            .filter(n -> !(n instanceof JsonValue.JsonNumber num
                                    && num.text().equals("0")))
                            .isPresent();
            if (custom && other) {
                error(
                        "IGN-LUKS",
                        c.span(),
                        at + ".clevis",
                        "a custom clevis config cannot be combined with tpm2, tang or threshold",
                        "");
            }
        });
    }

    private void error(String id, SourceSpan span, String path, String message, String hint) {
        report.add(Severity.ERROR, id, span, path, message, hint);
    }
}
