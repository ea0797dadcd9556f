package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.NodeResult;
import sh.eraser.config.EraserConfig.NodeFilter;
import sh.eraser.config.EraserConfig.NodeFilterType;
import sh.eraser.config.LabelSelector;
import sh.eraser.manager.NodeSelection.SkippedNode;

class NodeSelectionTest {

  private static final Node LINUX = node("linux").build();
  private static final Node WINDOWS_BY_LABEL =
      node("win-label")
          .editMetadata()
          .addToLabels("kubernetes.io/os", "windows")
          .endMetadata()
          .build();
  private static final Node WINDOWS_BY_NODE_INFO =
      node("win-info")
          .editStatus()
          .withNewNodeInfo()
          .withOperatingSystem("windows")
          .endNodeInfo()
          .endStatus()
          .build();
  private static final Node LABELLED =
      node("labelled")
          .editMetadata()
          .addToLabels("eraser.sh/cleanup.filter", "")
          .endMetadata()
          .build();
  private static final Node NOT_READY =
      node("not-ready")
          .editStatus()
          .editFirstCondition()
          .withStatus("False")
          .withReason("KubeletNotReady")
          .endCondition()
          .endStatus()
          .build();
  private static final Node TAINTED =
      node("tainted")
          .editSpec()
          .addNewTaint()
          .withKey("dedicated")
          .withValue("gpu")
          .withEffect("NoSchedule")
          .endTaint()
          .endSpec()
          .build();
  private static final Node UNSCHEDULABLE =
      node("cordoned").editSpec().withUnschedulable(true).endSpec().build();

  private static final List<Node> CLUSTER =
      List.of(
          LINUX,
          WINDOWS_BY_LABEL,
          WINDOWS_BY_NODE_INFO,
          LABELLED,
          NOT_READY,
          TAINTED,
          UNSCHEDULABLE);

  @Test
  void excludeFilterSkipsLabelledWindowsNotReadyAndUnschedulableNodes() {
    NodeSelection selection = NodeSelection.of(CLUSTER, filter(NodeFilterType.EXCLUDE));

    assertThat(selection.selected()).containsExactly("linux", "tainted");
    assertThat(reasons(selection))
        .containsOnlyKeys("win-label", "win-info", "labelled", "not-ready", "cordoned");
    assertThat(reasons(selection).get("labelled"))
        .isEqualTo("excluded by the node filter selector \"eraser.sh/cleanup.filter\"");
    assertThat(reasons(selection).get("not-ready"))
        .contains("not Ready")
        .contains("KubeletNotReady");
    assertThat(reasons(selection).get("cordoned")).contains("unschedulable");
    assertThat(selection.desired()).isEqualTo(CLUSTER.size());
  }

  @Test
  void windowsNodesAreSkippedWithoutAnyWindowsSelector() {
    NodeSelection selection = NodeSelection.of(CLUSTER, filter(NodeFilterType.EXCLUDE));

    assertThat(reasons(selection).get("win-label")).contains("Windows");
    assertThat(reasons(selection).get("win-info")).contains("Windows");
  }

  @Test
  void windowsSelectorOfTheShippedConfigExcludesByLabel() {
    NodeSelection selection =
        NodeSelection.of(CLUSTER, filter(NodeFilterType.EXCLUDE, "kubernetes.io/os=windows"));

    assertThat(reasons(selection).get("win-label"))
        .isEqualTo("excluded by the node filter selector \"kubernetes.io/os=windows\"");
    assertThat(selection.selected()).containsExactly("linux", "tainted");
  }

  @Test
  void includeFilterSelectsOnlyNodesMatchingASelector() {
    NodeSelection selection = NodeSelection.of(CLUSTER, filter(NodeFilterType.INCLUDE));

    assertThat(selection.selected()).containsExactly("labelled");
    assertThat(reasons(selection).get("linux"))
        .isEqualTo("matches no selector of the include node filter");
    assertThat(selection.skipped()).hasSize(CLUSTER.size() - 1);
  }

