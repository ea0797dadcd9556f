package sh.eraser.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where an ImageJob is in its life; an ImageList shows the phase of its last job. */
public enum JobPhase {
  /** Created, no worker pod started yet. Serialised as the empty string, as upstream does. */
  @JsonProperty("")
  NEW,
  @JsonProperty("Running")
  RUNNING,
  @JsonProperty("Completed")
  COMPLETED,
  @JsonProperty("Failed")
  FAILED;

  /** Whether the job has been judged and no longer changes. */
  public boolean isFinished() {
    return this == COMPLETED || this == FAILED;
  }
}
