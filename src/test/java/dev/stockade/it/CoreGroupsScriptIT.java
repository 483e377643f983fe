package dev.stockade.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the generated core-groups script for real with gpasswd and id, inside a private mount
 * namespace whose /etc is a scratch directory, so the machine's own accounts are never touched.
 */
class CoreGroupsScriptIT {

    @TempDir
    Path tmp;

    @Test
    void script_removesCoreFromEtcGroupAndShadowsBaselayoutGroups() throws Exception {
        Path etc = scratchEtc("core:x:500:500::/home/core:/bin/bash\n", "");
        Path base = tmp.resolve("baselayout-group");
        Files.writeString(base, "docker:x:233:core\nrkt:x:251:other,core\n");

        GeneratedFilesIT.Result r = run(etc, base, "wheel", "docker", "rkt", "nosuchgroup");

        assertEquals(0, r.code(), r.output());
        String group = Files.readString(etc.resolve("group"));
        assertTrue(group.contains("wheel:x:10:root\n"), group);
        assertTrue(group.contains("docker:x:233:\n"), group);
        assertTrue(group.contains("rkt:x:251:other\n"), group);
        assertTrue(group.contains("core:x:500:\n"), "other groups untouched: " + group);
    }

    @Test
    void script_coreStillMember_failsLoudly() throws Exception {
        // core's primary group is docker: membership cannot be removed from group files
        Path etc = scratchEtc("core:x:500:233::/home/core:/bin/bash\n", "docker:x:233:\n");
        Path base = tmp.resolve("none");
        GeneratedFilesIT.Result r = run(etc, base, "docker");
        assertEquals(1, r.code(), r.output());
        assertTrue(r.output().contains("stockade: core is still a member of docker"), r.output());
    }

    private Path scratchEtc(String corePasswd, String extraGroups) throws Exception {
        Path etc = tmp.resolve("etc");
        Files.createDirectories(etc);
        Files.writeString(etc.resolve("nsswitch.conf"), "passwd: files\ngroup: files\nshadow: files\ngshadow: files\n");
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/bash\n" + corePasswd);
        Files.writeString(etc.resolve("shadow"), "root:*:19000:0:99999:7:::\ncore:*:19000:0:99999:7:::\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\nwheel:x:10:root,core\ncore:x:500:\n" + extraGroups);
        Files.writeString(etc.resolve("gshadow"), "root:*::\nwheel:!::root,core\ncore:!::\n");
        // Debian reaches awk and friends through /etc/alternatives
        assertEquals(
                0,
                GeneratedFilesIT.exec("cp", "-a", "/etc/alternatives", etc.toString())
                        .code());
        return etc;
    }

    private GeneratedFilesIT.Result run(Path etc, Path base, String... groups) throws Exception {
        Path script = tmp.resolve("core-groups.sh");
        try (InputStream in = getClass().getResourceAsStream("/dev/stockade/provision/core-groups.sh")) {
            Files.write(script, in.readAllBytes());
        }
        String cmd = "mount --bind " + etc + " /etc && STOCKADE_BASELAYOUT_GROUP=" + base + " bash " + script + " "
                + String.join(" ", groups);
        return GeneratedFilesIT.exec("unshare", "--mount", "--propagation", "private", "sh", "-c", cmd);
    }
}
