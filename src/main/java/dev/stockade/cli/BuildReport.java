package dev.stockade.cli;

import dev.stockade.build.BuildResult;
import dev.stockade.build.ClusterPki;
import java.nio.file.Path;

/**
 * Everything a build reports, for the text summary ({@link BuildSummary}) and the JSON document
 * ({@link JsonOutput#build}) alike.
 *
 * @param dir the output directory (not written in a dry run)
 * @param pki the PKI outcome; null without etcd, or in a dry run
 * @param revoked certificates of departed nodes, revoked or (dry run) to be
 * @param steps what to run on the cluster afterwards
 */
record BuildReport(
        BuildResult result,
        Path dir,
        boolean dryRun,
        Path pkiDir,
        ClusterPki.Outcome pki,
        BuildCommand.Revoked revoked,
        EtcdSteps steps) {}
