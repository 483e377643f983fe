package dev.stockade.cli;

import dev.stockade.registry.AuthFiles;
import dev.stockade.registry.RegistryClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Option;

/** How to reach container registries: extra CAs, the auth file, registries allowed over plain HTTP. */
final class RegistryOptions {

    @Option(
            names = "--ca-file",
            paramLabel = "PEM",
            description = "Trust the CA certificates in PEM besides the system's (repeatable), e.g. your"
                    + " registry's CA or Stockade's ca.pem.")
    List<Path> caFiles = new ArrayList<>();

    @Option(
            names = "--auth-file",
            paramLabel = "FILE",
            description = "Registry credentials, docker/podman auth.json format (default: $REGISTRY_AUTH_FILE,"
                    + " $XDG_RUNTIME_DIR/containers/auth.json, ~/.docker/config.json).")
    Path authFile;

    @Option(
            names = "--insecure-registry",
            paramLabel = "HOST[:PORT]",
            description = "Reach this registry over plain HTTP (repeatable). Dangerous: anyone on the path"
                    + " reads the credentials and can answer any digest.")
    List<String> insecure = new ArrayList<>();

    RegistryClient client() {
        return RegistryClient.builder()
                .caFiles(caFiles)
                .insecure(Set.copyOf(insecure))
                .authFiles(AuthFiles.forThisUser(Optional.ofNullable(authFile)))
                .build();
    }
}
