package sh.eraser.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.List;

/**
 * What an ImageJob did on one node, taken from the summary that the node's worker containers leave
 * in their termination messages.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record NodeResult(
    @Required @JsonPropertyDescription("Name of the node.") String node,
    @Required
        @JsonPropertyDescription(
            "How the job ended on this node: Pending (worker pod not finished), Succeeded, Failed"
                + " or Skipped (left out by the node filter, not Ready or not schedulable).")
        NodeOutcome result,
    @JsonPropertyDescription("Number of images removed from the node.") int removed,
    @JsonPropertyDescription(
            "Number of images kept because an exclusion list covers one of their names, digests"
                + " or their ID.")
        int excluded,
    @JsonPropertyDescription(
            "Number of images kept because a container, a pod sandbox or the runtime itself uses"
                + " them.")
        int inUse,
    @JsonPropertyDescription("Number of requested images that the node does not have.")
        int notOnNode,
    @JsonPropertyDescription("Number of images whose removal the container runtime refused.")
        int failed,
    @JsonPropertyDescription(
            "Names of the first images removed: at most 10 per node and 500 over the job, fewer"
                + " when the worker's summary had to be cut to fit its termination message."
                + " removed counts them all.")
        List<String> removedImages,
    @JsonPropertyDescription(
            "Why the node failed or was skipped, or what the worker reported; absent when there is"
                + " nothing to add.")
        String message) {

  public NodeResult {
    removedImages = removedImages == null ? List.of() : List.copyOf(removedImages);
  }

  /** The same result naming only {@code names} of the images removed. */
  public NodeResult withRemovedImages(List<String> names) {
    return new NodeResult(
        node, result, removed, excluded, inUse, notOnNode, failed, names, message);
  }

  /** A node whose worker pod has not reported yet. */
  public static NodeResult pending(String node) {
    return new NodeResult(node, NodeOutcome.PENDING, 0, 0, 0, 0, 0, List.of(), null);
  }

  /** A node that the job left out, and why. */
  public static NodeResult skipped(String node, String reason) {
    return new NodeResult(node, NodeOutcome.SKIPPED, 0, 0, 0, 0, 0, List.of(), reason);
  }
}
