package sh.eraser.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.cri.CriClient;
import sh.eraser.cri.CriEndpoint;
import sh.eraser.images.ExclusionList;
import sh.eraser.images.ExclusionLoader;

/**
 * The frame every worker container runs in: reach the runtime, read the exclusion lists, do the
 * work, and always leave a summary in the termination message, failure included.
 */
final class WorkerRun {

  private static final Logger log = LoggerFactory.getLogger(WorkerRun.class);

  /** The part that differs between collector and remover. */
  interface Work {
    List<ImageDecision> run(CriClient cri, ExclusionList exclusions) throws IOException;
  }

  private WorkerRun() {}

  /** Runs the work and returns the process exit code: 0 done, 1 failed (nothing half-done). */
  static int run(String component, WorkerOptions options, Work work) {
    String node = options.nodeName == null ? "" : options.nodeName;
    try (CriClient cri =
        CriClient.connect(CriEndpoint.parse(options.runtimeEndpoint), options.criTimeout)) {
      ExclusionList exclusions = ExclusionLoader.load(options.exclusionDir);
      log.info("read {} exclusion patterns from {}", exclusions.size(), options.exclusionDir);
      List<ImageDecision> decisions = work.run(cri, exclusions);
      WorkerSummary summary = WorkerSummary.of(component, node, options.dryRun, decisions);
      writeTerminationLog(options.terminationLog, summary);
      return 0;
    } catch (IOException | RuntimeException e) {
      log.error("{} failed, nothing more was removed: {}", component, e.getMessage(), e);
      // One plain line for a person running the command by hand; the JSON log has the details.
      System.err.println("eraser " + component + ": " + e.getMessage());
      writeTerminationLog(
          options.terminationLog, WorkerSummary.failure(component, node, e.getMessage()));
      return 1;
    }
  }

  private static void writeTerminationLog(Path path, WorkerSummary summary) {
    String json = summary.toBoundedJson();
    log.info("summary {}", json);
    try {
      Files.writeString(path, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      log.warn("cannot write the summary to {}: {}", path, e.getMessage());
    }
  }
}
