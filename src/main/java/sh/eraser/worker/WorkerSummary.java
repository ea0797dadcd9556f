package sh.eraser.worker;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * What a worker container did, small enough for its Kubernetes termination message (at most 4 KiB)
 * so the manager can report it without reading logs: counts always, image names for the first few.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WorkerSummary(
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

  /** Kubernetes truncates termination messages above 4096 bytes; stay clear of that. */
  public static final int MAX_BYTES = 3800;

  private static final int MAX_ERROR_CHARS = 1500;

  private static final ObjectMapper JSON = new ObjectMapper();

  public static WorkerSummary of(
      String component, String node, boolean dryRun, List<ImageDecision> decisions) {
    Map<Verdict, Integer> counts = new EnumMap<>(Verdict.class);
    for (Verdict verdict : Verdict.values()) {
      counts.put(verdict, 0);
    }
    decisions.forEach(d -> counts.merge(d.verdict(), 1, Integer::sum));
    return new WorkerSummary(
        component,
        node,
        dryRun,
        counts.get(Verdict.REMOVED),
        counts.get(Verdict.COLLECTED),
        counts.get(Verdict.EXCLUDED),
        counts.get(Verdict.IN_USE),
        counts.get(Verdict.NOT_ON_NODE),
        counts.get(Verdict.FAILED),
        names(decisions, Verdict.REMOVED),
        names(decisions, Verdict.FAILED),
        null,
        null);
  }

  public static WorkerSummary failure(String component, String node, boolean dryRun, String error) {
    String bounded =
        error.length() > MAX_ERROR_CHARS ? error.substring(0, MAX_ERROR_CHARS) + "…" : error;
    return new WorkerSummary(
        component, node, dryRun, 0, 0, 0, 0, 0, 0, List.of(), List.of(), null, bounded);
  }

  private static List<String> names(List<ImageDecision> decisions, Verdict verdict) {
    return decisions.stream()
        .filter(d -> d.verdict() == verdict)
        .map(ImageDecision::displayName)
        .toList();
  }

  /** The JSON for the termination message, dropping image names from the end until it fits. */
  public String toBoundedJson() {
    List<String> removed = new ArrayList<>(removedImages);
    List<String> failedNames = new ArrayList<>(failedImages);
    int dropped = 0;
    while (true) {
      WorkerSummary bounded =
          new WorkerSummary(
              component,
              node,
              dryRun,
              this.removed,
              collected,
              excluded,
              inUse,
              notOnNode,
              failed,
              removed,
              failedNames,
              dropped == 0 ? null : dropped,
              error);
      String json = bounded.json();
      boolean fits = json.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES;
      if (fits || (removed.isEmpty() && failedNames.isEmpty())) {
        return json;
      }
      List<String> shorter = removed.isEmpty() ? failedNames : removed;
      shorter.remove(shorter.size() - 1);
      dropped++;
    }
  }

  private String json() {
    try {
      return JSON.writeValueAsString(this);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a worker summary", e);
    }
  }
}
