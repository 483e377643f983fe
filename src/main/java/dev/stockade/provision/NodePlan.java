package dev.stockade.provision;

import java.util.List;

/**
 * Everything a node needs at first boot, independent of the provisioning format; the Ignition
 * and cloud-config renderers turn the same plan into their own syntax.
 *
 * @param overSsh files kept out of the user data ({@code pki.deliver: ssh}): {@code stockade apply}
 *     copies them after boot, and the units that need them wait for them
 */
public record NodePlan(
        String node,
        String hostname,
        List<String> sshKeys,
        List<ProvisionedFile> files,
        List<Unit> units,
        List<String> provisional,
        List<ProvisionedFile> overSsh) {

    public NodePlan {
        sshKeys = List.copyOf(sshKeys);
        files = List.copyOf(files);
        overSsh = List.copyOf(overSsh);
        units = List.copyOf(units);
        provisional = List.copyOf(provisional);
    }

    /**
     * Every file the plan leaves on the node's disk: its files, and the unit files and drop-ins it
     * defines, where systemd reads them ({@link Unit#DIR}), as Ignition and coreos-cloudinit write them.
     */
    public List<ProvisionedFile> onDisk() {
        List<ProvisionedFile> out = new java.util.ArrayList<>(files);
        for (Unit u : units) {
            u.contents().ifPresent(c -> out.add(new ProvisionedFile(Unit.DIR + "/" + u.name(), 0644, "root", c)));
            for (Unit.Dropin d : u.dropins()) {
                out.add(new ProvisionedFile(Unit.DIR + "/" + u.name() + ".d/" + d.name(), 0644, "root", d.contents()));
            }
        }
        return out;
    }
}
