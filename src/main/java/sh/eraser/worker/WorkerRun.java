package sh.eraser.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.cri.CriClient;
import sh.eraser.images.ExclusionList;
import sh.eraser.images.ExclusionLoader;

/**
 * The frame every worker container runs in: check its own input, read the exclusion lists, reach
 * the runtime, do the work, and always leave a summary in the termination message, failure
 * included.
 */
final class WorkerRun {

  private static final Logger log = LoggerFactory.getLogger(WorkerRun.class);

  /** The part that differs between collector and remover. */
  interface Work {
    List<ImageDecision> run(CriClient cri, ExclusionList exclusions) throws IOException;
  }

  /** Checks of the command's own input, run before the runtime is contacted. */
  interface Check {
    void run() throws IOException;
  }

  private WorkerRun() {}

  /** Runs the work and returns the process exit code: 0 done, 1 failed (nothing half-done). */
  static int run(String component, WorkerOptions options, Check check, Work work) {
    String node = options.nodeName == null ? "" : options.nodeName;
    try {
      check.run();
      // Read first: a bad exclusion list is reported as such even where the runtime is missing.
      ExclusionList exclusions = exclusions(options.exclusionDir);
      try (CriClient cri = CriClient.connect(options.runtimeEndpoint, options.criTimeout)) {
        List<ImageDecision> decisions = work.run(cri, exclusions);
        WorkerSummary summary = WorkerSummary.of(component, node, options.dryRun, decisions);
        writeTerminationLog(options.terminationLog, summary);
        return 0;
      }
    } catch (IOException | RuntimeException e) {
      log.error(
          "{} stopped; nothing was removed after this error: {}", component, e.getMessage(), e);
      // One plain line for a person running the command by hand; the JSON log has the details.
      System.err.println("eraser " + component + ": " + e.getMessage());
      WorkerSummary failure =
          WorkerSummary.failure(component, node, options.dryRun, e.getMessage());
      writeTerminationLog(options.terminationLog, failure);
      return 1;
    }
  }

  /** In pipe mode the shared directory must be there, or the peers could never meet. */
  static void requireSharedDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("--shared-dir " + dir + " is not a directory");
    }
  }

  private static ExclusionList exclusions(Path dir) {
    if (!Files.isDirectory(dir)) {
      log.info("no exclusion lists: {} does not exist, so no image is excluded", dir);
      return ExclusionList.empty();
    }
    ExclusionList exclusions = ExclusionLoader.load(dir);
    log.info("read {} exclusion patterns from {}", exclusions.size(), dir);
    return exclusions;
  }

  private static void writeTerminationLog(Path path, WorkerSummary summary) {
    String json = summary.toBoundedJson();
    log.info("summary {}", json);
    try {
      Files.writeString(path, json, StandardCharsets.UTF_8);
    } catch (IOException e) {
      log.warn("cannot write the summary to {}: {}", path, e.toString());
    }
  }
}
