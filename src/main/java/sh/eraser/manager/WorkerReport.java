package sh.eraser.manager;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The summary a worker container leaves in its termination message, as the manager reads it: the
 * same JSON fields the workers write. Unknown fields are ignored, so workers may add some.
 *
 * @param component which worker wrote it: collector or remover
 * @param dryRun whether the worker only decided and removed nothing
 * @param moreImages how many image names were cut from the lists to fit the message; may be null
 * @param error why the worker stopped, if it failed; null otherwise
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record WorkerReport(
    String component,
    String node,
    boolean dryRun,
    int removed,
    int collected,
    int excluded,
    int inUse,
    int notOnNode,
    int failed,
    List<String> removedImages,
    List<String> failedImages,
    Integer moreImages,
    String error) {

  /** Kubernetes keeps at most this much of a termination message. */
  public static final int MAX_MESSAGE_BYTES = 4096;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /** Copies the lists; a missing list is empty. */
  public WorkerReport {
    removedImages = removedImages == null ? List.of() : List.copyOf(removedImages);
    failedImages = failedImages == null ? List.of() : List.copyOf(failedImages);
  }

  /**
   * Reads a termination message.
   *
   * @throws IllegalArgumentException saying why the message is not a summary: empty, larger than
   *     Kubernetes keeps (so possibly cut), not JSON, or not a JSON object
   */
  public static WorkerReport parse(String message) {
    if (message == null || message.isBlank()) {
      throw new IllegalArgumentException("the termination message is empty");
    }
    int bytes = message.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_MESSAGE_BYTES) {
      throw new IllegalArgumentException(
          "the termination message is "
              + bytes
              + " bytes, over the "
              + MAX_MESSAGE_BYTES
              + " bytes Kubernetes keeps");
    }
    try {
      JsonNode tree = JSON.readTree(message);
      if (!tree.isObject()) {
        throw new IllegalArgumentException("the termination message is JSON but not an object");
      }
      return JSON.treeToValue(tree, WorkerReport.class);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "the termination message is not a worker summary: " + e.getOriginalMessage(), e);
    }
  }
}
