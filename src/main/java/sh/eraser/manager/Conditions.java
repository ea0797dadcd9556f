package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Status conditions in the standard Kubernetes form, at most one per type. */
final class Conditions {

  static final String TRUE = "True";

  private Conditions() {}

  /** A condition observed now on the given generation. */
  static Condition of(String type, String status, String reason, String message, long generation) {
    return of(type, status, reason, message, generation, Instant.now());
  }

  /** A condition observed at {@code at} on the given generation. */
  static Condition of(
      String type, String status, String reason, String message, long generation, Instant at) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(time(at))
        .build();
  }

  /**
   * The conditions with {@code condition} in place of any of the same type. The earlier
   * lastTransitionTime is kept when the status did not change, as Kubernetes conventions ask.
   */
  static List<Condition> with(List<Condition> conditions, Condition condition) {
    List<Condition> result = new ArrayList<>();
    Condition added = condition;
    for (Condition existing : conditions) {
      if (!existing.getType().equals(condition.getType())) {
        result.add(existing);
      } else if (existing.getStatus().equals(condition.getStatus())) {
        added =
            new ConditionBuilder(condition)
                .withLastTransitionTime(existing.getLastTransitionTime())
                .build();
      }
    }
    result.add(added);
    return result;
  }

  /** Whether {@code conditions} already holds {@code condition}, whenever it was set. */
  static boolean holds(List<Condition> conditions, Condition condition) {
    return conditions.stream()
        .anyMatch(
            c ->
                c.getType().equals(condition.getType())
                    && c.getStatus().equals(condition.getStatus())
                    && Objects.equals(c.getReason(), condition.getReason())
                    && Objects.equals(c.getMessage(), condition.getMessage())
                    && Objects.equals(
                        c.getObservedGeneration(), condition.getObservedGeneration()));
  }

  // RFC 3339 in whole seconds, as Kubernetes writes condition times.
  private static String time(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
