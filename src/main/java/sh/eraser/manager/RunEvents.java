package sh.eraser.manager;

import java.util.ArrayList;
import java.util.List;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.JobPhase;
import sh.eraser.api.NodeOutcome;
import sh.eraser.api.NodeResult;

/**
 * The Events a manual run leaves on its ImageList: one when it starts, one when it ends, and one
 * per node it ran on. Pure; bounded so that a large cluster does not flood the Event store.
 */
final class RunEvents {

  static final String REASON_STARTED = "RunStarted";
  static final String REASON_COMPLETED = "RunCompleted";
  static final String REASON_FAILED = "RunFailed";
  static final String REASON_NODE_CLEANED = "NodeCleaned";
  static final String REASON_NODE_FAILED = "NodeFailed";
  static final String REASON_MORE_NODES = "MoreNodes";

  /** Nodes that get an Event of their own; the rest are counted in one more Event. */
  static final int MAX_NODE_EVENTS = 20;

  /** Image names named in one node's Event; the rest are counted. */
  static final int MAX_IMAGE_NAMES = 5;

  private RunEvents() {}

  /** One Event to record: Normal or Warning, a reason and a message. */
  record RunEvent(boolean warning, String reason, String message) {}

  static RunEvent started(String job, ImageJobStatus status) {
    int selected = status.getDesired() - status.getSkipped();
    return new RunEvent(
        false,
        REASON_STARTED,
        "run started: " + selected + " nodes, " + status.getSkipped() + " skipped (" + job + ")");
  }

  /** The run's outcome, then one Event per node it ran on, skipped nodes left out. */
  static List<RunEvent> finished(String job, ImageJobStatus status) {
    List<RunEvent> events = new ArrayList<>();
    boolean failed = status.getPhase() == JobPhase.FAILED;
    events.add(
        new RunEvent(
            failed,
            failed ? REASON_FAILED : REASON_COMPLETED,
            "run "
                + (failed ? "failed" : "completed")
                + ": "
                + counts(status)
                + "; "
                + imagesRemoved(status)
                + " images removed ("
                + job
                + ")"));
    List<NodeResult> ran =
        status.getNodes().stream().filter(n -> n.result() != NodeOutcome.SKIPPED).toList();
    ran.stream().limit(MAX_NODE_EVENTS).map(RunEvents::node).forEach(events::add);
    if (ran.size() > MAX_NODE_EVENTS) {
      events.add(
          new RunEvent(
              false,
              REASON_MORE_NODES,
              (ran.size() - MAX_NODE_EVENTS)
                  + " more nodes; ImageJob "
                  + job
                  + " lists every node in its status"));
    }
    return events;
  }

  /** Images removed over every node of the run. */
  static long imagesRemoved(ImageJobStatus status) {
    return status.getNodes().stream().mapToLong(NodeResult::removed).sum();
  }

  static String counts(ImageJobStatus status) {
    return status.getSucceeded()
        + " succeeded, "
        + status.getFailed()
        + " failed, "
        + status.getSkipped()
        + " skipped of "
        + status.getDesired()
        + " nodes";
  }

  static RunEvent node(NodeResult result) {
    boolean failed = result.result() != NodeOutcome.SUCCEEDED;
    StringBuilder message = new StringBuilder("node ").append(result.node());
    message.append(failed ? ": failed; " : ": ");
    message.append("removed ").append(result.removed()).append(names(result));
    message
        .append(", excluded ")
        .append(result.excluded())
        .append(", in use ")
        .append(result.inUse())
        .append(", not on node ")
        .append(result.notOnNode())
        .append(", failed ")
        .append(result.failed());
    if (result.message() != null) {
      message.append("; ").append(result.message());
    }
    return new RunEvent(
        failed, failed ? REASON_NODE_FAILED : REASON_NODE_CLEANED, message.toString());
  }

  /** The first image names in brackets, and how many more were removed. */
  private static String names(NodeResult result) {
    List<String> images = result.removedImages();
    if (images.isEmpty()) {
      return "";
    }
    String shown = String.join(", ", images.subList(0, Math.min(images.size(), MAX_IMAGE_NAMES)));
    int more = result.removed() - Math.min(images.size(), MAX_IMAGE_NAMES);
    return " (" + shown + (more > 0 ? " and " + more + " more" : "") + ")";
  }
}
