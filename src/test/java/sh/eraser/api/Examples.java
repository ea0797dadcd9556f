package sh.eraser.api;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;

/** Custom resources with every field set, as the manager would write them. */
final class Examples {

  static final Instant FINISHED = Instant.parse("2026-03-01T10:15:30Z");

  private Examples() {}

  static ImageList imageList(String name) {
    return new ImageList(name, List.of("docker.io/library/alpine:3.19", "sha256:0123abcd", "*"));
  }

  static ImageListStatus finishedImageListStatus() {
    ImageListStatus status = new ImageListStatus();
    status.setTimestamp(FINISHED);
    status.setSuccess(3);
    status.setFailed(1);
    status.setSkipped(2);
    status.setPhase(JobPhase.FAILED);
    status.setLastJob("imagejob-x7k2p");
    status.setObservedGeneration(1L);
    status.setConditions(List.of(condition("Ready", "False", "JobFailed")));
    return status;
  }

  static ImageJob imageJob(String name) {
    ImageJob job = new ImageJob();
    job.getMetadata().setName(name);
    job.getMetadata().getLabels().put(Names.JOB_OWNER_LABEL, Names.JOB_OWNER_IMAGE_LIST);
    return job;
  }

  static ImageJobStatus runningImageJobStatus() {
    ImageJobStatus status = new ImageJobStatus();
    status.setDesired(4);
    status.setSucceeded(1);
    status.setFailed(1);
    status.setSkipped(1);
    status.setPhase(JobPhase.RUNNING);
    status.setDeleteAfter(FINISHED.plusSeconds(600));
    status.setObservedGeneration(1L);
    status.setConditions(List.of(condition("Complete", "False", "PodsRunning")));
    status.setNodes(
        List.of(
            new NodeResult(
                "node-a",
                NodeOutcome.SUCCEEDED,
                2,
                1,
                1,
                0,
                0,
                List.of("alpine:3.19", "redis:7"),
                null),
            new NodeResult(
                "node-b", NodeOutcome.FAILED, 0, 0, 0, 0, 1, List.of(), "remover exited 1"),
            NodeResult.skipped("node-c", "not Ready"),
            NodeResult.pending("node-d")));
    return status;
  }

  static Condition condition(String type, String status, String reason) {
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage("")
        .withLastTransitionTime("2026-03-01T10:15:30Z")
        .withObservedGeneration(1L)
        .build();
  }
}
