package dev.stockade.provision;

import dev.stockade.json.Json;

/**
 * Renders a {@link NodePlan} as {@code #cloud-config} for coreos-cloudinit (legacy Container Linux
 * and Flatcar). Rules that keep it unambiguous: the first line is {@code #cloud-config}; keys use
 * underscores (coreos-cloudinit ignores hyphenated ones); every string is double-quoted, so YAML 1.1
 * never turns {@code 0644} into 420 or {@code no} into false; only booleans stay bare.
 */
public final class CloudConfigRenderer {

    private CloudConfigRenderer() {}

    public static String render(NodePlan plan) {
        StringBuilder sb = new StringBuilder(8192).append("#cloud-config\n");
        sb.append("hostname: ").append(q(plan.hostname())).append('\n');
        if (!plan.sshKeys().isEmpty()) {
            sb.append("ssh_authorized_keys:\n");
            plan.sshKeys().forEach(k -> sb.append("  - ").append(q(k)).append('\n'));
        }
        sb.append("write_files:\n");
        for (ProvisionedFile f : plan.files()) {
            sb.append("  - path: ").append(q(f.path())).append('\n');
            sb.append("    permissions: ").append(q(f.octalMode())).append('\n');
            sb.append("    owner: ").append(q(f.owner() + ":" + f.owner())).append('\n');
            sb.append("    content: ").append(q(f.contents())).append('\n');
        }
        sb.append("coreos:\n  units:\n");
        for (Unit u : plan.units()) {
            unit(sb, u);
        }
        return sb.toString();
    }

    private static void unit(StringBuilder sb, Unit u) {
        sb.append("    - name: ").append(q(u.name())).append('\n');
        if (u.mask()) {
            sb.append("      mask: true\n");
            sb.append("      command: ").append(q("stop")).append('\n');
        }
        if (u.enable()) {
            sb.append("      enable: true\n");
        }
        u.contents().ifPresent(c -> sb.append("      content: ").append(q(c)).append('\n'));
        if (!u.dropins().isEmpty()) {
            sb.append("      drop_ins:\n");
            for (Unit.Dropin d : u.dropins()) {
                sb.append("        - name: ").append(q(d.name())).append('\n');
                sb.append("          content: ").append(q(d.contents())).append('\n');
            }
        }
        if (u.start()) {
            sb.append("      command: ")
                    .append(q(u.dropins().isEmpty() ? "start" : "restart"))
                    .append('\n');
        }
    }

    private static String q(String s) {
        return Json.quote(s);
    }
}
