package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.LinkedHashMap;
import java.util.Map;
import sh.eraser.api.Names;
import sh.eraser.config.EraserConfig;

/** The labels the manager puts on worker pods, and the keys it finds them by. */
public final class Labels {

  /** Label on a worker pod naming the ImageJob it works for. */
  public static final String JOB_NAME_LABEL = "eraser.sh/job-name";

  private Labels() {}

  /**
   * The labels of one worker pod: the configured {@code manager.additionalPodLabels}, then the mode
   * and the job, which win over a configured label of the same key.
   */
  public static Map<String, String> workerPod(
      EraserConfig config, WorkerMode mode, String jobName) {
    Map<String, String> labels = new LinkedHashMap<>(config.manager().additionalPodLabels());
    labels.put(Names.TYPE_LABEL, mode.typeLabel());
    labels.put(JOB_NAME_LABEL, jobName);
    return labels;
  }

  /** The job named by an object's {@value #JOB_NAME_LABEL} label. */
  public static String jobName(HasMetadata object) {
    return object.getMetadata().getLabels().get(JOB_NAME_LABEL);
  }

  /** The labels that select the worker pods of one job. */
  public static Map<String, String> jobSelector(String jobName) {
    return Map.of(JOB_NAME_LABEL, jobName);
  }
}
