package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.JobPhase;
import sh.eraser.api.NodeOutcome;
import sh.eraser.api.NodeResult;
import sh.eraser.manager.NodeSelection.SkippedNode;

/**
 * Decides where an ImageJob stands from its worker pods: Running while a selected node's pod has
 * not finished and the deadline has not passed; then Completed when the fraction of nodes that
 * succeeded or were skipped reaches the success ratio, Failed otherwise. A job never waits past its
 * deadline: a pod still unfinished then counts as failed.
 */
public final class JobJudge {

  /** Image names a node's result keeps; its count of removed images is always whole. */
  static final int MAX_NODE_IMAGE_NAMES = 10;

  /**
   * Image names the job's status keeps over all nodes, in node order. Each node's names come from
   * its worker's termination message (up to 4 KiB), so without a bound a large cluster's status
   * would outgrow what the API server stores in one object (about 1.5 MiB in etcd).
   */
  static final int MAX_JOB_IMAGE_NAMES = 500;

  private final double successRatio;
  private final Instant deadline;

  /**
   * @param successRatio the fraction of nodes, 0 to 1, that must succeed or be skipped
   * @param deadline when unfinished pods stop being waited for
   */
  public JobJudge(double successRatio, Instant deadline) {
    if (!(successRatio >= 0 && successRatio <= 1)) {
      throw new IllegalArgumentException("successRatio " + successRatio + " is not in 0..1");
    }
    this.successRatio = successRatio;
    this.deadline = deadline;
  }

  /**
   * The job's status at {@code now}: phase, counts and one result per node, sorted by node. Leaves
   * deleteAfter, conditions and observedGeneration unset for the caller.
   *
   * @param selection the nodes chosen when the job started
   * @param pods the job's worker pods; pods on nodes not selected are ignored, and of several pods
   *     on one node the newest counts
   */
  public ImageJobStatus judge(NodeSelection selection, List<Pod> pods, Instant now) {
    boolean deadlinePassed = !now.isBefore(deadline);
    Map<String, Pod> podByNode = newestPodPerNode(pods);
    List<NodeResult> results = new ArrayList<>();
    for (String node : selection.selected()) {
      Pod pod = podByNode.get(node);
      results.add(
          pod == null
              ? WorkerPodReader.missing(node, deadlinePassed)
              : WorkerPodReader.read(node, pod, deadlinePassed));
    }
    for (SkippedNode skipped : selection.skipped()) {
      results.add(NodeResult.skipped(skipped.node(), skipped.reason()));
    }
    results.sort(Comparator.comparing(NodeResult::node));
    return status(selection, boundNames(results));
  }

  /** Keeps the first names of each node, and of the job, so that the status stays small. */
  private static List<NodeResult> boundNames(List<NodeResult> results) {
    List<NodeResult> bounded = new ArrayList<>(results.size());
    int budget = MAX_JOB_IMAGE_NAMES;
    for (NodeResult result : results) {
      List<String> names = result.removedImages();
      int keep = Math.min(names.size(), Math.min(MAX_NODE_IMAGE_NAMES, budget));
      budget -= keep;
      bounded.add(keep == names.size() ? result : result.withRemovedImages(names.subList(0, keep)));
    }
    return bounded;
  }

  private ImageJobStatus status(NodeSelection selection, List<NodeResult> results) {
    ImageJobStatus status = new ImageJobStatus();
    status.setDesired(selection.desired());
    status.setSkipped(selection.skipped().size());
    status.setSucceeded(count(results, NodeOutcome.SUCCEEDED));
    status.setFailed(count(results, NodeOutcome.FAILED));
    status.setNodes(results);
    status.setPhase(phase(status, count(results, NodeOutcome.PENDING)));
    return status;
  }

  /**
   * The fraction is computed in floating point; dividing rather than multiplying the ratio keeps an
   * exact fraction such as 7/10 equal to a configured 0.7.
   */
  private JobPhase phase(ImageJobStatus status, int pending) {
    if (pending > 0) {
      return JobPhase.RUNNING;
    }
    if (status.getDesired() == 0) {
      return JobPhase.COMPLETED;
    }
    double fraction = (double) (status.getSucceeded() + status.getSkipped()) / status.getDesired();
    return fraction >= successRatio ? JobPhase.COMPLETED : JobPhase.FAILED;
  }

  private static int count(List<NodeResult> results, NodeOutcome outcome) {
    return (int) results.stream().filter(r -> r.result() == outcome).count();
  }

  private static Map<String, Pod> newestPodPerNode(List<Pod> pods) {
    Map<String, Pod> byNode = new HashMap<>();
    for (Pod pod : pods) {
      String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
      if (node != null) {
        byNode.merge(node, pod, (a, b) -> created(b).isBefore(created(a)) ? a : b);
      }
    }
    return byNode;
  }

  private static Instant created(Pod pod) {
    String timestamp = pod.getMetadata() == null ? null : pod.getMetadata().getCreationTimestamp();
    if (timestamp == null) {
      return Instant.MIN;
    }
    try {
      return OffsetDateTime.parse(timestamp).toInstant();
    } catch (DateTimeParseException e) {
      return Instant.MIN;
    }
  }
}
