package dev.stockade.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.stockade.net.IpFamily;
import dev.stockade.report.Finding;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The key trees the validators walk, and the standalone rules check. */
class SchemaTest {

    static Schema.Obj child(Schema.Obj o, String key) {
        return (Schema.Obj) o.fields().get(key).type();
    }

    @Test
    void ignition_keysCarryTheSpecVersionThatIntroducedThem() {
        assertEquals(3, IgnitionSchema.ROOT.fields().get("kernelArguments").since());
        Schema.Obj storage = child(IgnitionSchema.ROOT, "storage");
        assertEquals(2, storage.fields().get("luks").since());
        Schema.Obj ignition = child(IgnitionSchema.ROOT, "ignition");
        assertEquals(1, ignition.fields().get("proxy").since());
        assertEquals(Schema.S, ignition.fields().get("version").type());
        Schema.Arr files = (Schema.Arr) storage.fields().get("files").type();
        assertEquals(Schema.I, ((Schema.Obj) files.item()).fields().get("mode").type());
        assertEquals(IgnitionSchema.LATEST_MINOR, 5);
    }

    @Test
    void cloudConfig_allowedValuesAndDeprecations() {
        Schema.Obj coreos = child(CloudConfigSchema.ROOT, "coreos");
        Schema.Field strategy = child(coreos, "update").fields().get("reboot_strategy");
        assertTrue(strategy.allowed().orElseThrow().matcher("etcd-lock").matches());
        assertFalse(strategy.allowed().orElseThrow().matcher("sometimes").matches());
        assertEquals(
                Optional.of("etcd2 is no longer shipped in Container Linux"),
                coreos.fields().get("etcd2").deprecated());
        Schema.Field permissions = CloudConfigSchema.WRITE_FILE.fields().get("permissions");
        assertTrue(permissions.allowed().orElseThrow().matcher("0644").matches());
        assertFalse(permissions.allowed().orElseThrow().matcher("0o644").matches());
        assertEquals(
                Schema.F,
                CloudConfigSchema.FLEET.fields().get("etcd_request_timeout").type());
    }

    @Test
    void rulesChecks_standaloneFile_familyFromTheTextOrGiven() {
        String rules = "*filter\n:INPUT DROP [0:0]\n-A INPUT -s 2001:db8::/32 -j ACCEPT\nCOMMIT\n";
        List<Finding> detected = new RulesChecks().file("r6", rules, Optional.empty());
        assertTrue(detected.stream().noneMatch(f -> f.id().startsWith("IPT-")), detected.toString());
        List<Finding> forced = new RulesChecks().file("r4", rules, Optional.of(IpFamily.V4));
        assertTrue(forced.stream().anyMatch(f -> f.id().startsWith("IPT-")), forced.toString());
    }
}
