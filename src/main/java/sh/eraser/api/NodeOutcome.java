package sh.eraser.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How an ImageJob ended on one node. */
public enum NodeOutcome {
  /** The worker pod has not finished yet. */
  @JsonProperty("Pending")
  PENDING,
  /** Every container of the worker pod exited 0. */
  @JsonProperty("Succeeded")
  SUCCEEDED,
  /** A container failed, or the pod had not finished by the job's deadline. */
  @JsonProperty("Failed")
  FAILED,
  /** The node filter left the node out, or the node was not Ready or not schedulable. */
  @JsonProperty("Skipped")
  SKIPPED
}
