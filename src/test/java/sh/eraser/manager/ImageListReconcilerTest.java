package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.ImageListStatus;
import sh.eraser.api.JobPhase;
import sh.eraser.api.Names;
import sh.eraser.api.NodeOutcome;
import sh.eraser.api.NodeResult;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.EraserConfigLoader;

@EnableKubernetesMockClient(crud = true)
class ImageListReconcilerTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String KEEP_JOBS = "cleanup: {delayOnSuccess: 1h, delayOnFailure: 1h}";
  private static final String DELETE_JOBS = "cleanup: {delayOnSuccess: 0s, delayOnFailure: 0s}";

  KubernetesClient client;

  private Operator operator;
  private EraserConfig config;

  @BeforeAll
  static void quiet() {
    MockApi.quiet();
  }

  @BeforeEach
  void installCrds() {
    MockApi.installCrds(client);
  }

  @AfterEach
  void stopOperator() {
    if (operator != null) {
      operator.stop();
    }
  }

  @Test
  void anImageListWithAnotherNameIsMarkedIgnoredAndNothingElse() {
    startManager(KEEP_JOBS);
    readyNode("n1");
    client.resource(new ImageList("my-list", List.of("docker.io/library/alpine:3.18"))).create();

    ImageListStatus status = awaitStatus("my-list");

    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Ignored");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("NotNamedImagelist");
              assertThat(c.getMessage())
                  .isEqualTo("only the ImageList named \"imagelist\" is acted on");
              assertThat(c.getObservedGeneration()).isEqualTo(1L);
              assertThat(c.getLastTransitionTime()).isNotBlank();
            });
    assertThat(status.getPhase()).isNull();
    assertThat(status.getLastJob()).isNull();
    assertThat(jobs()).isEmpty();
    assertThat(client.pods().inNamespace(MockApi.NAMESPACE).list().getItems()).isEmpty();
  }

  @Test
  void startsOneWorkerPodPerReadyLinuxNodeAndCountsTheOthersAsSkipped() {
    startManager(KEEP_JOBS);
    readyNode("n1");
    readyNode("n2");
    readyNode("n3");
    client.resource(windowsNode("win1")).create();
    client.resource(MockApi.node("down1", "False")).create();
    client.resource(exclusionList("keep-these")).create();

    client.resource(imageList("docker.io/library/alpine:3.7.3", "docker.io/team/app:1")).create();

    ImageJob job = awaitRunningJob();
    ImageJobStatus jobStatus = job.getStatus();
    assertThat(jobStatus.getDesired()).isEqualTo(5);
    assertThat(jobStatus.getSkipped()).isEqualTo(2);
    assertThat(jobStatus.getNodes())
        .extracting(NodeResult::node, NodeResult::result)
        .containsExactly(
            tuple("down1", NodeOutcome.SKIPPED),
            tuple("n1", NodeOutcome.PENDING),
            tuple("n2", NodeOutcome.PENDING),
            tuple("n3", NodeOutcome.PENDING),
            tuple("win1", NodeOutcome.SKIPPED));
    assertThat(job.getMetadata().getLabels())
        .containsEntry(Names.JOB_OWNER_LABEL, Names.JOB_OWNER_IMAGE_LIST);
    assertThat(job.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(
            ref -> {
              assertThat(ref.getKind()).isEqualTo("ImageList");
              assertThat(ref.getName()).isEqualTo(Names.IMAGE_LIST);
              assertThat(ref.getController()).isTrue();
            });

    ConfigMap images = singleImageListConfigMap(job);
    assertThat(images.getImmutable()).isTrue();
    assertThat(images.getData())
        .containsExactly(
            Map.entry("images", "[\"docker.io/library/alpine:3.7.3\",\"docker.io/team/app:1\"]"));
    assertThat(images.getMetadata().getOwnerReferences())
        .singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(job.getMetadata().getUid()));

    await().atMost(WAIT).until(() -> podsOf(job).size() == 3);
    WorkerPodBuilder expected =
        new WorkerPodBuilder(
            config,
            new WorkerJob(
                ManualJob.controllerReference(job),
                MockApi.NAMESPACE,
                new WorkerMode.Manual(images.getMetadata().getName()),
                List.of("keep-these")));
    for (Pod pod : podsOf(job)) {
      String node = pod.getSpec().getNodeName();
      assertThat(pod.getSpec()).isEqualTo(expected.podFor(node).getSpec());
      assertThat(pod.getMetadata().getLabels())
          .isEqualTo(expected.podFor(node).getMetadata().getLabels());
    }
    assertThat(podsOf(job))
        .extracting(p -> p.getSpec().getNodeName())
        .containsOnly("n1", "n2", "n3");

    await().atMost(WAIT).until(() -> listPhase() == JobPhase.RUNNING);
    ImageListStatus status = read(Names.IMAGE_LIST);
    assertThat(status.getLastJob()).isEqualTo(job.getMetadata().getName());
    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(condition(status, "Running").getStatus()).isEqualTo("True");
    assertThat(events())
        .anySatisfy(e -> assertThat(e.getMessage()).startsWith("run started: 3 nodes, 2 skipped"))
        // The API server takes Events about a cluster-scoped object only in "default".
        .allSatisfy(e -> assertThat(e.getMetadata().getNamespace()).isEqualTo("default"));
  }

  @Test
  void aRunWhereEveryNodeSucceedsCompletesAndReportsOnTheList() {
    startManager(KEEP_JOBS);
    readyNode("n1");
    readyNode("n2");
    readyNode("n3");
    client.resource(imageList("docker.io/library/alpine:3.7.3")).create();
    ImageJob job = awaitRunningJob();
    await().atMost(WAIT).until(() -> podsOf(job).size() == 3);

    podsOf(job).forEach(this::succeed);

    await().atMost(WAIT).until(() -> listPhase() == JobPhase.COMPLETED);
    ImageListStatus status = read(Names.IMAGE_LIST);
    assertThat(status.getSuccess()).isEqualTo(3);
    assertThat(status.getFailed()).isZero();
    assertThat(status.getSkipped()).isZero();
    assertThat(status.getRemoved()).isEqualTo(6);
    assertThat(status.getTimestamp()).isNotNull();
    assertThat(condition(status, "Running").getStatus()).isEqualTo("False");
    assertThat(condition(status, "Succeeded").getStatus()).isEqualTo("True");

    ImageJobStatus ended = job(job.getMetadata().getName()).getStatus();
    assertThat(ended.getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(ended.getSucceeded()).isEqualTo(3);
    assertThat(ended.getDeleteAfter()).isNotNull();
    assertThat(ended.getNodes()).allSatisfy(n -> assertThat(n.removed()).isEqualTo(2));

    await().atMost(WAIT).until(() -> events().size() >= 5);
    assertThat(events())
        .extracting(Event::getMessage)
        .contains(
            "run completed: 3 succeeded, 0 failed, 0 skipped of 3 nodes; 6 images removed ("
                + job.getMetadata().getName()
                + ")",
            "node n2: removed 2 (docker.io/library/alpine:3.7.3, docker.io/team/app:1),"
                + " excluded 1, in use 1, not on node 0, failed 0");
  }

  @Test
  void oneFailedNodeFailsTheRunWhenEveryNodeMustSucceed() {
    startManager(KEEP_JOBS);
    readyNode("n1");
    readyNode("n2");
    readyNode("n3");
    client.resource(imageList("docker.io/library/alpine:3.7.3")).create();
    ImageJob job = awaitRunningJob();
    await().atMost(WAIT).until(() -> podsOf(job).size() == 3);

    for (Pod pod : podsOf(job)) {
      if ("n3".equals(pod.getSpec().getNodeName())) {
        setStatus(pod, WorkerPods.failed("n3").getStatus());
      } else {
        succeed(pod);
      }
    }

    await().atMost(WAIT).until(() -> listPhase() == JobPhase.FAILED);
    ImageListStatus status = read(Names.IMAGE_LIST);
    assertThat(status.getSuccess()).isEqualTo(2);
    assertThat(status.getFailed()).isEqualTo(1);
    assertThat(condition(status, "Succeeded").getStatus()).isEqualTo("False");
    assertThat(job(job.getMetadata().getName()).getStatus().getPhase()).isEqualTo(JobPhase.FAILED);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(events())
                    .anySatisfy(
                        e -> {
                          assertThat(e.getType()).isEqualTo("Warning");
                          assertThat(e.getReason()).isEqualTo("NodeFailed");
                          assertThat(e.getMessage()).startsWith("node n3: failed; removed 0");
                        }));
  }

  @Test
  void anEditDuringARunStartsASecondRunAfterTheFirstIsCleanedUp() {
    startManager(DELETE_JOBS);
    readyNode("n1");
    client.resource(imageList("docker.io/library/alpine:3.7.3")).create();
    ImageJob first = awaitRunningJob();
    await().atMost(WAIT).until(() -> podsOf(first).size() == 1);

    client
        .resources(ImageList.class)
        .withName(Names.IMAGE_LIST)
        .edit(
            list -> {
              list.getSpec().setImages(List.of("docker.io/library/redis:7"));
              return list;
            });
    podsOf(first).forEach(this::succeed);

    await()
        .atMost(WAIT)
        .until(
            () -> {
              // One listing: the first job may be deleted between two.
              List<ImageJob> jobs = jobs();
              return jobs.size() == 1
                  && !jobs.get(0).getMetadata().getUid().equals(first.getMetadata().getUid());
            });
    ImageJob second = jobs().get(0);
    assertThat(second.getMetadata().getAnnotations())
        .containsEntry(ManualJob.GENERATION_ANNOTATION, "2");
    assertThat(podsOf(first)).isEmpty();
    assertThat(configMapsOf(first)).isEmpty();
    await().atMost(WAIT).until(() -> configMapsOf(second).size() == 1);
    assertThat(configMapsOf(second).get(0).getData())
        .containsEntry("images", "[\"docker.io/library/redis:7\"]");
    await().atMost(WAIT).until(() -> podsOf(second).size() == 1);
    await()
        .atMost(WAIT)
        .until(
            () ->
                second.getMetadata().getName().equals(read(Names.IMAGE_LIST).getLastJob())
                    && Long.valueOf(2).equals(read(Names.IMAGE_LIST).getObservedGeneration()));
  }

  @Test
  void reapplyingTheSameSpecStartsNoRun() {
    startManager(DELETE_JOBS);
    readyNode("n1");
    client.resource(imageList("docker.io/library/alpine:3.7.3")).create();
    ImageJob job = awaitRunningJob();
    await().atMost(WAIT).until(() -> podsOf(job).size() == 1);
    podsOf(job).forEach(this::succeed);
    await().atMost(WAIT).until(() -> jobs().isEmpty() && podsOf(job).isEmpty());

    client.resource(imageList("docker.io/library/alpine:3.7.3")).update();

    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> jobs().isEmpty());
    assertThat(read(Names.IMAGE_LIST).getPhase()).isEqualTo(JobPhase.COMPLETED);
    assertThat(
            client
                .resources(ImageList.class)
                .withName(Names.IMAGE_LIST)
                .get()
                .getMetadata()
                .getGeneration())
        .isEqualTo(1L);
  }

  @Test
  void deletingTheImageListDuringARunLeavesNoWorkerPodsOrConfigMaps() {
    startManager(KEEP_JOBS);
    readyNode("n1");
    readyNode("n2");
    client.resource(imageList("docker.io/library/alpine:3.7.3")).create();
    ImageJob job = awaitRunningJob();
    await().atMost(WAIT).until(() -> podsOf(job).size() == 2);

    client.resources(ImageList.class).withName(Names.IMAGE_LIST).delete();

    await()
        .atMost(WAIT)
        .until(() -> jobs().isEmpty() && podsOf(job).isEmpty() && configMapsOf(job).isEmpty());
    // No finalizer holds the ImageList back.
    assertThat(client.resources(ImageList.class).withName(Names.IMAGE_LIST).get()).isNull();
  }

  private void startManager(String cleanup) {
    config =
        new EraserConfigLoader("test")
            .load(
                "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n"
                    + "manager: {imageJob: {successRatio: 1.0, "
                    + cleanup
                    + "}}\n")
            .config();
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false));
    operator.register(
        new ImageListReconciler(
            ConfigSource.fixed(config),
            MockApi.NAMESPACE,
            Clock.systemUTC(),
            Duration.ofMillis(200)));
    operator.start();
  }

  private static ImageList imageList(String... images) {
    return new ImageList(Names.IMAGE_LIST, List.of(images));
  }

  private void readyNode(String name) {
    client.resource(MockApi.node(name, "True")).create();
  }

  private static Node windowsNode(String name) {
    Node node = MockApi.node(name, "True");
    node.getMetadata().getLabels().put("kubernetes.io/os", "windows");
    return node;
  }

  private static ConfigMap exclusionList(String name) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(MockApi.NAMESPACE)
        .addToLabels(Names.EXCLUDE_LIST_LABEL, "true")
        .endMetadata()
        .addToData("excluded", "[\"docker.io/library/busybox:*\"]")
        .build();
  }

  private ImageJob awaitRunningJob() {
    await()
        .atMost(WAIT)
        .until(
            () -> {
              List<ImageJob> jobs = jobs();
              return jobs.size() == 1
                  && jobs.get(0).getStatus() != null
                  && jobs.get(0).getStatus().getPhase() == JobPhase.RUNNING;
            });
    return jobs().get(0);
  }

  private List<ImageJob> jobs() {
    return client.resources(ImageJob.class).list().getItems();
  }

  private ImageJob job(String name) {
    return client.resources(ImageJob.class).withName(name).get();
  }

  private List<Pod> podsOf(ImageJob job) {
    return MockApi.podsOf(client, job);
  }

  private List<ConfigMap> configMapsOf(ImageJob job) {
    return MockApi.configMapsOf(client, job);
  }

  private ConfigMap singleImageListConfigMap(ImageJob job) {
    await().atMost(WAIT).until(() -> configMapsOf(job).size() == 1);
    return configMapsOf(job).get(0);
  }

  /** What a kubelet writes when the remover exits 0 with its summary. */
  private void succeed(Pod pod) {
    String node = pod.getSpec().getNodeName();
    String summary =
        "{\"component\":\"remover\",\"node\":\""
            + node
            + "\",\"dryRun\":false,\"removed\":2,\"collected\":0,\"excluded\":1,\"inUse\":1,"
            + "\"notOnNode\":0,\"failed\":0,\"removedImages\":[\"docker.io/library/alpine:3.7.3\","
            + "\"docker.io/team/app:1\"],\"failedImages\":[]}";
    setStatus(
        pod,
        WorkerPods.on(node)
            .phase("Succeeded")
            .terminated("remover", 0, null, summary)
            .build()
            .getStatus());
  }

  private void setStatus(Pod pod, PodStatus status) {
    MockApi.setPodStatus(client, pod, status);
  }

  private List<Event> events() {
    return MockApi.eventsAbout(client, Names.IMAGE_LIST);
  }

  private static io.fabric8.kubernetes.api.model.Condition condition(
      ImageListStatus status, String type) {
    return status.getConditions().stream()
        .filter(c -> type.equals(c.getType()))
        .findFirst()
        .orElseThrow();
  }

  private ImageListStatus awaitStatus(String name) {
    await().atMost(WAIT).until(() -> read(name) != null);
    return read(name);
  }

  /** The phase of {@value Names#IMAGE_LIST}; null before its status is written. */
  private JobPhase listPhase() {
    ImageListStatus status = read(Names.IMAGE_LIST);
    return status == null ? null : status.getPhase();
  }

  private ImageListStatus read(String name) {
    ImageList list = client.resources(ImageList.class).withName(name).get();
    return list == null ? null : list.getStatus();
  }

  private static org.assertj.core.groups.Tuple tuple(Object... values) {
    return org.assertj.core.groups.Tuple.tuple(values);
  }
}
