package sh.eraser.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sh.eraser.config.EraserConfigLoader;
import sh.eraser.config.InvalidConfigException;
import sh.eraser.config.ScannerConfig;
import sh.eraser.metrics.OtlpOptions;
import sh.eraser.metrics.WorkerMetrics;
import sh.eraser.scanner.ImageScan;
import sh.eraser.scanner.OsvSource;
import sh.eraser.scanner.Platform;
import sh.eraser.scanner.ScanTarget;
import sh.eraser.scanner.Scanner;

/**
 * The {@code trivy-scanner} container: takes the collector's unused images from {@code
 * collectScan}, scans them for vulnerable packages and end-of-life distributions, and hands those
 * to remove to the remover through {@code scanErase}.
 */
@Command(
    name = "scanner",
    mixinStandardHelpOptions = true,
    description = "Scan the collector's images and pass the vulnerable ones on to the remover.")
public final class ScannerCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(ScannerCommand.class);

  @Mixin WorkerOptions options;

  @Mixin OtlpOptions telemetry;

  @Option(
      names = "--config",
      description =
          "EraserConfig file whose components.scanner.config holds the scanner's settings"
              + " (default: the scanner's built-in defaults).")
  Path config;

  @Option(
      names = "--containerd-namespace",
      defaultValue = "${env:CONTAINERD_NAMESPACE:-k8s.io}",
      description = "containerd namespace of Kubernetes' images (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--platform",
      description = "os/arch[/variant] to pick from multi-platform images (default: this node's).")
  String platform;

  @Option(
      names = "--now",
      hidden = true,
      description = "Judge end-of-life dates as of this instant (ISO 8601); for tests and demos.")
  Instant now;

  /** How far the pipe protocol got: what a failure must still do for the peers to finish. */
  private enum Stage {
    NO_PIPES,
    AWAITING_LIST,
    LIST_RECEIVED,
    HANDED_ON
  }

  private Stage stage = Stage.NO_PIPES;

  @Override
  public Integer call() {
    String node = options.nodeName == null ? "" : options.nodeName;
    Pipes pipes = new Pipes(options.sharedDir);
    try {
      if (!options.dryRun) {
        WorkerRun.requireSharedDir(options.sharedDir);
        // Made first, so that the remover finds it and says when it has finished.
        pipes.createFifo(Pipes.ERASE_COMPLETE_SCAN);
        stage = Stage.AWAITING_LIST;
      }
      ScannerConfig settings = settings();
      List<ImageRecord> images = receive(pipes);
      List<ImageScan> scans = scan(settings, images);
      scans.forEach(s -> ScanLog.log(s, options.dryRun));
      List<ImageRecord> doomed = options.dryRun ? List.of() : toRemove(images, scans);
      if (!options.dryRun) {
        stage = Stage.HANDED_ON;
        handOn(pipes, doomed);
      }
      write(ScanSummary.of(node, options.dryRun, scans));
      // After the peers are released, so that a slow receiver delays no other container.
      telemetry
          .workerMetrics(WorkerMetrics.SCANNER_SERVICE, options.nodeName)
          .vulnerableImages(doomed.size());
      return 0;
    } catch (IOException | RuntimeException e) {
      log.error("scanner stopped; no image was handed on: {}", e.getMessage(), e);
      System.err.println("eraser scanner: " + e.getMessage());
      releasePeers(pipes);
      write(ScanSummary.failure(node, options.dryRun, String.valueOf(e.getMessage())));
      return 1;
    }
  }

  /**
   * After a failure nothing can be judged: the collector's list is taken (so the collector can go
   * on) and the remover gets an empty list, so that the pod ends with this container's failure
   * rather than waiting forever, and nothing is removed.
   */
  private void releasePeers(Pipes pipes) {
    try {
      if (stage == Stage.AWAITING_LIST) {
        pipes.receiveImages(Pipes.COLLECT_SCAN);
        stage = Stage.LIST_RECEIVED;
      }
      if (stage == Stage.LIST_RECEIVED) {
        stage = Stage.HANDED_ON;
        handOn(pipes, List.of());
      }
    } catch (IOException | RuntimeException e) {
      log.warn("cannot release the collector and remover: {}", e.toString());
    }
  }

  private ScannerConfig settings() throws IOException {
    if (config == null) {
      return ScannerConfig.DEFAULTS;
    }
    String document;
    try {
      document = Files.readString(config, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IOException("cannot read --config " + config + ": " + e.getMessage(), e);
    }
    try {
      String yaml =
          new EraserConfigLoader().load(document).config().components().scanner().config();
      return ScannerConfig.parse(yaml == null ? "" : yaml).config();
    } catch (InvalidConfigException e) {
      throw new IOException("--config " + config + " is invalid: " + e.getMessage(), e);
    }
  }

  private List<ImageRecord> receive(Pipes pipes) throws IOException {
    if (options.dryRun && !pipes.exists(Pipes.COLLECT_SCAN)) {
      return List.of();
    }
    log.info("waiting for the collector's list in {}", pipes.path(Pipes.COLLECT_SCAN));
    List<ImageRecord> images = pipes.receiveImages(Pipes.COLLECT_SCAN);
    if (stage == Stage.AWAITING_LIST) {
      stage = Stage.LIST_RECEIVED;
    }
    log.info("scanning {} images", images.size());
    return images;
  }

  private List<ImageScan> scan(ScannerConfig settings, List<ImageRecord> images) {
    Scanner.Settings scannerSettings =
        new Scanner.Settings(
            settings,
            options.runtimeEndpoint.socket(),
            namespace,
            platform == null ? Platform.current() : Platform.parse(platform),
            clock(),
            OsvSource.defaultClient(),
            options.criTimeout);
    List<ScanTarget> targets =
        images.stream().map(i -> new ScanTarget(i.imageId(), i.names())).toList();
    try (Scanner scanner = new Scanner(scannerSettings)) {
      return scanner.scan(targets);
    }
  }

  private Clock clock() {
    Clock system = Clock.systemUTC();
    return now == null ? system : Clock.offset(system, Duration.between(Instant.now(system), now));
  }

  /** The records of the images to remove; the scanner answers one scan per record, in order. */
  private static List<ImageRecord> toRemove(List<ImageRecord> images, List<ImageScan> scans) {
    if (scans.size() != images.size()) {
      throw new IllegalStateException(
          "the scanner answered " + scans.size() + " verdicts for " + images.size() + " images");
    }
    List<ImageRecord> doomed = new java.util.ArrayList<>();
    for (int i = 0; i < images.size(); i++) {
      if (scans.get(i).remove()) {
        doomed.add(images.get(i));
      }
    }
    return doomed;
  }

  private void handOn(Pipes pipes, List<ImageRecord> doomed) throws IOException {
    log.info("handing {} images to {}", doomed.size(), pipes.path(Pipes.SCAN_ERASE));
    pipes.sendImages(Pipes.SCAN_ERASE, doomed);
    pipes.awaitComplete(Pipes.ERASE_COMPLETE_SCAN);
    log.info("the remover has finished");
  }

  private void write(ScanSummary summary) {
    String json = summary.toBoundedJson();
    log.info("summary {}", json);
    try {
      Files.writeString(options.terminationLog, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      log.warn("cannot write the summary to {}: {}", options.terminationLog, e.toString());
    }
  }
}
