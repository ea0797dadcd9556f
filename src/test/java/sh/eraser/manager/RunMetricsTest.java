package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import sh.eraser.metrics.ManagerMetrics;
import sh.eraser.testing.OtlpReceiver;
import sh.eraser.testing.PrometheusScrape;

/**
 * The manager's metrics as runs end on the mock API server: what it pushes over OTLP and what
 * {@code /metrics} shows, for runs whose worker pods remove a known number of images per node.
 */
@EnableKubernetesMockClient(crud = true)
class RunMetricsTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(200);

  KubernetesClient client;

  private final OtlpReceiver receiver = OtlpReceiver.start();
  private final List<AutoCloseable> running = new ArrayList<>();
  private ManagerMetrics metrics;

  @BeforeAll
  static void quiet() {
    MockApi.quiet();
  }

  @BeforeEach
  void installCrds() {
    MockApi.installCrds(client);
    metrics =
        ManagerMetrics.start(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            "eraser-manager",
            receiver::endpoint);
    running.add(metrics);
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = running.size() - 1; i >= 0; i--) {
      running.get(i).close();
    }
    receiver.close();
  }

  @Test
  void manualRunsArePushedAndScrapedWithTheImagesEachNodeRemoved() {
    startManualOperator(config(false));
    readyNode("n1");
    readyNode("n2");
    client.resource(MockApi.node("down1", "False")).create();
    PrometheusScrape before = scrape();

    client.resource(new ImageList(Names.IMAGE_LIST, List.of("*"))).create();
    ImageJob first = awaitRun(null);
    finish(first, Map.of("n1", 2, "n2", 3), "");

    await().atMost(WAIT).until(() -> pushed("imagejob_run_total") == 1);
    assertThat(pushed("pods_completed_run_total")).isEqualTo(2);
    assertThat(pushed("pods_failed_run_total")).isZero();
    OtlpReceiver.Received duration = receiver.latest("imagejob_duration_run_seconds").orElseThrow();
    assertThat(duration.serviceName()).isEqualTo("eraser-manager");
    assertThat(duration.metric().getUnit()).isEqualTo("s");
    assertThat(duration.metric().getHistogram().getDataPoints(0).getCount()).isEqualTo(1);
    PrometheusScrape afterFirst = scrape();
    assertThat(before.require("eraser_runs_total", "mode", "manual", "result", "completed"))
        .isZero();
    assertThat(afterFirst.require("eraser_runs_total", "mode", "manual", "result", "completed"))
        .isEqualTo(1);
    assertThat(
            afterFirst.require("eraser_run_nodes_total", "mode", "manual", "result", "succeeded"))
        .isEqualTo(2);
    assertThat(afterFirst.require("eraser_run_nodes_total", "mode", "manual", "result", "skipped"))
        .isEqualTo(1);
    assertThat(afterFirst.require("eraser_images_removed_total", "mode", "manual")).isEqualTo(5);
    double lastSuccess =
        afterFirst.require("eraser_run_last_success_timestamp_seconds", "mode", "manual");
    assertThat(lastSuccess)
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(60.0));
    // The operator framework's own metrics come from the same registry.
    assertThat(afterFirst.samples().keySet())
        .anyMatch(s -> s.startsWith("operator_sdk_reconciliations_started_total"));

    // A second run, started by an edit, where n2 fails.
    ImageList edited = client.resources(ImageList.class).withName(Names.IMAGE_LIST).get();
    edited.getSpec().setImages(List.of("docker.io/library/alpine:3.7.3"));
    client.resource(edited).update();
    ImageJob second = awaitRun(first.getMetadata().getName());
    finish(second, Map.of("n1", 1), "n2");

    await().atMost(WAIT).until(() -> pushed("imagejob_run_total") == 2);
    assertThat(pushed("pods_completed_run_total")).isEqualTo(3);
    assertThat(pushed("pods_failed_run_total")).isEqualTo(1);
    PrometheusScrape afterSecond = scrape();
    assertThat(afterSecond.require("eraser_runs_total", "mode", "manual", "result", "failed"))
        .isEqualTo(1);
    assertThat(afterSecond.require("eraser_runs_total", "mode", "manual", "result", "completed"))
        .isEqualTo(1);
    assertThat(afterSecond.require("eraser_run_nodes_total", "mode", "manual", "result", "failed"))
        .isEqualTo(1);
    assertThat(afterSecond.require("eraser_images_removed_total", "mode", "manual")).isEqualTo(6);
    assertThat(afterSecond.require("eraser_run_last_success_timestamp_seconds", "mode", "manual"))
        .isEqualTo(lastSuccess);
    assertThat(afterSecond.require("eraser_runs_total", "mode", "scheduled", "result", "completed"))
        .isZero();
  }

  @Test
  void scheduledRunsAreCountedUnderTheirOwnMode() {
    readyNode("n1");
    ScheduledRuns scheduled =
        new ScheduledRuns(
            client,
            ConfigSource.fixed(config(true)),
            MockApi.NAMESPACE,
            Clock.systemUTC(),
            POLL,
            Duration.ofSeconds(1),
            metrics.runs());
    scheduled.start();
    running.add(scheduled);

    ImageJob run = awaitRun(null);
    finish(run, Map.of("n1", 4), "");

    await().atMost(WAIT).until(() -> pushed("imagejob_run_total") == 1);
    assertThat(pushed("pods_completed_run_total")).isEqualTo(1);
    PrometheusScrape scrape = scrape();
    assertThat(scrape.require("eraser_runs_total", "mode", "scheduled", "result", "completed"))
        .isEqualTo(1);
    assertThat(scrape.require("eraser_images_removed_total", "mode", "scheduled")).isEqualTo(4);
    assertThat(scrape.value("eraser_run_last_success_timestamp_seconds", "mode", "scheduled"))
        .isPresent();
    assertThat(scrape.require("eraser_runs_total", "mode", "manual", "result", "completed"))
        .isZero();
  }

  private long pushed(String name) {
    return receiver.latest(name).map(OtlpReceiver.Received::counterValue).orElse(-1L);
  }

  private PrometheusScrape scrape() {
    return PrometheusScrape.of(metrics.address().orElseThrow());
  }

  private void startManualOperator(EraserConfig config) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false)
                    .withMetrics(metrics.operatorMetrics()));
    operator.register(
        new ImageListReconciler(
            ConfigSource.fixed(config),
            MockApi.NAMESPACE,
            Clock.systemUTC(),
            POLL,
            metrics.runs()));
    operator.start();
    running.add(operator::stop);
  }

  /** Ended runs are deleted at once, so that an edit starts the next run without waiting. */
  private static EraserConfig config(boolean collector) {
    return new EraserConfigLoader("test")
        .load(
            "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n"
                + "manager: {imageJob: {successRatio: 1.0,"
                + " cleanup: {delayOnSuccess: 0s, delayOnFailure: 0s}}}\n"
                + "components: {collector: {enabled: "
                + collector
                + "}, scanner: {enabled: false}}\n")
        .config();
  }

  private void readyNode(String name) {
    client.resource(MockApi.node(name, "True")).create();
  }

  /** The running job other than {@code previous}, once all its pods are there. */
  private ImageJob awaitRun(String previous) {
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.resources(ImageJob.class).list().getItems().stream()
                    .anyMatch(j -> isNewRunning(j, previous)));
    ImageJob job =
        client.resources(ImageJob.class).list().getItems().stream()
            .filter(j -> isNewRunning(j, previous))
            .findFirst()
            .orElseThrow();
    int selected = job.getStatus().getDesired() - job.getStatus().getSkipped();
    await().atMost(WAIT).until(() -> MockApi.podsOf(client, job).size() == selected);
    return job;
  }

  private static boolean isNewRunning(ImageJob job, String previous) {
    return !job.getMetadata().getName().equals(previous)
        && job.getStatus() != null
        && job.getStatus().getPhase() == JobPhase.RUNNING;
  }

  /**
   * Ends every pod of the job as a kubelet reports it: the remover of each node in {@code removed}
   * exits 0 having removed that many images; the pod on {@code failing} exits 1.
   */
  private void finish(ImageJob job, Map<String, Integer> removed, String failing) {
    for (Pod pod : MockApi.podsOf(client, job)) {
      String node = pod.getSpec().getNodeName();
      if (node.equals(failing)) {
        MockApi.setPodStatus(client, pod, WorkerPods.failed(node).getStatus());
        continue;
      }
      WorkerPods status = WorkerPods.on(node).phase("Succeeded");
      for (Container container : pod.getSpec().getContainers()) {
        String summary =
            switch (container.getName()) {
              case "collector" -> WorkerPods.COLLECTOR_SUMMARY;
              case "remover" -> WorkerPods.removerSummary(node, removed.get(node));
              default -> null;
            };
        status.terminated(container.getName(), 0, null, summary);
      }
      MockApi.setPodStatus(client, pod, status.build().getStatus());
    }
  }
}
