package sh.eraser.worker;

import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;
import sh.eraser.cri.CriEndpoint;

/** Command-line options that the collector and the remover share. */
public final class WorkerOptions {

  @Option(
      names = "--runtime-endpoint",
      defaultValue = CriEndpoint.DEFAULT,
      converter = EndpointConverter.class,
      description = "CRI socket of the node's container runtime (default: ${DEFAULT-VALUE}).")
  CriEndpoint runtimeEndpoint;

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
      converter = PositiveDurationConverter.class,
      description = "Deadline of each runtime call, as a Go duration (default: ${DEFAULT-VALUE}).")
  Duration criTimeout;

  @Option(
      names = "--node-name",
      defaultValue = "${env:NODE_NAME}",
      description = "Node name for reports (default: $NODE_NAME).")
  String nodeName;

  /** Reads --runtime-endpoint, so that a bad one is a usage error like any bad flag. */
  static final class EndpointConverter implements ITypeConverter<CriEndpoint> {
    @Override
    public CriEndpoint convert(String value) {
      try {
        return CriEndpoint.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** A Go duration that is above zero: a deadline of zero would fail every call. */
  static final class PositiveDurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      Duration duration = new DurationConverter().convert(value);
      if (duration.isZero() || duration.isNegative()) {
        throw new TypeConversionException("\"" + value + "\" must be above zero");
      }
      return duration;
    }
  }
}
