package sh.eraser.worker;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Command-line options that the collector and the remover share. */
public final class WorkerOptions {

  @Option(
      names = "--runtime-endpoint",
      defaultValue = "unix:///run/cri/cri.sock",
      description = "CRI socket of the node's container runtime (default: ${DEFAULT-VALUE}).")
  String runtimeEndpoint;

  @Option(
      names = "--dry-run",
      description = "Decide and report, but remove nothing and hand nothing on.")
  boolean dryRun;

  @Option(
      names = "--exclusion-dir",
      defaultValue = "/run/eraser.sh/exclude",
      description =
          "Directory holding one exclude-<configmap> directory per mounted exclusion list"
              + " (default: ${DEFAULT-VALUE}).")
  Path exclusionDir;

  @Option(
      names = "--shared-dir",
      defaultValue = "/run/eraser.sh/shared-data",
      description = "Directory of the pipes between worker containers (default: ${DEFAULT-VALUE}).")
  Path sharedDir;

  @Option(
      names = "--termination-log",
      defaultValue = "/dev/termination-log",
      description = "File that receives the JSON summary (default: ${DEFAULT-VALUE}).")
  Path terminationLog;

  @Option(
      names = "--cri-timeout",
      defaultValue = "5m",
      converter = DurationConverter.class,
      description = "Deadline of each runtime call, as a Go duration (default: ${DEFAULT-VALUE}).")
  Duration criTimeout;

  @Option(
      names = "--node-name",
      defaultValue = "${env:NODE_NAME}",
      description = "Node name for reports (default: $NODE_NAME).")
  String nodeName;
}
