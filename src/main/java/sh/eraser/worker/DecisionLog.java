package sh.eraser.worker;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * Writes one structured log line per image decision, so that {@code kubectl logs} on a worker
 * container answers what happened to which image and why.
 */
final class DecisionLog {

  private static final Logger log = LoggerFactory.getLogger(DecisionLog.class);

  private DecisionLog() {}

  static void log(List<ImageDecision> decisions, boolean dryRun) {
    decisions.forEach(d -> log(d, dryRun));
  }

  static void log(ImageDecision decision, boolean dryRun) {
    Level level = decision.verdict() == Verdict.FAILED ? Level.WARN : Level.INFO;
    String verb = decision.verdict().label();
    if (dryRun && decision.verdict() == Verdict.REMOVED) {
      verb = "would remove";
    }
    var line =
        log.atLevel(level)
            .addKeyValue("decision", decision.verdict().label())
            .addKeyValue("requested", decision.requested())
            .addKeyValue("reason", decision.reason());
    if (decision.image() != null) {
      line =
          line.addKeyValue("imageId", decision.image().id())
              .addKeyValue("names", decision.image().tags())
              .addKeyValue("digests", decision.image().digests());
    }
    if (dryRun) {
      line = line.addKeyValue("dryRun", true);
    }
    line.log("{} {}: {}", verb, decision.displayName(), decision.reason());
  }
}
