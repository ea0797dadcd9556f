package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.eraser.api.JobPhase;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.EraserConfigLoader;

@EnableKubernetesMockClient(crud = true)
class ScheduledRunsTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final Duration STEP = Duration.ofMillis(100);
  private static final String HEADER = "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n";

  KubernetesClient client;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T10:00:00Z"));
  private final List<AutoCloseable> running = new ArrayList<>();
  private final Set<String> jobsSeen = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void quiet() {
    MockApi.quiet();
  }

  @BeforeEach
  void installCrdsAndCountJobs() {
    MockApi.installCrds(client);
    SharedIndexInformer<ImageJob> informer =
        client
            .resources(ImageJob.class)
            .inform(
                new ResourceEventHandler<>() {
                  @Override
                  public void onAdd(ImageJob job) {
                    jobsSeen.add(job.getMetadata().getUid());
                  }

                  @Override
                  public void onUpdate(ImageJob previous, ImageJob job) {
                    jobsSeen.add(job.getMetadata().getUid());
                  }

                  @Override
                  public void onDelete(ImageJob job, boolean finalStateUnknown) {}
                });
    running.add(informer::close);
  }

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
  }

  @Test
  void aScheduledRunStartsOneCollectorAndRemoverPodPerSelectedNode() {
    readyNode("n1");
    readyNode("n2");
    client.resource(MockApi.node("down1", "False")).create();
    EraserConfig config = config(true, false, "1h", true, "1h");

    startScheduler(ConfigSource.fixed(config));

    ImageJob job = awaitActiveJob();
    assertThat(job.getMetadata().getLabels())
        .containsEntry(Names.JOB_OWNER_LABEL, Names.JOB_OWNER_COLLECTOR);
    assertThat(job.getMetadata().getOwnerReferences()).isEmpty();
    assertThat(job.getStatus().getDesired()).isEqualTo(3);
    assertThat(job.getStatus().getSkipped()).isEqualTo(1);
    await().atMost(WAIT).until(() -> podsOf(job).size() == 2);
    WorkerPodBuilder expected =
        new WorkerPodBuilder(
            config,
            new WorkerJob(
                ManualJob.controllerReference(job),
                MockApi.NAMESPACE,
                new WorkerMode.Scheduled(),
                List.of()));
    for (Pod pod : podsOf(job)) {
      String node = pod.getSpec().getNodeName();
      assertThat(pod.getSpec()).isEqualTo(expected.podFor(node).getSpec());
      assertThat(pod.getMetadata().getLabels()).containsEntry(Names.TYPE_LABEL, "collector");
      assertThat(pod.getSpec().getContainers())
          .extracting(Container::getName)
          .containsExactly("collector", "remover");
    }
    assertThat(podsOf(job)).extracting(p -> p.getSpec().getNodeName()).containsOnly("n1", "n2");
    assertThat(configMaps()).isEmpty();
    await()
        .atMost(WAIT)
        .until(
            () ->
                MockApi.eventsAbout(client, job.getMetadata().getName()).stream()
                    .anyMatch(e -> e.getMessage().startsWith("run started: 2 nodes, 1 skipped")));
  }

  @Test
  void theScannerRunsInScheduledPodsWhenItIsEnabledAndTheRunWaitsForItsBudget() {
    readyNode("n1");

    startScheduler(ConfigSource.fixed(config(true, true, "1h", true, "1h")));

    ImageJob job = awaitActiveJob();
    await().atMost(WAIT).until(() -> podsOf(job).size() == 1);
    assertThat(podsOf(job).get(0).getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("collector", "remover", "trivy-scanner");
    // The run waits for the scanner's whole budget (23h by default) plus the usual hour.
    assertThat(job.getMetadata().getAnnotations())
        .containsEntry(ManualJob.DEADLINE_ANNOTATION, "2026-03-02T10:00:00Z");
  }

  @Test
  void withoutBeginImmediatelyTheFirstRunWaitsOneInterval() {
    readyNode("n1");
    startScheduler(ConfigSource.fixed(config(true, false, "2h", false, "0s")));

    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(this::noJobs);
    clock.advance(Duration.ofMinutes(119));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(this::noJobs);
    clock.advance(Duration.ofMinutes(1));

    awaitActiveJob();
  }

  @Test
  void theNextRunStartsOneIntervalAfterThePreviousEndedAndTheCleanupDelayDoesNotAddToIt() {
    readyNode("n1");
    startScheduler(ConfigSource.fixed(config(true, false, "24h", true, "24h")));
    ImageJob first = awaitActiveJob();
    await().atMost(WAIT).until(() -> podsOf(first).size() == 1);

    clock.advance(Duration.ofMinutes(30));
    podsOf(first).forEach(this::succeed);
    await().atMost(WAIT).until(() -> phase(first) == JobPhase.COMPLETED);
    assertThat(job(first).getStatus().getDeleteAfter())
        .isEqualTo(Instant.parse("2026-03-02T10:30:00Z"));
    assertThat(job(first).getStatus().getConditions())
        .filteredOn(c -> c.getType().equals("Finished"))
        .singleElement()
        .satisfies(c -> assertThat(c.getLastTransitionTime()).isEqualTo("2026-03-01T10:30:00Z"));

    clock.advance(Duration.ofHours(23).plusMinutes(59));
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> jobs().size() == 1 && job(first) != null);

    clock.advance(Duration.ofMinutes(1));
    await().atMost(WAIT).until(() -> job(first) == null && jobs().size() == 1);
    ImageJob second = jobs().get(0);
    assertThat(second.getMetadata().getAnnotations())
        .containsEntry(ManualJob.DEADLINE_ANNOTATION, "2026-03-02T11:30:00Z");
    assertThat(podsOf(first)).isEmpty();
  }

  @Test
  void manualAndScheduledRunsRunSideBySideAndNeitherDeletesTheOther() {
    readyNode("n1");
    EraserConfig config = config(true, false, "24h", true, "0s");
    startScheduler(ConfigSource.fixed(config));
    startManualOperator(ConfigSource.fixed(config));
    ImageJob scheduled = awaitActiveJob();

    client.resource(new ImageList(Names.IMAGE_LIST, List.of("alpine:3.18"))).create();
    await().atMost(WAIT).until(() -> jobs().size() == 2);
    ImageJob manual =
        jobs().stream()
            .filter(j -> Names.JOB_OWNER_IMAGE_LIST.equals(owner(j)))
            .findFirst()
            .orElseThrow();
    await().atMost(WAIT).until(() -> podsOf(manual).size() == 1 && podsOf(scheduled).size() == 1);

    podsOf(scheduled).forEach(this::succeed);
    await().atMost(WAIT).until(() -> job(scheduled) == null && podsOf(scheduled).isEmpty());
    assertThat(job(manual).getStatus().getPhase()).isEqualTo(JobPhase.RUNNING);
    assertThat(podsOf(manual)).hasSize(1);

    podsOf(manual).forEach(this::succeed);
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.resources(ImageList.class).withName(Names.IMAGE_LIST).get().getStatus()
                        != null
                    && client
                            .resources(ImageList.class)
                            .withName(Names.IMAGE_LIST)
                            .get()
                            .getStatus()
                            .getPhase()
                        == JobPhase.COMPLETED);
    await().atMost(WAIT).until(this::noJobs);
    assertThat(jobsSeen).hasSize(2);
    assertThat(pods()).isEmpty();
    assertThat(configMaps()).isEmpty();
  }

  @Test
  void anEditedConfigIsUsedByTheNextRunWithoutARestart() {
    readyNode("n1");
    client.resource(MockApi.managerConfig(document(true, false, "2h", true, "0s"))).create();
    ConfigSource source = watching();
    source.start();
    running.add(source);
    startScheduler(source);
    ImageJob first = awaitActiveJob();
    await().atMost(WAIT).until(() -> podsOf(first).size() == 1);
    assertThat(podsOf(first).get(0).getSpec().getImagePullSecrets()).isEmpty();

    client
        .resource(
            MockApi.managerConfig(
                HEADER
                    + "manager: {pullSecrets: [a, b], scheduling: {repeatInterval: 2h},"
                    + " imageJob: {cleanup: {delayOnSuccess: 0s}}}\n"
                    + "components: {collector: {enabled: true}, scanner: {enabled: false},"
                    + " remover: {image: {tag: v9}}}\n"))
        .update();
    await().atMost(WAIT).until(() -> source.current().manager().pullSecrets().size() == 2);
    podsOf(first).forEach(this::succeed);
    await().atMost(WAIT).until(() -> job(first) == null);
    clock.advance(Duration.ofHours(2));

    ImageJob second = awaitActiveJob();
    await().atMost(WAIT).until(() -> podsOf(second).size() == 1);
    Pod pod = podsOf(second).get(0);
    assertThat(pod.getSpec().getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("a", "b");
    assertThat(pod.getSpec().getContainers())
        .filteredOn(c -> c.getName().equals("remover"))
        .singleElement()
        .satisfies(c -> assertThat(c.getImage()).endsWith(":v9"));
  }

  @Test
  void turningTheCollectorOnAndOffStartsAndStopsTheScheduleWithoutARestart() {
    readyNode("n1");
    client.resource(MockApi.managerConfig(document(false, false, "1h", true, "0s"))).create();
    ConfigSource source = watching();
    source.start();
    running.add(source);
    startScheduler(source);
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(this::noJobs);

    client.resource(MockApi.managerConfig(document(true, false, "1h", true, "0s"))).update();
    ImageJob job = awaitActiveJob();
    await().atMost(WAIT).until(() -> podsOf(job).size() == 1);

    client.resource(MockApi.managerConfig(document(false, false, "1h", true, "0s"))).update();
    await().atMost(WAIT).until(() -> !source.current().components().collector().enabled());
    podsOf(job).forEach(this::succeed);
    await().atMost(WAIT).until(this::noJobs);
    clock.advance(Duration.ofHours(2));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(this::noJobs);
    assertThat(jobsSeen).hasSize(1);
  }

  @Test
  void aRestartedManagerAdoptsTheActiveScheduledRunInsteadOfStartingAnother() throws Exception {
    readyNode("n1");
    readyNode("n2");
    EraserConfig config = config(true, false, "1h", true, "0s");
    ScheduledRuns before = startScheduler(ConfigSource.fixed(config));
    ImageJob job = awaitActiveJob();
    await().atMost(WAIT).until(() -> podsOf(job).size() == 2);
    podsOf(job).forEach(this::run);

    before.close();
    startScheduler(ConfigSource.fixed(config));

    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> jobs().size() == 1 && podsOf(job).size() == 2);
    podsOf(job).forEach(this::succeed);
    await().atMost(WAIT).until(() -> noJobs() && pods().isEmpty());
    assertThat(jobsSeen).containsExactly(job.getMetadata().getUid());
    assertThat(configMaps()).isEmpty();
    await()
        .atMost(WAIT)
        .until(
            () ->
                MockApi.eventsAbout(client, job.getMetadata().getName()).stream()
                    .anyMatch(e -> e.getMessage().startsWith("run completed: 2 succeeded")));
    // The next run is timed from the adopted run's end, not from the restart.
    clock.advance(Duration.ofMinutes(59));
    await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(this::noJobs);
    clock.advance(Duration.ofMinutes(1));
    awaitActiveJob();
  }

  @Test
  void aRestartedManagerTimesTheNextRunFromTheEndOfTheRunItFinds() {
    readyNode("n1");
    EraserConfig config = config(true, false, "1h", true, "24h");
    ScheduledRuns before = startScheduler(ConfigSource.fixed(config));
    ImageJob first = awaitActiveJob();
    await().atMost(WAIT).until(() -> podsOf(first).size() == 1);
    podsOf(first).forEach(this::succeed);
    await().atMost(WAIT).until(() -> phase(first) == JobPhase.COMPLETED);
    before.close();

    clock.advance(Duration.ofMinutes(30));
    startScheduler(ConfigSource.fixed(config));

    // beginImmediately does not apply: a run ended 30 minutes ago.
    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> jobs().size() == 1);
    clock.advance(Duration.ofMinutes(30));
    await().atMost(WAIT).until(() -> jobs().size() == 2);
    // The ended run stays until its own cleanup delay is over.
    assertThat(phase(first)).isEqualTo(JobPhase.COMPLETED);
    assertThat(jobsSeen).hasSize(2);
  }

  @Test
  void aRestartedManagerAdoptsTheActiveManualRunInsteadOfStartingAnother() {
    readyNode("n1");
    readyNode("n2");
    EraserConfig config = config(false, false, "24h", false, "0s");
    Operator before = startManualOperator(ConfigSource.fixed(config));
    client.resource(new ImageList(Names.IMAGE_LIST, List.of("alpine:3.18"))).create();
    ImageJob job = awaitActiveJob();
    await().atMost(WAIT).until(() -> podsOf(job).size() == 2 && configMaps().size() == 1);
    podsOf(job).forEach(this::run);

    before.stop();
    startManualOperator(ConfigSource.fixed(config));

    await()
        .during(Duration.ofSeconds(1))
        .atMost(Duration.ofSeconds(3))
        .until(() -> jobs().size() == 1 && podsOf(job).size() == 2);
    podsOf(job).forEach(this::succeed);
    await().atMost(WAIT).until(() -> noJobs() && pods().isEmpty() && configMaps().isEmpty());
    assertThat(jobsSeen).containsExactly(job.getMetadata().getUid());
    assertThat(
            client
                .resources(ImageList.class)
                .withName(Names.IMAGE_LIST)
                .get()
                .getStatus()
                .getPhase())
        .isEqualTo(JobPhase.COMPLETED);
  }

  private ScheduledRuns startScheduler(ConfigSource source) {
    ScheduledRuns runs =
        new ScheduledRuns(client, source, MockApi.NAMESPACE, clock, STEP, Duration.ofMillis(200));
    runs.start();
    running.add(runs);
    return runs;
  }

  private Operator startManualOperator(ConfigSource source) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false));
    operator.register(
        new ImageListReconciler(
            source, MockApi.NAMESPACE, Clock.systemUTC(), Duration.ofMillis(200)));
    operator.start();
    running.add(operator::stop);
    return operator;
  }

  private ConfigSource watching() {
    return ConfigSource.watching(
        client,
        MockApi.NAMESPACE,
        ConfigSource.DEFAULT_CONFIGMAP_NAME,
        new EraserConfigLoader("test"));
  }

  private static EraserConfig config(
      boolean collector, boolean scanner, String interval, boolean begin, String delay) {
    return new EraserConfigLoader("test")
        .load(document(collector, scanner, interval, begin, delay))
        .config();
  }

  /** A config document: the schedule, one cleanup delay for both outcomes, the components. */
  private static String document(
      boolean collector, boolean scanner, String interval, boolean begin, String delay) {
    return HEADER
        + "manager: {scheduling: {repeatInterval: "
        + interval
        + ", beginImmediately: "
        + begin
        + "}, imageJob: {successRatio: 1.0, cleanup: {delayOnSuccess: "
        + delay
        + ", delayOnFailure: "
        + delay
        + "}}}\ncomponents: {collector: {enabled: "
        + collector
        + "}, scanner: {enabled: "
        + scanner
        + "}}\n";
  }

  private void readyNode(String name) {
    client.resource(MockApi.node(name, "True")).create();
  }

  private ImageJob awaitActiveJob() {
    await()
        .atMost(WAIT)
        .until(
            () ->
                jobs().size() == 1
                    && jobs().get(0).getStatus() != null
                    && jobs().get(0).getStatus().getPhase() == JobPhase.RUNNING);
    return jobs().get(0);
  }

  private boolean noJobs() {
    return jobs().isEmpty();
  }

  private List<ImageJob> jobs() {
    return client.resources(ImageJob.class).list().getItems();
  }

  private ImageJob job(ImageJob job) {
    return client.resources(ImageJob.class).withName(job.getMetadata().getName()).get();
  }

  private JobPhase phase(ImageJob job) {
    ImageJob current = job(job);
    return current == null || current.getStatus() == null ? null : current.getStatus().getPhase();
  }

  private static String owner(ImageJob job) {
    return job.getMetadata().getLabels().get(Names.JOB_OWNER_LABEL);
  }

  private List<Pod> pods() {
    return client.pods().inNamespace(MockApi.NAMESPACE).list().getItems();
  }

  private List<io.fabric8.kubernetes.api.model.ConfigMap> configMaps() {
    return client.configMaps().inNamespace(MockApi.NAMESPACE).list().getItems().stream()
        .filter(cm -> !ConfigSource.DEFAULT_CONFIGMAP_NAME.equals(cm.getMetadata().getName()))
        .toList();
  }

  private List<Pod> podsOf(ImageJob job) {
    return MockApi.podsOf(client, job);
  }

  /** What a kubelet writes while the pod's containers run. */
  private void run(Pod pod) {
    WorkerPods status = WorkerPods.on(pod.getSpec().getNodeName()).phase("Running");
    pod.getSpec().getContainers().forEach(c -> status.running(c.getName()));
    setStatus(pod, status.build().getStatus());
  }

  /** What a kubelet writes when every container exited 0 with its summary. */
  private void succeed(Pod pod) {
    WorkerPods status = WorkerPods.on(pod.getSpec().getNodeName()).phase("Succeeded");
    for (Container container : pod.getSpec().getContainers()) {
      String summary =
          switch (container.getName()) {
            case "collector" -> WorkerPods.COLLECTOR_SUMMARY;
            case "remover" -> WorkerPods.REMOVER_SUMMARY;
            default -> null;
          };
      status.terminated(container.getName(), 0, null, summary);
    }
    setStatus(pod, status.build().getStatus());
  }

  private void setStatus(Pod pod, PodStatus status) {
    MockApi.setPodStatus(client, pod, status);
  }
}
