package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.EraserConfigLoader;

class WorkerPodBuilderTest {

  private static final String NAMESPACE = "eraser-system";
  private static final String JOB = "imagejob-x7k2p";
  private static final String IMAGE = EraserConfig.DEFAULT_IMAGE_REPO + ":v9";
  private static final OwnerReference OWNER =
      new OwnerReferenceBuilder()
          .withApiVersion("eraser.sh/v1")
          .withKind("ImageJob")
          .withName(JOB)
          .withUid("0b5c6d3e-1111-2222-3333-444455556666")
          .withController(true)
          .withBlockOwnerDeletion(true)
          .build();

  private static final String SCHEDULED_WITH_SCANNER =
      """
      manager:
        logLevel: debug
        otlpEndpoint: otel-collector:4318
        pullSecrets: [a, b]
        priorityClassName: system-node-critical
        additionalPodLabels: {team: platform, eraser.sh/type: overridden}
      components:
        collector: {enabled: true}
        scanner: {enabled: true}
      """;

  private static final String SCHEDULED_WITHOUT_SCANNER =
      """
      manager:
        pullSecrets: [a, b]
      components:
        collector: {enabled: true}
        scanner: {enabled: false}
      """;

  // Manual-mode pods: the remover alone, reading the ImageList's ConfigMap.

  @Test
  void manualPodRunsTheRemoverAloneOnTheImageListConfigMap() {
    Pod pod = manualPod(config(SCHEDULED_WITH_SCANNER), List.of());

    PodSpec spec = pod.getSpec();
    assertThat(spec.getContainers()).extracting(Container::getName).containsExactly("remover");
    Container remover = container(pod, "remover");
    assertThat(remover.getImage()).isEqualTo(IMAGE);
    assertThat(remover.getArgs())
        .containsExactly(
            "remover", "--imagelist=/run/eraser.sh/imagelist/images", "--log-level=debug");
    assertThat(mountPaths(remover))
        .containsEntry("imagelist", "/run/eraser.sh/imagelist")
        .containsEntry("runtime-sock-volume", "/run/cri/cri.sock")
        .doesNotContainKey("shared-data");
    Volume imageList = volume(pod, "imagelist");
    assertThat(imageList.getConfigMap().getName()).isEqualTo("imagelist-abcde");
    assertThat(imageList.getConfigMap().getItems())
        .singleElement()
        .satisfies(
            item -> {
              assertThat(item.getKey()).isEqualTo("images");
              assertThat(item.getPath()).isEqualTo("images");
            });
    assertThat(spec.getVolumes())
        .extracting(Volume::getName)
        .doesNotContain("shared-data", "eraser-config");
  }

