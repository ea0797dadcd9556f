package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Instant;
import java.util.Map;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;

/**
 * The ImageJob of one scheduled run: labelled as the timer's, owned by nobody, so that neither an
 * ImageList nor its deletion touches it. Pure; the API calls are {@link ImageJobs}'.
 */
final class ScheduledJob {

  private ScheduledJob() {}

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
