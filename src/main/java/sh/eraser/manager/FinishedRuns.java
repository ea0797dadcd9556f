package sh.eraser.manager;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.JobPhase;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.metrics.FinishedRun;

/** What the metrics record of an ImageJob that has just ended. Pure. */
final class FinishedRuns {

  private FinishedRuns() {}

  /**
   * @param mode {@link FinishedRun#MANUAL} or {@link FinishedRun#SCHEDULED}
   * @param judged the status the job ended with
   * @param now when its end is handled
   */
  static FinishedRun of(String mode, ImageJob job, ImageJobStatus judged, Instant now) {
    return new FinishedRun(
        mode,
        judged.getPhase() == JobPhase.COMPLETED,
        Duration.between(created(job, now), now),
        judged.getSucceeded(),
        judged.getFailed(),
        judged.getSkipped(),
        RunEvents.imagesRemoved(judged),
        now);
  }

  /** The job's creation, as the API server recorded it; {@code now} when it cannot be read. */
  private static Instant created(ImageJob job, Instant now) {
    String timestamp = job.getMetadata().getCreationTimestamp();
    if (timestamp == null) {
      return now;
    }
    try {
      return OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException e) {
      return now;
    }
  }
}
