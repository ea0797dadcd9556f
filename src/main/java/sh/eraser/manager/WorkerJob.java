package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.List;

/**
 * What every worker pod of one ImageJob shares.
 *
 * @param owner reference to the ImageJob, so that deleting the job deletes its pods
 * @param namespace the manager's namespace, where worker pods and ConfigMaps live
 * @param mode manual (ImageList) or scheduled
 * @param exclusionConfigMaps names of the exclusion-list ConfigMaps found when the job started;
 *     kept sorted and without repeats
 */
public record WorkerJob(
    OwnerReference owner, String namespace, WorkerMode mode, List<String> exclusionConfigMaps) {

  /** Checks that the owner names the job, and orders the exclusion lists. */
  public WorkerJob {
    if (owner == null || owner.getName() == null || owner.getName().isBlank()) {
      throw new IllegalArgumentException("the owner reference must name the ImageJob");
    }
    if (namespace == null || namespace.isBlank()) {
      throw new IllegalArgumentException("worker pods need a namespace");
    }
    exclusionConfigMaps = exclusionConfigMaps.stream().distinct().sorted().toList();
  }

  /** The ImageJob's name. */
  public String jobName() {
    return owner.getName();
  }
}
