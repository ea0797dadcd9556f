package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import sh.eraser.api.NodeOutcome;
import sh.eraser.api.NodeResult;

/**
 * Reads what one worker pod did on its node from the pod's status: the outcome from its phase and
 * exit codes, the counts from the summaries its containers left in their termination messages.
 *
 * <p>Counts are added up over the collector and the remover. They count different images: the
 * collector counts every image on the node and hands on only the unused ones, and the remover
 * counts only those it was handed, some of which may have come into use meanwhile.
 */
final class WorkerPodReader {

  /** The containers that write a summary; a scanner, possibly a third party's, may not. */
  private static final Set<String> REPORTING = Set.of(WorkerNames.COLLECTOR, WorkerNames.REMOVER);

  private static final String OOM_KILLED = "OOMKilled";

  private WorkerPodReader() {}

  /**
   * The node's result from its worker pod.
   *
   * @param deadlinePassed whether the job's deadline has passed, so that an unfinished pod counts
   *     as failed
   */
  static NodeResult read(String node, Pod pod, boolean deadlinePassed) {
    String phase = phase(pod);
    List<ContainerStatus> statuses = containerStatuses(pod);
    Tally tally = new Tally();
    statuses.forEach(tally::addContainer);
    NodeOutcome outcome = outcome(phase, statuses, deadlinePassed);
    if (outcome == NodeOutcome.FAILED && !finished(phase) && !anyFailed(statuses)) {
      tally.note("not finished by the job's deadline (pod " + phase + ")");
      statuses.forEach(tally::addWaiting);
    }
    String reason = pod.getStatus() == null ? null : pod.getStatus().getReason();
    if ("Failed".equals(phase) && reason != null) {
      String detail = pod.getStatus().getMessage();
      tally.note("pod " + reason + (detail == null ? "" : ": " + detail));
    }
    return tally.result(node, outcome);
  }

  /** The result of a selected node that has no worker pod. */
  static NodeResult missing(String node, boolean deadlinePassed) {
    if (!deadlinePassed) {
      return NodeResult.pending(node);
    }
    Tally tally = new Tally();
    tally.note("no worker pod by the job's deadline");
    return tally.result(node, NodeOutcome.FAILED);
  }

  /**
   * Succeeded or Failed as the pod's phase says; Failed as soon as any container exits non-zero,
   * since the others of a pipeline may then wait forever; Failed when still unfinished at the
   * deadline; Pending otherwise.
   */
  private static NodeOutcome outcome(
      String phase, List<ContainerStatus> statuses, boolean deadlinePassed) {
    if ("Succeeded".equals(phase)) {
      return NodeOutcome.SUCCEEDED;
    }
    if ("Failed".equals(phase) || anyFailed(statuses) || deadlinePassed) {
      return NodeOutcome.FAILED;
    }
    return NodeOutcome.PENDING;
  }

  private static boolean finished(String phase) {
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static boolean anyFailed(List<ContainerStatus> statuses) {
    return statuses.stream()
        .map(WorkerPodReader::terminated)
        .anyMatch(t -> t != null && t.getExitCode() != null && t.getExitCode() != 0);
  }

  private static String phase(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return phase == null ? "Pending" : phase;
  }

  private static List<ContainerStatus> containerStatuses(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return List.of();
    }
    return pod.getStatus().getContainerStatuses();
  }

  private static ContainerStateTerminated terminated(ContainerStatus status) {
    ContainerState state = status.getState();
    return state == null ? null : state.getTerminated();
  }

  /** Counts and notes gathered over a pod's containers. */
  private static final class Tally {
    private int removed;
    private int excluded;
    private int inUse;
    private int notOnNode;
    private int failed;
    private final List<String> removedImages = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    void addContainer(ContainerStatus status) {
      ContainerStateTerminated terminated = terminated(status);
      if (terminated == null) {
        return;
      }
      String name = status.getName();
      int exitCode = terminated.getExitCode() == null ? 0 : terminated.getExitCode();
      if (OOM_KILLED.equals(terminated.getReason())) {
        note(name + ": " + OOM_KILLED);
      } else if (REPORTING.contains(name)) {
        addReport(name, terminated.getMessage(), exitCode);
      } else if (exitCode != 0) {
        note(name + ": " + exited(terminated));
      }
    }

    private void addReport(String container, String message, int exitCode) {
      WorkerReport report;
      try {
        report = WorkerReport.parse(message);
      } catch (IllegalArgumentException e) {
        String exit = exitCode == 0 ? "" : "exited " + exitCode + ", ";
        note(container + ": " + exit + "no summary: " + e.getMessage());
        return;
      }
      add(report);
      if (report.error() != null) {
        note(container + ": " + report.error());
      }
      if (report.collected() > 0) {
        note(container + ": " + report.collected() + " unused images collected");
      }
      if (report.dryRun()) {
        note("dry run: nothing removed");
      }
    }

    private void add(WorkerReport report) {
      removed += report.removed();
      excluded += report.excluded();
      inUse += report.inUse();
      notOnNode += report.notOnNode();
      failed += report.failed();
      removedImages.addAll(report.removedImages());
    }

    void addWaiting(ContainerStatus status) {
      ContainerState state = status.getState();
      if (state != null && state.getWaiting() != null && state.getWaiting().getReason() != null) {
        note(status.getName() + ": waiting, " + state.getWaiting().getReason());
      }
    }

    void note(String note) {
      if (!notes.contains(note)) {
        notes.add(note);
      }
    }

    NodeResult result(String node, NodeOutcome outcome) {
      String message = notes.isEmpty() ? null : String.join("; ", notes);
      return new NodeResult(
          node, outcome, removed, excluded, inUse, notOnNode, failed, removedImages, message);
    }

    private static String exited(ContainerStateTerminated terminated) {
      String reason = terminated.getReason() == null ? "" : " (" + terminated.getReason() + ")";
      return "exited " + terminated.getExitCode() + reason;
    }
  }
}