  @Test
  void manualPodIsLabelledManualAndWithItsJob() {
    Pod pod = manualPod(config(SCHEDULED_WITH_SCANNER), List.of());

    assertThat(pod.getMetadata().getLabels())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("team", "platform", "eraser.sh/type", "manual", "eraser.sh/job-name", JOB));
  }

  @Test
  void everyPodIsBoundToItsNodeAndToleratesEveryTaint() {
    Pod pod = manualPod(config(""), List.of());

    assertThat(pod.getMetadata().getGenerateName()).isEqualTo("eraser-node-1-");
    assertThat(pod.getMetadata().getName()).isNull();
    assertThat(pod.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(pod.getMetadata().getOwnerReferences()).containsExactly(OWNER);
    PodSpec spec = pod.getSpec();
    assertThat(spec.getNodeName()).isEqualTo("node-1");
    assertThat(spec.getNodeSelector()).isNullOrEmpty();
    assertThat(spec.getAffinity()).isNull();
    assertThat(spec.getTolerations()).hasSize(1);
    assertThat(spec.getTolerations().get(0).getOperator()).isEqualTo("Exists");
    assertThat(spec.getTolerations().get(0).getKey()).isNull();
    assertThat(spec.getTolerations().get(0).getEffect()).isNull();
    assertThat(spec.getRestartPolicy()).isEqualTo("Never");
    assertThat(spec.getServiceAccountName()).isEqualTo("eraser-imagejob-pods");
    assertThat(spec.getAutomountServiceAccountToken()).isFalse();
  }

  @Test
  void workerPodsRunAsRootWhoOwnsTheRuntimeSocketThoughTheImageDoesNot() {
    for (Pod pod :
        List.of(
            manualPod(config(""), List.of()),
            scheduledPod(config(SCHEDULED_WITH_SCANNER), List.of()))) {
      assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isZero();
      assertThat(pod.getSpec().getSecurityContext().getRunAsGroup()).isZero();
    }
  }

  @Test
  void removerRunsWithoutPrivilegesOnAReadOnlyRoot() {
    Container remover = container(manualPod(config(""), List.of()), "remover");

    var security = remover.getSecurityContext();
    assertThat(security.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(security.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(security.getReadOnlyRootFilesystem()).isTrue();
    assertThat(security.getAllowPrivilegeEscalation()).isFalse();
    assertThat(security.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(security.getPrivileged()).isNull();
    assertThat(mountPaths(remover)).containsEntry("remover-tmp", "/tmp");
  }

  @Test
  void removerReportsTelemetryAndItsNode() {
    Container remover = container(manualPod(config(SCHEDULED_WITH_SCANNER), List.of()), "remover");

    assertThat(remover.getEnv())
        .extracting(EnvVar::getName)
        .containsExactly("OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_SERVICE_NAME", "NODE_NAME");
    assertThat(env(remover))
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "otel-collector:4318")
        .containsEntry("OTEL_SERVICE_NAME", "remover");
    assertNodeNameFromFieldRef(remover);
  }

  @Test
  void everyContainerLeavesItsSummaryInTheTerminationMessageFile() {
    Pod pod = scheduledPod(config(SCHEDULED_WITH_SCANNER), List.of());

    assertThat(pod.getSpec().getContainers())
        .allSatisfy(
            c -> {
              assertThat(c.getTerminationMessagePolicy()).isEqualTo("File");
              assertThat(c.getTerminationMessagePath()).isEqualTo("/dev/termination-log");
              assertThat(c.getImagePullPolicy()).isEqualTo("IfNotPresent");
            });
  }

  // Scheduled-mode pods: collector, remover and, when enabled, the scanner.

  @Test
  void scheduledPodWithScannerRunsCollectorRemoverAndScannerFromTheOneImage() {
    Pod pod = scheduledPod(config(SCHEDULED_WITH_SCANNER), List.of());

    assertThat(pod.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("collector", "remover", "trivy-scanner");
    assertThat(pod.getSpec().getContainers()).extracting(Container::getImage).containsOnly(IMAGE);
    assertThat(container(pod, "collector").getArgs())
        .containsExactly("collector", "--log-level=debug");
    assertThat(container(pod, "remover").getArgs()).containsExactly("remover", "--log-level=debug");
    assertThat(container(pod, "trivy-scanner").getArgs())
        .containsExactly("scanner", "--config=/config/controller_manager_config.yaml");
    assertThat(pod.getMetadata().getLabels())
        .containsEntry("eraser.sh/type", "collector")
        .containsEntry("eraser.sh/job-name", JOB);
  }

  @Test
  void scheduledPodWithoutScannerTellsTheCollectorToSkipScanning() {
    Pod pod = scheduledPod(config(SCHEDULED_WITHOUT_SCANNER), List.of());

    assertThat(pod.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("collector", "remover");
    assertThat(container(pod, "collector").getArgs())
        .containsExactly("collector", "--scan-disabled", "--log-level=info");
    assertThat(pod.getSpec().getVolumes())
        .extracting(Volume::getName)
        .doesNotContain("eraser-config");
  }

  @Test
  void scheduledContainersShareTheEmptyDirOfThePipes() {
    Pod pod = scheduledPod(config(SCHEDULED_WITH_SCANNER), List.of());

    assertThat(volume(pod, "shared-data").getEmptyDir()).isNotNull();
    assertThat(pod.getSpec().getContainers())
        .allSatisfy(
            c ->
                assertThat(mountPaths(c))
                    .containsEntry("shared-data", "/run/eraser.sh/shared-data"));
    assertThat(pod.getSpec().getVolumes()).extracting(Volume::getName).doesNotContain("imagelist");
  }

  @Test
  void scannerReadsTheManagerConfigMapAndKnowsTheRuntime() {
    Container scanner =
        container(scheduledPod(config(SCHEDULED_WITH_SCANNER), List.of()), "trivy-scanner");

    assertThat(mountPaths(scanner)).containsEntry("eraser-config", "/config");
    assertThat(scanner.getEnv())
        .extracting(EnvVar::getName)
        .containsExactly(
            "OTEL_EXPORTER_OTLP_ENDPOINT",
            "OTEL_SERVICE_NAME",
            "ERASER_RUNTIME_NAME",
            "CONTAINERD_NAMESPACE",
            "NODE_NAME");
    assertThat(env(scanner))
        .containsEntry("OTEL_SERVICE_NAME", "trivy-scanner")
        .containsEntry("ERASER_RUNTIME_NAME", "containerd")
        .containsEntry("CONTAINERD_NAMESPACE", "k8s.io");
    assertNodeNameFromFieldRef(scanner);
  }

  @Test
  void managerConfigVolumeIsTheEraserManagerConfigMap() {
    Pod pod = scheduledPod(config(SCHEDULED_WITH_SCANNER), List.of());

    assertThat(volume(pod, "eraser-config").getConfigMap().getName())
        .isEqualTo("eraser-manager-config");
  }

  @Test
  void collectorGetsOnlyItsNodeNameAndNoSecurityContext() {
    Container collector =
        container(scheduledPod(config(SCHEDULED_WITH_SCANNER), List.of()), "collector");

    assertThat(collector.getEnv()).extracting(EnvVar::getName).containsExactly("NODE_NAME");
    assertNodeNameFromFieldRef(collector);
    assertThat(collector.getSecurityContext()).isNull();
  }

  // What both modes share.

  @Test
  void pullSecretsAreOnEveryPodOfBothModes() {
    EraserConfig config = config(SCHEDULED_WITH_SCANNER);

    for (Pod pod : List.of(manualPod(config, List.of()), scheduledPod(config, List.of()))) {
      assertThat(pod.getSpec().getImagePullSecrets())
          .extracting(LocalObjectReference::getName)
          .containsExactly("a", "b");
    }
  }

  @Test
  void priorityClassComesFromTheConfigAndIsLeftOutWhenEmpty() {
    assertThat(
            scheduledPod(config(SCHEDULED_WITH_SCANNER), List.of())
                .getSpec()
                .getPriorityClassName())
        .isEqualTo("system-node-critical");
    assertThat(manualPod(config(""), List.of()).getSpec().getPriorityClassName()).isNull();
  }

  @Test
  void runtimeSocketIsMountedFromTheConfiguredHostPathIntoEveryContainer() {
    EraserConfig config =
        config(
            """
            manager:
              runtime: {name: containerd, address: "unix:///fake/socket/address.sock"}
            components:
              collector: {enabled: true}
              scanner: {enabled: true}
            """);

    for (Pod pod : List.of(manualPod(config, List.of()), scheduledPod(config, List.of()))) {
      Volume socket = volume(pod, "runtime-sock-volume");
      assertThat(socket.getHostPath().getPath()).isEqualTo("/fake/socket/address.sock");
      assertThat(socket.getHostPath().getType()).isEqualTo("Socket");
      assertThat(pod.getSpec().getVolumes().get(0)).isSameAs(socket);
      assertThat(pod.getSpec().getContainers())
          .allSatisfy(
              c ->
                  assertThat(mountPaths(c))
                      .containsEntry("runtime-sock-volume", "/run/cri/cri.sock"));
    }
  }

  @Test
  void defaultRuntimeSocketIsContainerds() {
    Volume socket = volume(manualPod(config(""), List.of()), "runtime-sock-volume");

    assertThat(socket.getHostPath().getPath()).isEqualTo("/run/containerd/containerd.sock");
  }

  @Test
  void everyExclusionConfigMapIsMountedReadOnlyIntoEveryContainer() {
    List<String> exclusions = List.of("team-b.lists", "system-exclusion", "team-b.lists");

    for (Pod pod :
        List.of(
            manualPod(config(SCHEDULED_WITH_SCANNER), exclusions),
            scheduledPod(config(SCHEDULED_WITH_SCANNER), exclusions))) {
      assertThat(configMapVolumes(pod))
          .containsEntry("exclusion-list-0", "system-exclusion")
          .containsEntry("exclusion-list-1", "team-b.lists")
          .doesNotContainKey("exclusion-list-2");
      assertThat(pod.getSpec().getContainers())
          .allSatisfy(
              c -> {
                assertThat(mountPaths(c))
                    .containsEntry(
                        "exclusion-list-0", "/run/eraser.sh/exclude/exclude-system-exclusion")
                    .containsEntry(
                        "exclusion-list-1", "/run/eraser.sh/exclude/exclude-team-b.lists");
                assertThat(c.getVolumeMounts())
                    .filteredOn(m -> m.getName().startsWith("exclusion-list-"))
                    .allSatisfy(m -> assertThat(m.getReadOnly()).isTrue());
              });
    }
  }

  @Test
  void exclusionConfigMapsAreRequiredSoThatAPodNeverRunsWithoutOne() {
    Pod pod = manualPod(config(""), List.of("system-exclusion"));

    assertThat(volume(pod, "exclusion-list-0").getConfigMap().getOptional()).isNotEqualTo(true);
  }

  @Test
  void requestsCpuAndMemoryButLimitsOnlyMemory() {
    EraserConfig config =
        config(
            """
            components:
              collector: {enabled: true, request: {mem: 25Mi, cpu: 7m}, limit: {mem: 500Mi, cpu: 1}}
              scanner: {enabled: true, request: {mem: 500Mi, cpu: 1000m}, limit: {mem: 2Gi, cpu: 1500m}}
              remover: {request: {mem: 25Mi, cpu: "0"}, limit: {mem: 30Mi, cpu: "0"}}
            """);
    Pod pod = scheduledPod(config, List.of());

    var collector = container(pod, "collector").getResources();
    assertThat(collector.getRequests())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("cpu", new Quantity("7m"), "memory", new Quantity("25Mi")));
    assertThat(collector.getLimits())
        .containsExactlyInAnyOrderEntriesOf(Map.of("memory", new Quantity("500Mi")));
    var scanner = container(pod, "trivy-scanner").getResources();
    assertThat(scanner.getLimits())
        .containsExactlyInAnyOrderEntriesOf(Map.of("memory", new Quantity("2Gi")));
    var remover = container(pod, "remover").getResources();
    assertThat(remover.getRequests())
        .containsExactlyInAnyOrderEntriesOf(Map.of("memory", new Quantity("25Mi")));
  }

  @Test
  void zeroMemoryLimitSetsNoLimit() {
    EraserConfig config = config("components:\n  remover: {limit: {mem: 0Mi}}\n");

    assertThat(container(manualPod(config, List.of()), "remover").getResources().getLimits())
        .isNullOrEmpty();
  }

  @Test
  void hostPathScannerVolumesAreMountedReadOnlyIntoTheScannerAtTheirOwnPath() {
    EraserConfig config =
        config(
            """
            components:
              collector: {enabled: true}
              scanner:
                enabled: true
                volumes:
                  - {name: ca-certs, hostPath: {path: /etc/ssl/certs, type: Directory}}
                  - {name: scratch, emptyDir: {}}
            """);
    Pod pod = scheduledPod(config, List.of());

    assertThat(volume(pod, "ca-certs").getHostPath().getPath()).isEqualTo("/etc/ssl/certs");
    assertThat(volume(pod, "scratch").getEmptyDir()).isNotNull();
    Container scanner = container(pod, "trivy-scanner");
    assertThat(mountPaths(scanner))
        .containsEntry("ca-certs", "/etc/ssl/certs")
        .doesNotContainKey("scratch");
    assertThat(container(pod, "remover").getVolumeMounts())
        .extracting(VolumeMount::getName)
        .doesNotContain("ca-certs");
  }

  @Test
  void scannerVolumeWithAReservedNameIsRefusedNamingTheKey() {
    EraserConfig config =
        config(
            """
            components:
              collector: {enabled: true}
              scanner: {enabled: true, volumes: [{name: shared-data, emptyDir: {}}]}
            """);
    WorkerPodBuilder builder =
        new WorkerPodBuilder(config, job(new WorkerMode.Scheduled(), List.of()));

    assertThatThrownBy(() -> builder.podFor("node-1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("components.scanner.volumes")
        .hasMessageContaining("shared-data");
  }

  @Test
  void theSamePodComesOutEveryTime() {
    EraserConfig config = config(SCHEDULED_WITH_SCANNER);

    assertThat(scheduledPod(config, List.of("x"))).isEqualTo(scheduledPod(config, List.of("x")));
  }

  @Test
  void aJobNeedsItsOwnerName() {
    OwnerReference nameless = new OwnerReferenceBuilder(OWNER).withName(null).build();

    assertThatThrownBy(
            () -> new WorkerJob(nameless, NAMESPACE, new WorkerMode.Scheduled(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static EraserConfig config(String body) {
    String document = "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n" + body;
    return new EraserConfigLoader("v9").load(document).config();
  }

  private static WorkerJob job(WorkerMode mode, List<String> exclusions) {
    return new WorkerJob(OWNER, NAMESPACE, mode, exclusions);
  }

  private static Pod manualPod(EraserConfig config, List<String> exclusions) {
    WorkerJob job = job(new WorkerMode.Manual("imagelist-abcde"), exclusions);
    return new WorkerPodBuilder(config, job).podFor("node-1");
  }

  private static Pod scheduledPod(EraserConfig config, List<String> exclusions) {
    WorkerJob job = job(new WorkerMode.Scheduled(), exclusions);
    return new WorkerPodBuilder(config, job).podFor("node-1");
  }

  private static Container container(Pod pod, String name) {
    return pod.getSpec().getContainers().stream()
        .filter(c -> c.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container " + name));
  }

  private static Volume volume(Pod pod, String name) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }

  private static Map<String, String> mountPaths(Container container) {
    return container.getVolumeMounts().stream()
        .collect(Collectors.toMap(VolumeMount::getName, VolumeMount::getMountPath));
  }

  private static Map<String, String> configMapVolumes(Pod pod) {
    return pod.getSpec().getVolumes().stream()
        .filter(v -> v.getConfigMap() != null)
        .collect(Collectors.toMap(Volume::getName, v -> v.getConfigMap().getName()));
  }

  private static Map<String, String> env(Container container) {
    return container.getEnv().stream()
        .filter(e -> e.getValue() != null)
        .collect(Collectors.toMap(EnvVar::getName, EnvVar::getValue));
  }

  private static void assertNodeNameFromFieldRef(Container container) {
    EnvVar nodeName =
        container.getEnv().stream()
            .filter(e -> e.getName().equals("NODE_NAME"))
            .findFirst()
            .orElseThrow();
    assertThat(nodeName.getValue()).isNull();
    assertThat(nodeName.getValueFrom().getFieldRef().getFieldPath()).isEqualTo("spec.nodeName");
  }
}
