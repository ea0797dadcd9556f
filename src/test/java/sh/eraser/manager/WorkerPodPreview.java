package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import sh.eraser.config.EraserConfig;

/**
 * The worker pod the manager would create on a node for a configuration, for tests outside this
 * package (the chart's) that check what a rendered configuration leads to.
 */
public final class WorkerPodPreview {

  private WorkerPodPreview() {}

  /** The pod of a manual run, with the exclusion ConfigMaps named. */
  public static Pod manual(EraserConfig config, String namespace, List<String> exclusions) {
    return new WorkerPodBuilder(
            config, job(new WorkerMode.Manual("imagelist-abcde"), namespace, exclusions))
        .podFor("node-1");
  }

  /** The pod of a scheduled run, with the exclusion ConfigMaps named. */
  public static Pod scheduled(EraserConfig config, String namespace, List<String> exclusions) {
    return new WorkerPodBuilder(config, job(new WorkerMode.Scheduled(), namespace, exclusions))
        .podFor("node-1");
  }

  private static WorkerJob job(WorkerMode mode, String namespace, List<String> exclusions) {
    return new WorkerJob(
        new OwnerReferenceBuilder()
            .withApiVersion("eraser.sh/v1")
            .withKind("ImageJob")
            .withName("imagejob-abcde")
            .withUid("6f1c2d3e-0000-4000-8000-000000000001")
            .withController(true)
            .build(),
        namespace,
        mode,
        exclusions);
  }
}
