package sh.eraser.metrics;

import java.time.Duration;
import java.time.Instant;

/**
 * What the metrics record of a run that has ended: its mode, outcome, length and what its nodes
 * did.
 *
 * @param mode {@value #MANUAL} or {@value #SCHEDULED}
 * @param completed whether the run reached its success ratio
 * @param duration from the ImageJob's creation to the moment its end was handled
 * @param imagesRemoved images removed over all nodes
 * @param ended when the end was handled
 */
public record FinishedRun(
    String mode,
    boolean completed,
    Duration duration,
    int nodesSucceeded,
    int nodesFailed,
    int nodesSkipped,
    long imagesRemoved,
    Instant ended) {

  /** A run of the ImageList. */
  public static final String MANUAL = "manual";

  /** A run started by the timer. */
  public static final String SCHEDULED = "scheduled";

  /** A negative length, from clocks that disagree, counts as zero. */
  public FinishedRun {
    duration = duration.isNegative() ? Duration.ZERO : duration;
  }

  /** {@code completed} or {@code failed}, as the metrics' {@code result} label says it. */
  public String result() {
    return completed ? "completed" : "failed";
  }
}
