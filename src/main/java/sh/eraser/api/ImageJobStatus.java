package sh.eraser.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.SchemaFrom;
import io.fabric8.generator.annotation.Required;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Progress and outcome of one ImageJob: node counts, phase and a result per node. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageJobStatus {

  @Required
  @JsonPropertyDescription(
      "Number of nodes in the cluster when the job started, skipped nodes included.")
  private int desired;

  @Required
  @JsonPropertyDescription("Number of nodes whose worker pod succeeded.")
  private int succeeded;

  @Required
  @JsonPropertyDescription(
      "Number of nodes whose worker pod failed or had not finished by the job's deadline.")
  private int failed;

  @Required
  @JsonPropertyDescription(
      "Number of nodes left out: excluded by the node filter, not Ready or not schedulable.")
  private int skipped;

  @Required
  @JsonPropertyDescription(
      "Where the job is: empty when just created, then Running, then Completed or Failed (fewer"
          + " nodes succeeded or were skipped than the success ratio asks for).")
  private JobPhase phase = JobPhase.NEW;

  @JsonPropertyDescription(
      "Earliest time the finished job may be deleted; set when the job is judged.")
  private Instant deleteAfter;

  @JsonPropertyDescription("metadata.generation of the ImageJob when this status was written.")
  private Long observedGeneration;

  @SchemaFrom(type = ConditionsSchema.class)
  @JsonPropertyDescription(
      "Observations of the job's state in the standard Kubernetes form, at most one per type.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Result for every node counted in desired, one entry per node.")
  private List<NodeResult> nodes = new ArrayList<>();

  public int getDesired() {
    return desired;
  }

  public void setDesired(int desired) {
    this.desired = desired;
  }

  public int getSucceeded() {
    return succeeded;
  }

  public void setSucceeded(int succeeded) {
    this.succeeded = succeeded;
  }

  public int getFailed() {
    return failed;
  }

  public void setFailed(int failed) {
    this.failed = failed;
  }

  public int getSkipped() {
    return skipped;
  }

  public void setSkipped(int skipped) {
    this.skipped = skipped;
  }

  public JobPhase getPhase() {
    return phase;
  }

  public void setPhase(JobPhase phase) {
    this.phase = phase == null ? JobPhase.NEW : phase;
  }

  public Instant getDeleteAfter() {
    return deleteAfter;
  }

  public void setDeleteAfter(Instant deleteAfter) {
    this.deleteAfter = deleteAfter;
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

  public List<NodeResult> getNodes() {
    return nodes;
  }

  public void setNodes(List<NodeResult> nodes) {
    this.nodes = nodes == null ? new ArrayList<>() : new ArrayList<>(nodes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageJobStatus other
        && desired == other.desired
        && succeeded == other.succeeded
        && failed == other.failed
        && skipped == other.skipped
        && phase == other.phase
        && Objects.equals(deleteAfter, other.deleteAfter)
        && Objects.equals(observedGeneration, other.observedGeneration)
        && conditions.equals(other.conditions)
        && nodes.equals(other.nodes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        desired,
        succeeded,
        failed,
        skipped,
        phase,
        deleteAfter,
        observedGeneration,
        conditions,
        nodes);
  }

  @Override
  public String toString() {
    return "ImageJobStatus{phase="
        + phase
        + ", desired="
        + desired
        + ", succeeded="
        + succeeded
        + ", failed="
        + failed
        + ", skipped="
        + skipped
        + ", deleteAfter="
        + deleteAfter
        + ", observedGeneration="
        + observedGeneration
        + ", conditions="
        + conditions
        + ", nodes="
        + nodes
        + "}";
  }
}
