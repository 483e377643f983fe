package dev.stockade.validate;

import static dev.stockade.validate.Findings.none;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.stockade.report.Finding;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Disks, partitions, filesystems, RAID and LUKS, as the Ignition specification checks them. */
class IgnitionStorageTest {

    static List<Finding> check(String version, String storage) {
        return IgnitionValidator.validate(
                        "c.ign", "{\"ignition\": {\"version\": \"" + version + "\"},\n\"storage\": " + storage + "}")
                .findings();
    }

    /** "ID message" of every finding. */
    static String summary(List<Finding> findings) {
        return String.join(
                " | ", findings.stream().map(f -> f.id() + " " + f.message()).toList());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '!',
            value = {
                // clean
                "{\"disks\": [{\"device\": \"/dev/sda\", \"partitions\": [{\"number\": 1, \"label\": \"root\","
                        + " \"typeGuid\": \"0FC63DAF-8483-4772-8E79-3D69D8477DE4\"}, {\"label\": \"data\"}]}]}!",
                "{\"filesystems\": [{\"device\": \"/dev/sda1\", \"format\": \"ext4\", \"label\": \"root\","
                        + " \"path\": \"/var\"}]}!",
                "{\"raid\": [{\"name\": \"md\", \"level\": \"raid1\", \"devices\": [\"/dev/sda\", \"/dev/sdb\"]}]}!",
                "{\"luks\": [{\"name\": \"data\", \"device\": \"/dev/sdb\", \"clevis\": {\"tpm2\": true}}]}!",
                // refused
                "{\"disks\": [{\"partitions\": []}]}!IGN-DEVICE $.storage.disks.0.device: a disk needs a device",
                "{\"disks\": [{\"device\": \"/dev/sda\", \"partitions\": [{\"number\": 1}, {\"number\": 1}]}]}"
                        + "!IGN-PARTITION $.storage.disks.0.partitions.1: partition number 1 is used twice (first at"
                        + " $.storage.disks.0.partitions.0)",
                "{\"disks\": [{\"device\": \"/dev/sda\", \"partitions\": [{\"sizeMiB\": 5}]}]}"
                        + "!IGN-PARTITION $.storage.disks.0.partitions.0: a partition needs a number (1 or more) or a label",
                "{\"disks\": [{\"device\": \"/dev/sda\", \"partitions\": [{\"number\": 2, \"shouldExist\": false,"
                        + " \"sizeMiB\": 5}]}]}!IGN-PARTITION $.storage.disks.0.partitions.0: shouldExist is false but"
                        + " other settings are given",
                "{\"disks\": [{\"device\": \"/dev/sda\", \"partitions\": [{\"label\": \"a:b\"}]}]}"
                        + "!IGN-PARTITION $.storage.disks.0.partitions.0.label: the label is cut at the ':' (the"
                        + " partition would be labelled 'a')",
                "{\"disks\": [{\"device\": \"/dev/sda\", \"partitions\": [{\"number\": 1, \"guid\": \"xyz\"}]}]}"
                        + "!IGN-PARTITION $.storage.disks.0.partitions.0.guid: 'xyz' is not a GUID",
                "{\"filesystems\": [{\"device\": \"/dev/sda1\", \"path\": \"/var\"}]}!IGN-FILESYSTEM"
                        + " $.storage.filesystems.0.format: format cannot be empty when path, label, uuid,"
                        + " wipeFilesystem, options or mountOptions is given",
                "{\"filesystems\": [{\"device\": \"/dev/sda1\", \"format\": \"zfs\"}]}!IGN-FILESYSTEM"
                        + " $.storage.filesystems.0.format: format 'zfs' is not one Ignition makes",
                "{\"filesystems\": [{\"device\": \"/dev/sda1\", \"format\": \"vfat\", \"label\": \"TWELVECHARSX\"}]}"
                        + "!IGN-FILESYSTEM $.storage.filesystems.0.label: vfat labels can be at most 11 characters",
                "{\"raid\": [{\"name\": \"md\", \"devices\": [\"/dev/sda\"]}]}!IGN-RAID $.storage.raid.0.level: a"
                        + " RAID array needs a level",
                "{\"raid\": [{\"name\": \"md\", \"level\": \"raid0\", \"spares\": 1, \"devices\": [\"/dev/sda\"]}]}"
                        + "!IGN-RAID $.storage.raid.0.level: linear and raid0 arrays have no spares",
                "{\"raid\": [{\"name\": \"md\", \"level\": \"raid1\"}]}!IGN-RAID $.storage.raid.0.devices: a RAID"
                        + " array needs devices",
                "{\"luks\": [{\"name\": \"a/b\", \"device\": \"/dev/sdb\"}]}!IGN-LUKS $.storage.luks.0.name: a LUKS"
                        + " device name cannot contain '/'",
                "{\"luks\": [{\"name\": \"a\"}]}!IGN-DEVICE $.storage.luks.0.device: a LUKS volume needs a device",
                "{\"luks\": [{\"name\": \"a\", \"device\": \"/dev/sdb\", \"clevis\": {\"tang\": [{\"url\":"
                        + " \"ftp://t\"}]}}]}!IGN-LUKS $.storage.luks.0.clevis.tang.0.url: a tang server needs an http://"
                        + " or https:// URL | IGN-LUKS $.storage.luks.0.clevis.tang.0.thumbprint: a tang server needs its"
                        + " thumbprint",
                "{\"luks\": [{\"name\": \"a\", \"device\": \"/dev/sdb\", \"clevis\": {\"tpm2\": true, \"custom\":"
                        + " {\"pin\": \"tpm2\", \"config\": \"{}\"}}}]}!IGN-LUKS $.storage.luks.0.clevis: a custom clevis"
                        + " config cannot be combined with tpm2, tang or threshold"
            })
    void storage(String storage, String expected) {
        assertEquals(expected == null ? "" : expected, summary(check("3.3.0", storage)));
    }

    @org.junit.jupiter.api.Test
    void report_receivesSeverityIdLocationAndPath() throws Exception {
        List<String> seen = new java.util.ArrayList<>();
        dev.stockade.json.JsonValue.JsonObject storage = (dev.stockade.json.JsonValue.JsonObject)
                dev.stockade.json.JsonReader.read("s.json", "{\"raid\": [{\"name\": \"md\", \"devices\": [\"/d\"]}]}");
        new IgnitionStorage(
                        3,
                        (severity, id, span, path, message, hint) ->
                                seen.add(severity + " " + id + " " + span + " " + path + ": " + message))
                .check(storage, "$.storage");
        assertEquals(List.of("ERROR IGN-RAID s.json:1:11 $.storage.raid.0.level: a RAID array needs a level"), seen);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"3.2.0, 1", "3.3.0, 0"})
    void formatNone_fromSpec33(String version, int findings) {
        List<Finding> f = check(version, "{\"filesystems\": [{\"device\": \"/dev/sda1\", \"format\": \"none\"}]}");
        assertEquals(findings, f.size(), f.toString());
        if (findings == 0) {
            none(f, "IGN-FILESYSTEM");
        }
    }
}
