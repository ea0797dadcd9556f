package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.JobPhase;
import sh.eraser.api.NodeOutcome;
import sh.eraser.api.NodeResult;
import sh.eraser.manager.RunEvents.RunEvent;

class RunEventsTest {

  @Test
  void aStartedRunCountsSelectedAndSkippedNodes() {
    ImageJobStatus status = status(JobPhase.RUNNING, 5, 2);

    RunEvent event = RunEvents.started("imagejob-a", status);

    assertThat(event.warning()).isFalse();
    assertThat(event.reason()).isEqualTo("RunStarted");
    assertThat(event.message()).isEqualTo("run started: 3 nodes, 2 skipped (imagejob-a)");
  }

  @Test
  void aNodeEventNamesTheFirstFiveImagesAndCountsTheRest() {
    List<String> images = IntStream.range(0, 7).mapToObj(i -> "docker.io/team/app:" + i).toList();
    NodeResult result = new NodeResult("n1", NodeOutcome.SUCCEEDED, 9, 0, 1, 0, 0, images, null);

    RunEvent event = RunEvents.node(result);

    assertThat(event.reason()).isEqualTo("NodeCleaned");
    assertThat(event.message())
        .isEqualTo(
            "node n1: removed 9 (docker.io/team/app:0, docker.io/team/app:1,"
                + " docker.io/team/app:2, docker.io/team/app:3, docker.io/team/app:4 and 4"
                + " more), excluded 0, in use 1, not on node 0, failed 0");
  }

  @Test
  void aFailedRunIsAWarningAndSkippedNodesGetNoEventOfTheirOwn() {
    ImageJobStatus status = status(JobPhase.FAILED, 2, 1);
    status.setFailed(1);
    status.setNodes(
        List.of(
            new NodeResult("n1", NodeOutcome.FAILED, 0, 0, 0, 0, 0, List.of(), "remover: exited 1"),
            NodeResult.skipped("n2", "not Ready")));

    List<RunEvent> events = RunEvents.finished("imagejob-b", status);

    assertThat(events)
        .extracting(RunEvent::reason, RunEvent::warning)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("RunFailed", true),
            org.assertj.core.groups.Tuple.tuple("NodeFailed", true));
    assertThat(events.get(0).message())
        .isEqualTo(
            "run failed: 0 succeeded, 1 failed, 1 skipped of 2 nodes; 0 images removed (imagejob-b)");
    assertThat(events.get(1).message()).endsWith("; remover: exited 1");
  }

  @Test
  void nodeEventsAreBoundedAndTheRestCountedInOne() {
    ImageJobStatus status = status(JobPhase.COMPLETED, 50, 0);
    List<NodeResult> nodes = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      nodes.add(new NodeResult("n" + i, NodeOutcome.SUCCEEDED, 0, 0, 0, 0, 0, List.of(), null));
    }
    status.setNodes(nodes);

    List<RunEvent> events = RunEvents.finished("imagejob-c", status);

    assertThat(events).hasSize(1 + RunEvents.MAX_NODE_EVENTS + 1);
    assertThat(events.get(events.size() - 1).message())
        .isEqualTo("30 more nodes; ImageJob imagejob-c lists every node in its status");
  }

  private static ImageJobStatus status(JobPhase phase, int desired, int skipped) {
    ImageJobStatus status = new ImageJobStatus();
    status.setPhase(phase);
    status.setDesired(desired);
    status.setSkipped(skipped);
    return status;
  }
}
