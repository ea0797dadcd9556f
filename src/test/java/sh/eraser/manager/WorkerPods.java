package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Worker pods as the API server reports them, with the status a kubelet would write. */
final class WorkerPods {

  /** A summary exactly as the remover writes it. */
  static final String REMOVER_SUMMARY =
      "{\"component\":\"remover\",\"node\":\"node-1\",\"dryRun\":false,\"removed\":3,"
          + "\"collected\":0,\"excluded\":1,\"inUse\":2,\"notOnNode\":1,\"failed\":0,"
          + "\"removedImages\":[\"docker.io/library/alpine:3.7.3\",\"docker.io/library/nginx:1.25\","
          + "\"docker.io/library/redis:7.2\"],\"failedImages\":[]}";

  /** A summary exactly as the collector writes it. */
  static final String COLLECTOR_SUMMARY =
      "{\"component\":\"collector\",\"node\":\"node-1\",\"dryRun\":false,\"removed\":0,"
          + "\"collected\":3,\"excluded\":4,\"inUse\":5,\"notOnNode\":0,\"failed\":0,"
          + "\"removedImages\":[],\"failedImages\":[]}";

  /** A failure summary exactly as a worker writes it before exiting 1. */
  static final String REMOVER_FAILURE =
      "{\"component\":\"remover\",\"node\":\"node-1\",\"dryRun\":false,\"removed\":0,"
          + "\"collected\":0,\"excluded\":0,\"inUse\":0,\"notOnNode\":0,\"failed\":0,"
          + "\"removedImages\":[],\"failedImages\":[],"
          + "\"error\":\"cannot reach the runtime at unix:///run/cri/cri.sock: connection refused\"}";

  /** A remover's summary naming every image it removed, {@code docker.io/team/app:<i>}. */
  static String removerSummary(String node, int removed) {
    String names =
        IntStream.range(0, removed)
            .mapToObj(i -> "\"docker.io/team/app:" + i + "\"")
            .collect(Collectors.joining(","));
    return "{\"component\":\"remover\",\"node\":\""
        + node
        + "\",\"dryRun\":false,\"removed\":"
        + removed
        + ",\"collected\":0,\"excluded\":0,\"inUse\":0,\"notOnNode\":0,\"failed\":0,"
        + "\"removedImages\":["
        + names
        + "],\"failedImages\":[]}";
  }

  private final String node;
  private String phase = "Pending";
  private String created = "2024-05-01T10:00:00Z";
  private String reason;
  private String message;
  private final List<ContainerStatus> containers = new ArrayList<>();

  private WorkerPods(String node) {
    this.node = node;
  }

  static WorkerPods on(String node) {
    return new WorkerPods(node);
  }

  /** A manual-mode pod whose remover exited 0 with its summary. */
  static Pod succeeded(String node) {
    return on(node).phase("Succeeded").terminated("remover", 0, null, REMOVER_SUMMARY).build();
  }

  /** A manual-mode pod whose remover exited 1 with a failure summary. */
  static Pod failed(String node) {
    return on(node).phase("Failed").terminated("remover", 1, "Error", REMOVER_FAILURE).build();
  }

  WorkerPods phase(String phase) {
    this.phase = phase;
    return this;
  }

  WorkerPods created(String timestamp) {
    this.created = timestamp;
    return this;
  }

  WorkerPods podReason(String reason, String message) {
    this.reason = reason;
    this.message = message;
    return this;
  }

  WorkerPods terminated(String container, int exitCode, String reason, String message) {
    containers.add(
        new ContainerStatusBuilder()
            .withName(container)
            .withNewState()
            .withNewTerminated()
            .withExitCode(exitCode)
            .withReason(reason == null ? (exitCode == 0 ? "Completed" : "Error") : reason)
            .withMessage(message)
            .endTerminated()
            .endState()
            .build());
    return this;
  }

  WorkerPods running(String container) {
    containers.add(
        new ContainerStatusBuilder()
            .withName(container)
            .withNewState()
            .withNewRunning()
            .withStartedAt("2024-05-01T10:00:05Z")
            .endRunning()
            .endState()
            .build());
    return this;
  }

  WorkerPods waiting(String container, String reason) {
    containers.add(
        new ContainerStatusBuilder()
            .withName(container)
            .withNewState()
            .withNewWaiting()
            .withReason(reason)
            .endWaiting()
            .endState()
            .build());
    return this;
  }

  Pod build() {
    return new PodBuilder()
        .withNewMetadata()
        .withGenerateName(WorkerNames.podGenerateName(node))
        .withName(WorkerNames.podGenerateName(node) + "abcde")
        .withCreationTimestamp(created)
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .endSpec()
        .withNewStatus()
        .withPhase(phase)
        .withReason(reason)
        .withMessage(message)
        .withContainerStatuses(containers)
        .endStatus()
        .build();
  }
}
