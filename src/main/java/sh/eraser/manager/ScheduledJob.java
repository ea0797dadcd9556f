package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.InvalidConfigException;
import sh.eraser.config.ScannerConfig;

/**
 * The ImageJob of one scheduled run: labelled as the timer's, owned by nobody, so that neither an
 * ImageList nor its deletion touches it. Pure; the API calls are {@link ImageJobs}'.
 */
final class ScheduledJob {

  private ScheduledJob() {}

  /**
   * How long a scheduled run waits for its worker pods: the manual run's deadline, plus the
   * scanner's whole budget ({@code timeout.total}) when the scanner runs, so that a scan the
   * configuration allows is not cut short.
   */
  static Duration runDeadline(EraserConfig config) {
    if (!config.components().scanner().enabled()) {
      return ManualJob.RUN_DEADLINE;
    }
    return ManualJob.RUN_DEADLINE.plus(scanner(config).timeout().total());
  }

  private static ScannerConfig scanner(EraserConfig config) {
    String document = config.components().scanner().config();
    if (document == null || document.isBlank()) {
      return ScannerConfig.DEFAULTS;
    }
    try {
      return ScannerConfig.parse(document).config();
    } catch (InvalidConfigException e) {
      // The loader has checked the document already; this keeps a run from failing to start.
      return ScannerConfig.DEFAULTS;
    }
  }

  /** The ImageJob of a scheduled run whose pods are waited for until {@code deadline}. */
  static ImageJob imageJob(Instant deadline) {
    ImageJob job = new ImageJob();
    job.setMetadata(
        new ObjectMetaBuilder()
            .withGenerateName(ManualJob.JOB_GENERATE_NAME)
            .withLabels(Map.of(Names.JOB_OWNER_LABEL, Names.JOB_OWNER_COLLECTOR))
            .withAnnotations(Map.of(ManualJob.DEADLINE_ANNOTATION, deadline.toString()))
            .build());
    return job;
  }
}
