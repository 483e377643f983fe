package dev.stockade.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/** A hand-made plan rendered as cloud-config: the exact text, and what a YAML reader makes of it. */
class CloudConfigRendererTest {

    private static final NodePlan PLAN = new NodePlan(
            "core-1",
            "core-1",
            List.of("ssh-ed25519 AAAA ops@example"),
            List.of(new ProvisionedFile("/etc/x.conf", 0644, "root", "no\nyes: 0644\n")),
            List.of(
                    Unit.enable("iptables-restore.service"),
                    Unit.mask("sshd.socket"),
                    Unit.define("core-groups.service", "[Service]\nType=oneshot\n"),
                    Unit.dropin("etcd-member.service", true, new Unit.Dropin("20-tls.conf", "[Service]\n"))),
            List.of(),
            List.of());

    @Test
    void render_exactText_everyStringQuoted() {
        assertEquals(
                "#cloud-config\n"
                        + "hostname: \"core-1\"\n"
                        + "ssh_authorized_keys:\n"
                        + "  - \"ssh-ed25519 AAAA ops@example\"\n"
                        + "write_files:\n"
                        + "  - path: \"/etc/x.conf\"\n"
                        + "    permissions: \"0644\"\n"
                        + "    owner: \"root:root\"\n"
                        + "    content: \"no\\nyes: 0644\\n\"\n"
                        + "coreos:\n"
                        + "  units:\n"
                        + "    - name: \"iptables-restore.service\"\n"
                        + "      enable: true\n"
                        + "      command: \"start\"\n"
                        + "    - name: \"sshd.socket\"\n"
                        + "      mask: true\n"
                        + "      command: \"stop\"\n"
                        + "    - name: \"core-groups.service\"\n"
                        + "      enable: true\n"
                        + "      content: \"[Service]\\nType=oneshot\\n\"\n"
                        + "      command: \"start\"\n"
                        + "    - name: \"etcd-member.service\"\n"
                        + "      enable: true\n"
                        + "      drop_ins:\n"
                        + "        - name: \"20-tls.conf\"\n"
                        + "          content: \"[Service]\\n\"\n"
                        + "      command: \"restart\"\n",
                CloudConfigRenderer.render(PLAN));
    }

    @Test
    @SuppressWarnings("unchecked")
    void render_readsBackWithTheValuesAsWritten() {
        Map<String, Object> doc = new Yaml().load(new StringReader(CloudConfigRenderer.render(PLAN)));
        List<Map<String, Object>> files = (List<Map<String, Object>>) doc.get("write_files");
        assertEquals("0644", files.get(0).get("permissions"), "a string, not the YAML 1.1 octal 420");
        assertEquals("no\nyes: 0644\n", files.get(0).get("content"));
        List<Map<String, Object>> units =
                (List<Map<String, Object>>) ((Map<String, Object>) doc.get("coreos")).get("units");
        assertEquals(Boolean.TRUE, units.get(1).get("mask"));
        assertEquals(4, units.size());
    }

    @Test
    void render_noKeys_noKeySection() {
        NodePlan bare = new NodePlan("n", "n", List.of(), List.of(), List.of(), List.of(), List.of());
        assertEquals(
                "#cloud-config\nhostname: \"n\"\nwrite_files:\ncoreos:\n  units:\n", CloudConfigRenderer.render(bare));
    }
}
