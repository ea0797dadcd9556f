package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.eraser.manager.WorkerPods.COLLECTOR_SUMMARY;
import static sh.eraser.manager.WorkerPods.REMOVER_SUMMARY;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.JobPhase;
import sh.eraser.api.NodeOutcome;
import sh.eraser.api.NodeResult;
import sh.eraser.manager.NodeSelection.SkippedNode;

class JobJudgeTest {

  private static final Instant NOW = Instant.parse("2024-05-01T10:05:00Z");
  private static final Instant DEADLINE = NOW.plus(Duration.ofHours(1));
  private static final Instant AFTER_DEADLINE = DEADLINE.plusSeconds(1);

  // The phase and the success ratio.

  @Test
  void oneFailureIn273NodesCompletesTheJobAtRatio08() {
    List<String> nodes = names(273);
    List<Pod> pods = new ArrayList<>();
    nodes.stream().skip(1).forEach(n -> pods.add(WorkerPods.succeeded(n)));
    pods.add(WorkerPods.failed(nodes.get(0)));

    ImageJobStatus status = judge(0.8, selected(nodes), pods, NOW);

    assertThat(status.getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(status.getDesired()).isEqualTo(273);
    assertThat(status.getSucceeded()).isEqualTo(272);
    assertThat(status.getFailed()).isEqualTo(1);
    assertThat(status.getSkipped()).isZero();
    assertThat(status.getNodes()).hasSize(273);
  }

  @Test
  void oneFailureFailsTheJobAtRatio1() {
    List<String> nodes = names(273);
    List<Pod> pods = new ArrayList<>();
    nodes.stream().skip(1).forEach(n -> pods.add(WorkerPods.succeeded(n)));
    pods.add(WorkerPods.failed(nodes.get(0)));

    ImageJobStatus status = judge(1.0, selected(nodes), pods, NOW);

    assertThat(status.getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(status.getSucceeded()).isEqualTo(272);
    assertThat(status.getFailed()).isEqualTo(1);
  }

  @Test
  void skippedNodesCountTowardsTheRatio() {
    NodeSelection selection =
        new NodeSelection(
            List.of("a", "b", "c"),
            List.of(new SkippedNode("w1", "a Windows node"), new SkippedNode("w2", "cordoned")));
    List<Pod> pods =
        List.of(WorkerPods.succeeded("a"), WorkerPods.succeeded("b"), WorkerPods.failed("c"));

    ImageJobStatus status = judge(0.8, selection, pods, NOW);

    assertThat(status.getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(status.getSkipped()).isEqualTo(2);
    assertThat(status.getDesired()).isEqualTo(5);
  }

  @Test
  void fractionExactlyAtTheRatioCompletes() {
    List<String> nodes = names(10);
    List<Pod> pods = new ArrayList<>();
    nodes.stream().limit(7).forEach(n -> pods.add(WorkerPods.succeeded(n)));
    nodes.stream().skip(7).forEach(n -> pods.add(WorkerPods.failed(n)));

    assertThat(judge(0.7, selected(nodes), pods, NOW).getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(judge(0.71, selected(nodes), pods, NOW).getPhase()).isEqualTo(JobPhase.FAILED);
  }

  @Test
  void jobOverNoNodesCompletes() {
    ImageJobStatus status = judge(1.0, new NodeSelection(List.of(), List.of()), List.of(), NOW);

    assertThat(status.getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(status.getDesired()).isZero();
  }

  @Test
  void jobWhoseNodesWereAllSkippedCompletes() {
    NodeSelection selection =
        new NodeSelection(List.of(), List.of(new SkippedNode("w", "Windows")));

    ImageJobStatus status = judge(1.0, selection, List.of(), NOW);

    assertThat(status.getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(status.getNodes())
        .containsExactly(
            new NodeResult("w", NodeOutcome.SKIPPED, 0, 0, 0, 0, 0, List.of(), "Windows"));
  }

  // Unfinished pods and the deadline.

  @Test
  void podThatNeverLeavesPendingKeepsTheJobRunningUntilTheDeadline() {
    Pod stuck = WorkerPods.on("b").phase("Pending").waiting("remover", "ImagePullBackOff").build();
    List<Pod> pods = List.of(WorkerPods.succeeded("a"), stuck);

    ImageJobStatus before = judge(1.0, selected(List.of("a", "b")), pods, NOW);

    assertThat(before.getPhase()).isEqualTo(JobPhase.RUNNING);
    assertThat(before.getSucceeded()).isEqualTo(1);
    assertThat(before.getFailed()).isZero();
    assertThat(result(before, "b")).isEqualTo(NodeResult.pending("b"));
  }

  @Test
  void podStillPendingAtTheDeadlineCountsAsFailed() {
    Pod stuck = WorkerPods.on("b").phase("Pending").waiting("remover", "ImagePullBackOff").build();
    List<Pod> pods = List.of(WorkerPods.succeeded("a"), stuck);

    ImageJobStatus after = judge(0.5, selected(List.of("a", "b")), pods, AFTER_DEADLINE);

    assertThat(after.getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(after.getSucceeded()).isEqualTo(1);
    assertThat(after.getFailed()).isEqualTo(1);
    NodeResult b = result(after, "b");
    assertThat(b.result()).isEqualTo(NodeOutcome.FAILED);
    assertThat(b.message())
        .contains("not finished by the job's deadline (pod Pending)")
        .contains("remover: waiting, ImagePullBackOff");
  }

  @Test
  void podStillRunningAtTheDeadlineCountsAsFailed() {
    Pod slow = WorkerPods.on("a").phase("Running").running("collector").running("remover").build();

    ImageJobStatus status = judge(1.0, selected(List.of("a")), List.of(slow), DEADLINE);

    assertThat(status.getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(result(status, "a").message()).contains("deadline").contains("pod Running");
  }

  @Test
  void selectedNodeWithoutAPodIsPendingThenFailedAtTheDeadline() {
    NodeSelection selection = selected(List.of("a"));

    assertThat(judge(1.0, selection, List.of(), NOW).getPhase()).isEqualTo(JobPhase.RUNNING);
    ImageJobStatus after = judge(1.0, selection, List.of(), AFTER_DEADLINE);
    assertThat(after.getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(result(after, "a").message()).isEqualTo("no worker pod by the job's deadline");
  }

  @Test
  void containerThatExitedNonZeroFailsItsNodeWhileTheOthersStillRun() {
    Pod stuck =
        WorkerPods.on("a")
            .phase("Running")
            .terminated("collector", 1, "Error", null)
            .running("remover")
            .running("trivy-scanner")
            .build();

    ImageJobStatus status = judge(1.0, selected(List.of("a")), List.of(stuck), NOW);

    assertThat(status.getPhase()).isEqualTo(JobPhase.FAILED);
    assertThat(status.getFailed()).isEqualTo(1);
    assertThat(result(status, "a").message())
        .isEqualTo("collector: exited 1, no summary: the termination message is empty");
  }

  // What each node's result says.

  @Test
  void oomKilledContainerFailsItsNodeAndSaysSo() {
    Pod oom =
        WorkerPods.on("a").phase("Failed").terminated("remover", 137, "OOMKilled", null).build();

    ImageJobStatus status = judge(1.0, selected(List.of("a")), List.of(oom), NOW);

    NodeResult a = result(status, "a");
    assertThat(a.result()).isEqualTo(NodeOutcome.FAILED);
    assertThat(a.message()).isEqualTo("remover: OOMKilled");
    assertThat(status.getPhase()).isEqualTo(JobPhase.FAILED);
  }

  @Test
  void manualNodeResultCarriesTheRemoversCounts() {
    ImageJobStatus status =
        judge(1.0, selected(List.of("node-1")), List.of(WorkerPods.succeeded("node-1")), NOW);

    assertThat(result(status, "node-1"))
        .isEqualTo(
            new NodeResult(
                "node-1",
                NodeOutcome.SUCCEEDED,
                3,
                1,
                2,
                1,
                0,
                List.of(
                    "docker.io/library/alpine:3.7.3",
                    "docker.io/library/nginx:1.25",
                    "docker.io/library/redis:7.2"),
                null));
  }

  @Test
  void scheduledNodeResultAddsUpCollectorAndRemoverCounts() {
    Pod pod =
        WorkerPods.on("node-1")
            .phase("Succeeded")
            .terminated("collector", 0, null, COLLECTOR_SUMMARY)
            .terminated("remover", 0, null, REMOVER_SUMMARY)
            .terminated("trivy-scanner", 0, null, "scanned 3 images")
            .build();

    NodeResult result =
        result(judge(1.0, selected(List.of("node-1")), List.of(pod), NOW), "node-1");

    assertThat(result.result()).isEqualTo(NodeOutcome.SUCCEEDED);
    assertThat(result.removed()).isEqualTo(3);
    assertThat(result.excluded()).isEqualTo(1 + 4);
    assertThat(result.inUse()).isEqualTo(2 + 5);
    assertThat(result.notOnNode()).isEqualTo(1);
    assertThat(result.removedImages()).hasSize(3);
    assertThat(result.message()).isEqualTo("collector: 3 unused images collected");
  }

  @Test
  void aNodeResultNamesItsFirstTenImagesAndCountsThemAll() {
    Pod pod =
        WorkerPods.on("node-1")
            .phase("Succeeded")
            .terminated("remover", 0, null, WorkerPods.removerSummary("node-1", 40))
            .build();

    NodeResult result =
        result(judge(1.0, selected(List.of("node-1")), List.of(pod), NOW), "node-1");

    assertThat(result.removed()).isEqualTo(40);
    assertThat(result.removedImages())
        .hasSize(JobJudge.MAX_NODE_IMAGE_NAMES)
        .startsWith("docker.io/team/app:0")
        .endsWith("docker.io/team/app:9");
  }

  @Test
  void theJobsStatusNamesAtMostFiveHundredImagesOverAllNodes() {
    List<String> nodes = names(80);
    List<Pod> pods =
        nodes.stream()
            .map(
                n ->
                    WorkerPods.on(n)
                        .phase("Succeeded")
                        .terminated("remover", 0, null, WorkerPods.removerSummary(n, 12))
                        .build())
            .toList();

    ImageJobStatus status = judge(1.0, selected(nodes), pods, NOW);

    assertThat(status.getNodes()).allSatisfy(n -> assertThat(n.removed()).isEqualTo(12));
    assertThat(status.getNodes().stream().mapToInt(n -> n.removedImages().size()).sum())
        .isEqualTo(JobJudge.MAX_JOB_IMAGE_NAMES);
    // Nodes in name order get names until the budget is spent; the rest keep their counts only.
    assertThat(status.getNodes().get(0).removedImages()).hasSize(10);
    assertThat(status.getNodes().get(79).removedImages()).isEmpty();
  }

  @Test
  void workerErrorIsTheFailedNodesMessage() {
    ImageJobStatus status =
        judge(1.0, selected(List.of("node-1")), List.of(WorkerPods.failed("node-1")), NOW);

    assertThat(result(status, "node-1").message())
        .isEqualTo(
            "remover: cannot reach the runtime at unix:///run/cri/cri.sock: connection refused");
  }

  @Test
  void terminationMessageOverTheSizeIsNoErrorButSaysWhy() {
    String huge =
        REMOVER_SUMMARY.replace("\"failedImages\":[]", "\"pad\":\"" + "x".repeat(5000) + "\"");
    Pod pod = WorkerPods.on("a").phase("Succeeded").terminated("remover", 0, null, huge).build();

    ImageJobStatus status = judge(1.0, selected(List.of("a")), List.of(pod), NOW);

    NodeResult a = result(status, "a");
    assertThat(a.result()).isEqualTo(NodeOutcome.SUCCEEDED);
    assertThat(a.removed()).isZero();
    assertThat(a.message()).startsWith("remover: no summary: ").contains("over the 4096 bytes");
    assertThat(status.getPhase()).isEqualTo(JobPhase.COMPLETED);
  }

  @Test
  void terminationMessageThatIsNotJsonIsNoErrorButSaysWhy() {
    Pod cut =
        WorkerPods.on("a")
            .phase("Succeeded")
            .terminated("remover", 0, null, REMOVER_SUMMARY.substring(0, 80))
            .build();
    Pod text =
        WorkerPods.on("b").phase("Succeeded").terminated("remover", 0, null, "all done").build();

    ImageJobStatus status = judge(1.0, selected(List.of("a", "b")), List.of(cut, text), NOW);

    assertThat(status.getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(status.getNodes())
        .allSatisfy(
            r -> {
              assertThat(r.result()).isEqualTo(NodeOutcome.SUCCEEDED);
              assertThat(r.removed()).isZero();
              assertThat(r.message()).startsWith("remover: no summary: the termination message is");
            });
  }

  @Test
  void missingTerminationMessageIsNoError() {
    Pod pod = WorkerPods.on("a").phase("Succeeded").terminated("remover", 0, null, null).build();

    NodeResult a = result(judge(1.0, selected(List.of("a")), List.of(pod), NOW), "a");

    assertThat(a.result()).isEqualTo(NodeOutcome.SUCCEEDED);
    assertThat(a.message()).isEqualTo("remover: no summary: the termination message is empty");
  }

  @Test
  void dryRunIsReported() {
    String dryRun = REMOVER_SUMMARY.replace("\"dryRun\":false", "\"dryRun\":true");
    Pod pod = WorkerPods.on("a").phase("Succeeded").terminated("remover", 0, null, dryRun).build();

    NodeResult a = result(judge(1.0, selected(List.of("a")), List.of(pod), NOW), "a");

    assertThat(a.message()).isEqualTo("dry run: nothing removed");
  }

  @Test
  void evictedPodFailsWithTheKubeletsReason() {
    Pod evicted =
        WorkerPods.on("a")
            .phase("Failed")
            .podReason("Evicted", "The node was low on resource: ephemeral-storage.")
            .build();

    NodeResult a = result(judge(1.0, selected(List.of("a")), List.of(evicted), NOW), "a");

    assertThat(a.result()).isEqualTo(NodeOutcome.FAILED);
    assertThat(a.message())
        .isEqualTo("pod Evicted: The node was low on resource: ephemeral-storage.");
  }

  @Test
  void failedScannerContainerIsNamedWithItsExitCode() {
    Pod pod =
        WorkerPods.on("a")
            .phase("Failed")
            .terminated("collector", 0, null, COLLECTOR_SUMMARY)
            .terminated("remover", 0, null, REMOVER_SUMMARY)
            .terminated("trivy-scanner", 2, "Error", "database download failed")
            .build();

    NodeResult a = result(judge(1.0, selected(List.of("a")), List.of(pod), NOW), "a");

    assertThat(a.result()).isEqualTo(NodeOutcome.FAILED);
    assertThat(a.message()).contains("trivy-scanner: exited 2 (Error)");
  }

  // Which pods count.

  @Test
  void podsOnNodesTheJobDidNotSelectAreIgnored() {
    List<Pod> pods = List.of(WorkerPods.succeeded("a"), WorkerPods.failed("elsewhere"));

    ImageJobStatus status = judge(1.0, selected(List.of("a")), pods, NOW);

    assertThat(status.getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(status.getNodes()).extracting(NodeResult::node).containsExactly("a");
  }

  @Test
  void newestPodOfANodeCounts() {
    Pod older =
        WorkerPods.on("a")
            .created("2024-05-01T09:00:00Z")
            .phase("Failed")
            .terminated("remover", 1, null, null)
            .build();
    Pod newer =
        WorkerPods.on("a")
            .created("2024-05-01T10:00:00Z")
            .phase("Succeeded")
            .terminated("remover", 0, null, REMOVER_SUMMARY)
            .build();

    assertThat(judge(1.0, selected(List.of("a")), List.of(newer, older), NOW).getPhase())
        .isEqualTo(JobPhase.COMPLETED);
    assertThat(judge(1.0, selected(List.of("a")), List.of(older, newer), NOW).getPhase())
        .isEqualTo(JobPhase.COMPLETED);
  }

  @Test
  void resultsAreSortedByNode() {
    NodeSelection selection =
        new NodeSelection(List.of("c", "a"), List.of(new SkippedNode("b", "cordoned")));

    ImageJobStatus status = judge(1.0, selection, List.of(), NOW);

    assertThat(status.getNodes()).extracting(NodeResult::node).containsExactly("a", "b", "c");
  }

  private static ImageJobStatus judge(
      double ratio, NodeSelection selection, List<Pod> pods, Instant now) {
    return new JobJudge(ratio, DEADLINE).judge(selection, pods, now);
  }

  private static NodeSelection selected(List<String> nodes) {
    return new NodeSelection(nodes, List.of());
  }

  private static List<String> names(int count) {
    return IntStream.range(0, count).mapToObj(i -> String.format("node-%03d", i)).toList();
  }

  private static NodeResult result(ImageJobStatus status, String node) {
    return status.getNodes().stream()
        .filter(r -> r.node().equals(node))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no result for " + node));
  }
}
