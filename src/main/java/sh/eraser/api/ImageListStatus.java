package sh.eraser.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of the last removal run for an ImageList: the upstream counters plus phase,
 * conditions and the job that ran.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageListStatus {

  @JsonPropertyDescription("When the last run finished and these counts were written.")
  private Instant timestamp;

  @JsonPropertyDescription("Number of nodes where the last run succeeded.")
  private long success;

  @JsonPropertyDescription(
      "Number of nodes where the last run failed or did not finish before its deadline.")
  private long failed;

  @JsonPropertyDescription(
      "Number of nodes the last run left out: excluded by the node filter, not Ready or not"
          + " schedulable.")
  private long skipped;

  @JsonPropertyDescription(
      "Number of images the last run removed, over all nodes; the run's Events and its"
          + " ImageJob name them node by node.")
  private Long removed;

  @JsonPropertyDescription(
      "Phase of the last run: Running, Completed or Failed; absent before the first run.")
  private JobPhase phase;

  @JsonPropertyDescription("Name of the ImageJob of the last run.")
  private String lastJob;

  @JsonPropertyDescription(
      "metadata.generation of the ImageList that the last run acted on; when it is behind"
          + " metadata.generation, an edit is waiting for the next run.")
  private Long observedGeneration;

  @SchemaFrom(type = ConditionsSchema.class)
  @JsonPropertyDescription(
      "Observations of the ImageList's state in the standard Kubernetes form, at most one per"
          + " type.")
  private List<Condition> conditions = new ArrayList<>();

  public Instant getTimestamp() {
    return timestamp;
  }

  public void setTimestamp(Instant timestamp) {
    this.timestamp = timestamp;
  }

  public long getSuccess() {
    return success;
  }

  public void setSuccess(long success) {
    this.success = success;
  }

  public long getFailed() {
    return failed;
  }

  public void setFailed(long failed) {
    this.failed = failed;
  }

  public long getSkipped() {
    return skipped;
  }

  public void setSkipped(long skipped) {
    this.skipped = skipped;
  }

  public Long getRemoved() {
    return removed;
  }

  public void setRemoved(Long removed) {
    this.removed = removed;
  }

  public JobPhase getPhase() {
    return phase;
  }

  public void setPhase(JobPhase phase) {
    this.phase = phase;
  }

  public String getLastJob() {
    return lastJob;
  }

  public void setLastJob(String lastJob) {
    this.lastJob = lastJob;
  }

  public Long getObservedGeneration() {
    return observedGeneration;
  }

  public void setObservedGeneration(Long observedGeneration) {
    this.observedGeneration = observedGeneration;
  }

  public List<Condition> getConditions() {
    return conditions;
  }

  public void setConditions(List<Condition> conditions) {
    this.conditions = conditions == null ? new ArrayList<>() : new ArrayList<>(conditions);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageListStatus other
        && Objects.equals(timestamp, other.timestamp)
        && success == other.success
        && failed == other.failed
        && skipped == other.skipped
        && Objects.equals(removed, other.removed)
        && phase == other.phase
        && Objects.equals(lastJob, other.lastJob)
        && Objects.equals(observedGeneration, other.observedGeneration)
        && conditions.equals(other.conditions);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        timestamp,
        success,
        failed,
        skipped,
        removed,
        phase,
        lastJob,
        observedGeneration,
        conditions);
  }

  @Override
  public String toString() {
    return "ImageListStatus{phase="
        + phase
        + ", success="
        + success
        + ", failed="
        + failed
        + ", skipped="
        + skipped
        + ", removed="
        + removed
        + ", timestamp="
        + timestamp
        + ", lastJob="
        + lastJob
        + ", observedGeneration="
        + observedGeneration
        + ", conditions="
        + conditions
        + "}";
  }
}
