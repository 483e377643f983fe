package dev.stockade.provision;

import java.util.List;

/**
 * Everything a node needs at first boot, independent of the provisioning format; the Ignition
 * and cloud-config renderers turn the same plan into their own syntax.
 */
public record NodePlan(
        String node,
        String hostname,
        List<String> sshKeys,
        List<ProvisionedFile> files,
        List<Unit> units,
        List<String> provisional) {

    public NodePlan {
        sshKeys = List.copyOf(sshKeys);
        files = List.copyOf(files);
        units = List.copyOf(units);
        provisional = List.copyOf(provisional);
    }
}