  @Test
  void includeFilterNeverSelectsWindowsEvenWhenItsSelectorMatches() {
    NodeSelection selection =
        NodeSelection.of(CLUSTER, filter(NodeFilterType.INCLUDE, "kubernetes.io/os=windows"));

    assertThat(selection.selected()).containsExactly("labelled");
    assertThat(reasons(selection).get("win-label")).contains("Windows");
  }

  @Test
  void includeFilterMatchesAnyOfSeveralSelectors() {
    NodeSelection selection =
        NodeSelection.of(CLUSTER, filter(NodeFilterType.INCLUDE, "pool in (batch,web)"));

    assertThat(selection.selected()).containsExactly("labelled", "linux", "tainted");
  }

  @Test
  void includedNodeThatIsNotReadyOrCordonedIsStillSkipped() {
    NodeSelection selection =
        NodeSelection.of(CLUSTER, filter(NodeFilterType.INCLUDE, "kubernetes.io/hostname"));

    assertThat(selection.selected()).containsExactly("labelled", "linux", "tainted");
    assertThat(reasons(selection)).containsKeys("not-ready", "cordoned");
  }

  @Test
  void cleanupFilterLabelAppliesEvenWhenTheSelectorsLeaveItOut() {
    NodeFilter withoutCleanupLabel =
        new NodeFilter(NodeFilterType.EXCLUDE, List.of(LabelSelector.parse("pool=none")));

    NodeSelection selection = NodeSelection.of(List.of(LINUX, LABELLED), withoutCleanupLabel);

    assertThat(selection.selected()).containsExactly("linux");
  }

  @Test
  void nodeWithoutAReadyConditionIsNotReady() {
    Node unknown = node("fresh").editStatus().withConditions(List.of()).endStatus().build();

    NodeSelection selection = NodeSelection.of(List.of(unknown), filter(NodeFilterType.EXCLUDE));

    assertThat(reasons(selection).get("fresh")).contains("no Ready condition");
  }

  @Test
  void readyConditionUnknownIsNotReady() {
    Node unreachable =
        node("gone")
            .editStatus()
            .editFirstCondition()
            .withStatus("Unknown")
            .endCondition()
            .endStatus()
            .build();

    NodeSelection selection =
        NodeSelection.of(List.of(unreachable), filter(NodeFilterType.EXCLUDE));

    assertThat(selection.selected()).isEmpty();
  }

  @Test
  void selectionIsReadBackFromTheStatusTheJudgeWrote() {
    NodeSelection selection = NodeSelection.of(CLUSTER, filter(NodeFilterType.EXCLUDE));
    ImageJobStatus status =
        new JobJudge(1.0, Instant.MAX).judge(selection, List.of(), Instant.EPOCH);

    assertThat(NodeSelection.fromStatus(status)).isEqualTo(selection);
  }

  @Test
  void skippedNodesBecomeSkippedResults() {
    NodeSelection selection = new NodeSelection(List.of(), List.of(new SkippedNode("n", "why")));

    ImageJobStatus status =
        new JobJudge(1.0, Instant.MAX).judge(selection, List.of(), Instant.EPOCH);

    assertThat(status.getNodes()).containsExactly(NodeResult.skipped("n", "why"));
  }

  private static NodeFilter filter(NodeFilterType type, String... selectors) {
    List<LabelSelector> parsed =
        Stream.concat(Stream.of("eraser.sh/cleanup.filter"), Arrays.stream(selectors))
            .map(LabelSelector::parse)
            .toList();
    return new NodeFilter(type, parsed);
  }

  private static Map<String, String> reasons(NodeSelection selection) {
    return selection.skipped().stream()
        .collect(Collectors.toMap(SkippedNode::node, SkippedNode::reason));
  }

  /** A Ready, schedulable Linux node with the labels the kubelet sets. */
  private static NodeBuilder node(String name) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("kubernetes.io/os", "linux")
        .addToLabels("kubernetes.io/hostname", name)
        .addToLabels("pool", "batch")
        .endMetadata()
        .withNewSpec()
        .endSpec()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .withReason("KubeletReady")
        .endCondition()
        .withNewNodeInfo()
        .withOperatingSystem("linux")
        .endNodeInfo()
        .endStatus();
  }
}
