package sh.eraser.worker;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sh.eraser.cri.CriClient;
import sh.eraser.cri.CriException;
import sh.eraser.images.ExclusionList;
import sh.eraser.images.ImageMatcher;

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

  @Option(
      names = "--imagelist",
      description =
          "JSON array of images to remove (\"*\" means every unused image). Without it, the"
              + " remover takes its list from the collector through the shared pipes.")
  Path imageList;

  @Override
  public Integer call() {
    return WorkerRun.run("remover", options, this::remove);
  }

  private List<ImageDecision> remove(CriClient cri, ExclusionList exclusions) throws IOException {
    Pipes pipes = new Pipes(options.sharedDir);
    List<ImageMatcher> requests =
        imageList != null ? ImageListFile.read(imageList) : fromPipe(pipes);
    NodeInventory inventory = InventoryReader.read(cri);
    List<ImageDecision> plan = new RemovalPlanner(exclusions).plan(inventory, requests);
    List<ImageDecision> outcome = execute(cri, plan);
    if (imageList == null) {
      signalDone(pipes);
    }
    return outcome;
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

  private List<ImageDecision> execute(CriClient cri, List<ImageDecision> plan) {
    List<ImageDecision> outcome = new ArrayList<>(plan.size());
    for (ImageDecision decision : plan) {
      ImageDecision done = decision;
      if (decision.verdict() == Verdict.REMOVED && !options.dryRun) {
        done = removeOne(cri, decision);
      }
      DecisionLog.log(done, options.dryRun);
      outcome.add(done);
    }
    return outcome;
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
