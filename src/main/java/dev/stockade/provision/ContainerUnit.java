package dev.stockade.provision;

import dev.stockade.spec.Target;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A systemd unit that runs one container with the target's engine (docker on Flatcar and
 * Container Linux, podman on Fedora CoreOS): any old container of the same name removed first,
 * started after the firewall is restored, restarted on failure. The proxy and every workload use
 * it, so they start, stop and fail the same way.
 *
 * @param container the container's name
 * @param description the unit's Description
 * @param options {@code run} options, each one word (the caller has checked what it puts in them)
 * @param image the image, pinned by digest
 * @param args the container's command line after the image
 * @param condition {@code [Unit]} lines that must hold for it to start (e.g. a key delivered)
 */
record ContainerUnit(
        String container, String description, List<String> options, String image, List<String> args, String condition) {

    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=@,+-]+");

    ContainerUnit {
        options = List.copyOf(options);
        args = List.copyOf(args);
    }

    static String engine(Target target) {
        return target == Target.FCOS ? "/usr/bin/podman" : "/usr/bin/docker";
    }

    /**
     * One word of an Exec line as systemd reads it: plain words as they are, others double-quoted
     * with their quotes escaped. ({@code $}, {@code %}, backslashes and control characters never
     * reach here: the spec refuses them.)
     */
    static String word(String w) {
        return PLAIN.matcher(w).matches() ? w : "\"" + w.replace("\"", "\\\"") + "\"";
    }

    /** @param firewallUnits the units that load the firewall, space-separated: it starts after them */
    String render(Target target, String firewallUnits) {
        String engine = engine(target);
        StringBuilder run = new StringBuilder(engine + " run --name " + container);
        options.forEach(o -> run.append(' ').append(word(o)));
        run.append(' ').append(image);
        args.forEach(a -> run.append(' ').append(word(a)));
        boolean docker = target != Target.FCOS;
        return "[Unit]\n"
                + "Description=" + description + "\n"
                + "Wants=network-online.target\n"
                + "After=network-online.target " + firewallUnits
                + (docker ? " docker.service" : "")
                + "\n"
                + (docker ? "Requires=docker.service\n" : "")
                + condition
                + "\n[Service]\n"
                + "ExecStartPre=-" + engine + " rm --force " + container + "\n"
                + "ExecStart=" + run + "\n"
                + "ExecStop=" + engine + " stop " + container + "\n"
                + "Restart=on-failure\n"
                + "RestartSec=5\n\n"
                + "[Install]\n"
                + "WantedBy=multi-user.target\n";
    }
}
