package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.Names;
import sh.eraser.api.NodeOutcome;
import sh.eraser.api.NodeResult;
import sh.eraser.config.EraserConfig.NodeFilter;
import sh.eraser.config.EraserConfig.NodeFilterType;
import sh.eraser.config.LabelSelector;

/**
 * Which nodes of the cluster a job runs on, decided once when it starts. Every node counts towards
 * {@link #desired()}; a node gets a worker pod only if the node filter lets it through and it is a
 * Linux node that is Ready and schedulable. Both lists are sorted by node name.
 *
 * @param selected names of the nodes that get a worker pod
 * @param skipped the other nodes, each with the reason
 */
public record NodeSelection(List<String> selected, List<SkippedNode> skipped) {

  static final String OS_LABEL = "kubernetes.io/os";
  private static final LabelSelector CLEANUP_FILTER =
      LabelSelector.parse(Names.CLEANUP_FILTER_LABEL);

  /** Copies and sorts both lists. */
  public NodeSelection {
    selected = selected.stream().sorted().toList();
    skipped = skipped.stream().sorted(Comparator.comparing(SkippedNode::node)).toList();
  }

  /** A node the job leaves out, and why. */
  public record SkippedNode(String node, String reason) {}

  /** Sorts {@code nodes} into those that get a worker pod and those skipped. */
  public static NodeSelection of(List<Node> nodes, NodeFilter filter) {
    List<LabelSelector> selectors = withCleanupFilter(filter.selectors());
    List<String> selected = new ArrayList<>();
    List<SkippedNode> skipped = new ArrayList<>();
    for (Node node : nodes) {
      String name = node.getMetadata().getName();
      Optional<String> reason = skipReason(node, filter.type(), selectors);
      if (reason.isPresent()) {
        skipped.add(new SkippedNode(name, reason.get()));
      } else {
        selected.add(name);
      }
    }
    return new NodeSelection(selected, skipped);
  }

  /**
   * The selection a job made when it started, read back from its status: Skipped nodes are the
   * skipped ones, every other node listed was selected.
   */
  public static NodeSelection fromStatus(ImageJobStatus status) {
    List<String> selected = new ArrayList<>();
    List<SkippedNode> skipped = new ArrayList<>();
    for (NodeResult result : status.getNodes()) {
      if (result.result() == NodeOutcome.SKIPPED) {
        skipped.add(new SkippedNode(result.node(), result.message()));
      } else {
        selected.add(result.node());
      }
    }
    return new NodeSelection(selected, skipped);
  }

  /** The number of nodes the job was started over, skipped ones included. */
  public int desired() {
    return selected.size() + skipped.size();
  }

  private static List<LabelSelector> withCleanupFilter(List<LabelSelector> selectors) {
    List<LabelSelector> all = new ArrayList<>(selectors);
    if (!all.contains(CLEANUP_FILTER)) {
      all.add(CLEANUP_FILTER);
    }
    return all;
  }

  /** The first reason to leave the node out: the filter, then the node's OS and state. */
  private static Optional<String> skipReason(
      Node node, NodeFilterType type, List<LabelSelector> selectors) {
    Map<String, String> labels =
        Optional.ofNullable(node.getMetadata().getLabels()).orElse(Map.of());
    return filterReason(labels, type, selectors).or(() -> stateReason(node, labels));
  }

  private static Optional<String> filterReason(
      Map<String, String> labels, NodeFilterType type, List<LabelSelector> selectors) {
    Optional<LabelSelector> match = selectors.stream().filter(s -> s.matches(labels)).findFirst();
    if (type == NodeFilterType.EXCLUDE && match.isPresent()) {
      return Optional.of("excluded by the node filter selector \"" + match.get() + "\"");
    }
    if (type == NodeFilterType.INCLUDE && match.isEmpty()) {
      return Optional.of("matches no selector of the include node filter");
    }
    return Optional.empty();
  }

  /**
   * Windows, not Ready or cordoned: a pod bound there would fail or wait until the job's deadline,
   * so the node is skipped rather than counted as failed.
   */
  private static Optional<String> stateReason(Node node, Map<String, String> labels) {
    if (isWindows(node, labels)) {
      return Optional.of("a Windows node: workers run on Linux only");
    }
    Optional<String> notReady = notReady(node);
    if (notReady.isPresent()) {
      return notReady;
    }
    if (node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable())) {
      return Optional.of("unschedulable (cordoned)");
    }
    return Optional.empty();
  }

  private static boolean isWindows(Node node, Map<String, String> labels) {
    if ("windows".equalsIgnoreCase(labels.get(OS_LABEL))) {
      return true;
    }
    return node.getStatus() != null
        && node.getStatus().getNodeInfo() != null
        && "windows".equalsIgnoreCase(node.getStatus().getNodeInfo().getOperatingSystem());
  }

  /** Why the node is not Ready, if it is not; a node without a Ready condition is not Ready. */
  private static Optional<String> notReady(Node node) {
    List<NodeCondition> conditions =
        node.getStatus() == null || node.getStatus().getConditions() == null
            ? List.of()
            : node.getStatus().getConditions();
    Optional<NodeCondition> ready =
        conditions.stream().filter(c -> "Ready".equals(c.getType())).findFirst();
    if (ready.isEmpty()) {
      return Optional.of("not Ready (the node reports no Ready condition)");
    }
    if ("True".equals(ready.get().getStatus())) {
      return Optional.empty();
    }
    String why = ready.get().getReason() == null ? "" : ", " + ready.get().getReason();
    return Optional.of("not Ready (Ready is " + ready.get().getStatus() + why + ")");
  }
}
