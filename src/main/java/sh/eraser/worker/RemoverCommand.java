package sh.eraser.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import sh.eraser.cri.CriClient;
import sh.eraser.cri.CriException;
import sh.eraser.images.ExclusionList;
import sh.eraser.images.ImageMatcher;
import sh.eraser.metrics.OtlpOptions;
import sh.eraser.metrics.WorkerMetrics;

/**
 * The {@code remover} container: removes, by image ID, the images an ImageList names or the
 * collector (or scanner) hands over, after checking again that none is in use or excluded.
 */
@Command(
    name = "remover",
    mixinStandardHelpOptions = true,
    description = "Remove unused images from this node's container runtime.")
public final class RemoverCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(RemoverCommand.class);

  @Mixin WorkerOptions options;

  @Mixin OtlpOptions telemetry;

  @Option(
      names = "--imagelist",
      description =
          "JSON array of images to remove (\"*\" means every unused image). Without it, the"
              + " remover takes its list from the collector through the shared pipes.")
  Path imageList;

  @Option(
      names = "--concurrency",
      defaultValue = "8",
      description = "How many removals run at once, 1 to 32 (default: ${DEFAULT-VALUE}).")
  void setConcurrency(int value) {
    if (value < 1 || value > 32) {
      throw new ParameterException(
          spec.commandLine(), "--concurrency: " + value + " is not between 1 and 32");
    }
    this.concurrency = value;
  }

  private int concurrency;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    return WorkerRun.run("remover", options, this::checkInput, this::remove);
  }

  private List<ImageMatcher> listed;

  /** A bad image list or shared directory is reported before the runtime is contacted. */
  private void checkInput() throws IOException {
    if (imageList != null) {
      listed = ImageListFile.read(imageList);
    } else {
      WorkerRun.requireSharedDir(options.sharedDir);
    }
  }

  private List<ImageDecision> remove(CriClient cri, ExclusionList exclusions) throws IOException {
    Pipes pipes = new Pipes(options.sharedDir);
    List<ImageMatcher> requests = imageList != null ? listed : fromPipe(pipes);
    NodeInventory inventory = InventoryReader.read(cri);
    List<ImageDecision> plan = new RemovalPlanner(exclusions).plan(inventory, requests);
    if (imageList == null) {
      plan = plan.stream().map(RemoverCommand::handedOver).toList();
    }
    List<ImageDecision> outcome = execute(cri, plan);
    if (imageList == null) {
      signalDone(pipes);
    }
    exportMetrics(outcome);
    return outcome;
  }

  /** After the peers are released, so that a slow receiver delays no other container. */
  private void exportMetrics(List<ImageDecision> outcome) {
    long removed =
        options.dryRun ? 0 : outcome.stream().filter(d -> d.verdict() == Verdict.REMOVED).count();
    telemetry.workerMetrics(WorkerMetrics.REMOVER_SERVICE, options.nodeName).imagesRemoved(removed);
  }

  private List<ImageMatcher> fromPipe(Pipes pipes) throws IOException {
    log.info("waiting for the image list in {}", pipes.path(Pipes.SCAN_ERASE));
    List<ImageMatcher> requests = new ArrayList<>();
    for (ImageRecord record : pipes.receiveImages(Pipes.SCAN_ERASE)) {
      try {
        requests.add(ImageMatcher.parse(record.imageId()));
      } catch (IllegalArgumentException e) {
        throw new IOException(
            "the image list from the pipe names a bad image ID: " + e.getMessage(), e);
      }
    }
    log.info("received {} images to remove", requests.size());
    return requests;
  }

  /** In pipe mode the request is an image ID the collector or scanner chose; say so. */
  private static ImageDecision handedOver(ImageDecision decision) {
    return decision.verdict() == Verdict.REMOVED
        ? decision.withOutcome(Verdict.REMOVED, "unused, and handed over for removal")
        : decision;
  }

  /**
   * Carries out the plan. Removals run a few at a time: containerd collects garbage after each
   * removal, and requests that arrive together share one collection.
   */
  private List<ImageDecision> execute(CriClient cri, List<ImageDecision> plan) {
    ExecutorService pool = Executors.newFixedThreadPool(concurrency);
    try {
      List<Future<ImageDecision>> pending = new ArrayList<>(plan.size());
      for (ImageDecision decision : plan) {
        pending.add(pool.submit(() -> carryOut(cri, decision)));
      }
      List<ImageDecision> outcome = new ArrayList<>(plan.size());
      for (Future<ImageDecision> future : pending) {
        outcome.add(future.get());
      }
      return outcome;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CriException("interrupted while removing images", e);
    } catch (ExecutionException e) {
      throw new CriException("a removal failed unexpectedly: " + e.getCause(), e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  private ImageDecision carryOut(CriClient cri, ImageDecision decision) {
    ImageDecision done = decision;
    if (decision.verdict() == Verdict.REMOVED && !options.dryRun) {
      done = removeOne(cri, decision);
    }
    DecisionLog.log(done, options.dryRun);
    return done;
  }

  private static ImageDecision removeOne(CriClient cri, ImageDecision decision) {
    try {
      boolean existed = cri.removeImage(decision.image().id());
      return existed
          ? decision
          : decision.withOutcome(Verdict.REMOVED, decision.reason() + " (already gone)");
    } catch (CriException e) {
      return decision.withOutcome(Verdict.FAILED, e.getMessage());
    }
  }

  private void signalDone(Pipes pipes) throws IOException {
    pipes.signalComplete(Pipes.ERASE_COMPLETE_COLLECT);
    if (pipes.exists(Pipes.ERASE_COMPLETE_SCAN)) {
      pipes.signalComplete(Pipes.ERASE_COMPLETE_SCAN);
    }
  }
}
