package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;

/**
 * What every worker pod of one ImageJob shares.
 *
 * @param jobName the ImageJob's name, which labels every pod
 * @param owner the owner of every pod: the manager's Deployment when it has one, else the ImageJob
 * @param namespace the manager's namespace, where worker pods and ConfigMaps live
 * @param mode manual (ImageList) or scheduled
 * @param exclusionConfigMaps names of the exclusion-list ConfigMaps found when the job started;
 *     kept sorted and without repeats
 */
public record WorkerJob(
    String jobName,
    OwnerReference owner,
    String namespace,
    WorkerMode mode,
    List<String> exclusionConfigMaps) {

  /** Checks that the job is named and owned, and orders the exclusion lists. */
  public WorkerJob {
    if (jobName == null || jobName.isBlank()) {
      throw new IllegalArgumentException("worker pods need the name of their ImageJob");
    }
    if (owner == null || owner.getName() == null || owner.getName().isBlank()) {
      throw new IllegalArgumentException("the owner reference must name the owner");
    }
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("worker pods need a namespace");
    }
    exclusionConfigMaps = exclusionConfigMaps.stream().distinct().sorted().toList();
  }

  /** The pods of the job that {@code jobOwner} names, owned by that job. */
  public WorkerJob(
      OwnerReference jobOwner,
      String namespace,
      WorkerMode mode,
      List<String> exclusionConfigMaps) {
    this(
        jobOwner == null ? null : jobOwner.getName(),
        jobOwner,
        namespace,
        mode,
        exclusionConfigMaps);
  }
}
