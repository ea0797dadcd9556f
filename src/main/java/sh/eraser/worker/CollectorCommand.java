package sh.eraser.worker;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import sh.eraser.cri.CriClient;
import sh.eraser.images.ExclusionList;
import sh.eraser.images.ImageMatcher;

/**
 * The {@code collector} container: lists the images no container uses and no exclusion list
 * protects, and hands them to the scanner (or straight to the remover) through the shared pipes.
 */
@Command(
    name = "collector",
    mixinStandardHelpOptions = true,
    description = "List unused images on this node and pass them on to the scanner or remover.")
public final class CollectorCommand implements Callable<Integer> {

  private static final Logger log = LoggerFactory.getLogger(CollectorCommand.class);

  @Mixin WorkerOptions options;

  @Option(
      names = "--scan-disabled",
      description = "Hand the list straight to the remover instead of the scanner.")
  boolean scanDisabled;

  @Override
  public Integer call() {
    return WorkerRun.run("collector", options, this::checkInput, this::collect);
  }

  private void checkInput() throws IOException {
    if (!options.dryRun) {
      WorkerRun.requireSharedDir(options.sharedDir);
    }
  }

  private List<ImageDecision> collect(CriClient cri, ExclusionList exclusions) throws IOException {
    NodeInventory inventory = InventoryReader.read(cri);
    List<ImageDecision> decisions =
        new RemovalPlanner(exclusions)
                .plan(inventory, List.of(ImageMatcher.parse(RemovalPlanner.EVERY_UNUSED_IMAGE)))
                .stream()
                .map(CollectorCommand::asCollected)
                .toList();
    DecisionLog.log(decisions, options.dryRun);
    List<ImageRecord> candidates =
        decisions.stream()
            .filter(d -> d.verdict() == Verdict.COLLECTED)
            .map(d -> ImageRecord.of(d.image()))
            .toList();
    if (options.dryRun) {
      log.info("dry run: {} unused images found, none handed on", candidates.size());
      return decisions;
    }
    handOn(candidates);
    return decisions;
  }

  private static ImageDecision asCollected(ImageDecision decision) {
    return decision.verdict() == Verdict.REMOVED
        ? decision.withOutcome(Verdict.COLLECTED, "unused")
        : decision;
  }

  private void handOn(List<ImageRecord> candidates) throws IOException {
    Pipes pipes = new Pipes(options.sharedDir);
    String next = scanDisabled ? Pipes.SCAN_ERASE : Pipes.COLLECT_SCAN;
    log.info("handing {} unused images to {}", candidates.size(), pipes.path(next));
    pipes.sendImages(next, candidates);
    pipes.awaitComplete(Pipes.ERASE_COMPLETE_COLLECT);
    log.info("the remover has finished");
  }
}
