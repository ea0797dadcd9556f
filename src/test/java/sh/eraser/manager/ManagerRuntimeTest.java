package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;
import sh.eraser.config.EraserConfigLoader;
import sh.eraser.config.InvalidConfigException;
import sh.eraser.testing.PrometheusScrape;

@EnableKubernetesMockClient(crud = true)
class ManagerRuntimeTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  KubernetesClient client;

  private final HttpClient http = HttpClient.newHttpClient();
  private ManagerRuntime runtime;

  @BeforeAll
  static void quiet() {
    MockApi.quiet();
  }

  @BeforeEach
  void installCrds() {
    MockApi.installCrds(client);
  }

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.close();
    }
  }

  @Test
  void startsReadyFollowsTheConfigMapAndReconcilesImageLists() throws Exception {
    client
        .resource(
            MockApi.managerConfig(
                "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n"
                    + "manager: {imageJob: {successRatio: 0.5}}\n"))
        .create();
    runtime = new ManagerRuntime(settings(), client, watching());

    runtime.start();

    assertThat(runtime.isReady()).isTrue();
    assertThat(status("/readyz")).isEqualTo(200);
    assertThat(status("/healthz")).isEqualTo(200);
    assertThat(runtime.config().current().manager().imageJob().successRatio()).isEqualTo(0.5);
    client.resource(new ImageList(Names.IMAGE_LIST, List.of("alpine"))).create();
    await()
        .atMost(WAIT)
        .until(
            () ->
                client.resources(ImageList.class).withName(Names.IMAGE_LIST).get().getStatus()
                    != null);
  }

  @Test
  void startsAScheduledRunWhenTheCollectorIsEnabled() {
    client
        .resource(
            MockApi.managerConfig(
                "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n"
                    + "components: {collector: {enabled: true}}\n"))
        .create();
    // With no node the run would end and be deleted at once, possibly between two polls below.
    readyNode("n1");
    runtime = new ManagerRuntime(settings(), client, watching());

    runtime.start();

    await()
        .atMost(WAIT)
        .until(
            () ->
                client
                        .resources(ImageJob.class)
                        .withLabel(Names.JOB_OWNER_LABEL, Names.JOB_OWNER_COLLECTOR)
                        .list()
                        .getItems()
                        .size()
                    == 1);
  }

  @Test
  void servesPrometheusMetricsOfReconcilesTheJvmAndRunsOnItsOwnPort() {
    runtime = new ManagerRuntime(settings(), client, watching());
    runtime.start();
    assertThat(runtime.metrics().address().orElseThrow().getPort())
        .isNotEqualTo(runtime.health().address().getPort());

    client.resource(new ImageList("not-the-one", List.of("alpine"))).create();

    await()
        .atMost(WAIT)
        .until(
            () ->
                PrometheusScrape.of(runtime.metrics().address().orElseThrow())
                    .samples()
                    .entrySet()
                    .stream()
                    .anyMatch(
                        e ->
                            e.getKey().startsWith("operator_sdk_reconciliations_success_total")
                                && e.getValue() >= 1));
    PrometheusScrape scrape = PrometheusScrape.of(runtime.metrics().address().orElseThrow());
    assertThat(scrape.has("jvm_memory_used_bytes")).isTrue();
    assertThat(scrape.require("eraser_runs_total", "mode", "manual", "result", "completed"))
        .isZero();
  }

  @Test
  void stopsAnsweringProbesOnceClosed() throws Exception {
    runtime = new ManagerRuntime(settings(), client, watching());
    runtime.start();
    int port = runtime.health().address().getPort();
    int metricsPort = runtime.metrics().address().orElseThrow().getPort();

    runtime.close();

    assertThat(runtime.isReady()).isFalse();
    assertThatThrownBy(() -> status(port, "/healthz")).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> status(metricsPort, "/metrics")).isInstanceOf(IOException.class);
  }

  @Test
  void doesNotStartOnAnInvalidConfigMap() {
    client
        .resource(
            MockApi.managerConfig(
                "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n"
                    + "manager: {nodeFilter: {type: sometimes}}\n"))
        .create();
    runtime = new ManagerRuntime(settings(), client, watching());

    assertThatThrownBy(runtime::start)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("manager.nodeFilter.type");
    assertThat(runtime.isReady()).isFalse();
  }

  @Test
  void aManualRunsPodsAndConfigMapAreOwnedByTheManagersDeployment() {
    Deployment deployment = MockApi.managerDeployment(client);
    readyNode("n1");
    runtime = new ManagerRuntime(settings(MockApi.MANAGER_POD), client, watching());
    runtime.start();

    ImageJob job = startManualRun();

    for (HasMetadata object : objectsOf(job)) {
      assertThat(object.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              ref -> {
                assertThat(ref.getKind()).isEqualTo("Deployment");
                assertThat(ref.getUid()).isEqualTo(deployment.getMetadata().getUid());
              });
    }
  }

  @Test
  void outsideADeploymentAManualRunsPodsAndConfigMapAreOwnedByTheImageJob() {
    readyNode("n1");
    runtime = new ManagerRuntime(settings(), client, watching());
    runtime.start();

    ImageJob job = startManualRun();

    for (HasMetadata object : objectsOf(job)) {
      assertThat(object.getMetadata().getOwnerReferences())
          .singleElement()
          .satisfies(
              ref -> {
                assertThat(ref.getKind()).isEqualTo("ImageJob");
                assertThat(ref.getUid()).isEqualTo(job.getMetadata().getUid());
              });
    }
  }

  @Test
  void deletesAtStartThePodsAndConfigMapsOfImageJobsThatAreGone() {
    ImageJob kept = new ImageJob();
    kept.getMetadata().setName("imagejob-kept");
    client.resource(kept).create();
    for (String job : List.of("imagejob-kept", "imagejob-gone")) {
      client.resource(MockApi.labelledFor(new Pod(), job + "-pod", job)).create();
      client.resource(MockApi.labelledFor(new ConfigMap(), job + "-images", job)).create();
    }
    runtime = new ManagerRuntime(settings(MockApi.MANAGER_POD), client, watching());

    runtime.start();

    assertThat(client.pods().inNamespace(MockApi.NAMESPACE).list().getItems())
        .extracting(p -> p.getMetadata().getName())
        .containsExactly("imagejob-kept-pod");
    assertThat(client.configMaps().inNamespace(MockApi.NAMESPACE).list().getItems())
        .extracting(c -> c.getMetadata().getName())
        .containsExactly("imagejob-kept-images");
  }

  @Test
  void deletingTheImageListRemovesThePodsAndConfigMapTheDeploymentOwns() {
    MockApi.managerDeployment(client);
    readyNode("n1");
    runtime = new ManagerRuntime(settings(MockApi.MANAGER_POD), client, watching());
    runtime.start();
    ImageJob job = startManualRun();

    client.resources(ImageList.class).withName(Names.IMAGE_LIST).delete();

    await().atMost(WAIT).until(() -> objectsOf(job).isEmpty());
    assertThat(client.resources(ImageJob.class).list().getItems()).isEmpty();
  }

  @Test
  void whenTheImageJobIsDeletedBeforeTheImageListItsPodsAndConfigMapAreRemovedToo() {
    MockApi.managerDeployment(client);
    readyNode("n1");
    runtime = new ManagerRuntime(settings(MockApi.MANAGER_POD), client, watching());
    runtime.start();
    ImageJob job = startManualRun();

    // As the garbage collector may, once the ImageList it is owned by is gone.
    client.resources(ImageJob.class).withName(job.getMetadata().getName()).delete();
    client.resources(ImageList.class).withName(Names.IMAGE_LIST).delete();

    await().atMost(WAIT).until(() -> objectsOf(job).isEmpty());
  }

  /** Creates the ImageList and returns its run once its pod and ConfigMap are there. */
  private ImageJob startManualRun() {
    client.resource(new ImageList(Names.IMAGE_LIST, List.of("alpine"))).create();
    await()
        .atMost(WAIT)
        .until(() -> client.resources(ImageJob.class).list().getItems().size() == 1);
    ImageJob job = client.resources(ImageJob.class).list().getItems().get(0);
    await()
        .atMost(WAIT)
        .until(
            () ->
                MockApi.podsOf(client, job).size() == 1
                    && MockApi.configMapsOf(client, job).size() == 1);
    return job;
  }

  /** The job's worker pods and ConfigMaps. */
  private List<HasMetadata> objectsOf(ImageJob job) {
    List<HasMetadata> objects = new ArrayList<>(MockApi.podsOf(client, job));
    objects.addAll(MockApi.configMapsOf(client, job));
    return objects;
  }

  private void readyNode(String name) {
    client
        .resource(
            new NodeBuilder()
                .withNewMetadata()
                .withName(name)
                .addToLabels("kubernetes.io/os", "linux")
                .endMetadata()
                .withNewStatus()
                .addNewCondition()
                .withType("Ready")
                .withStatus("True")
                .endCondition()
                .endStatus()
                .build())
        .create();
  }

  @Test
  void competesForTheLeaseUnderItsPodNameOrAUniqueNameOutsideAPod() {
    String outside = ManagerRuntime.leaderIdentity(null);

    assertThat(ManagerRuntime.leaderIdentity("eraser-controller-manager-7d9f-x2k4q"))
        .isEqualTo("eraser-controller-manager-7d9f-x2k4q");
    assertThat(outside).contains("_").isNotEqualTo(ManagerRuntime.leaderIdentity(" "));
  }

  private ConfigSource watching() {
    return ConfigSource.watching(
        client,
        MockApi.NAMESPACE,
        ConfigSource.DEFAULT_CONFIGMAP_NAME,
        new EraserConfigLoader("test"));
  }

  private static ManagerSettings settings() {
    return settings(null);
  }

  private static ManagerSettings settings(String podName) {
    // Leader election needs SelfSubjectRulesReview answers and Leases the mock does not give.
    return new ManagerSettings(
        MockApi.NAMESPACE, new InetSocketAddress("127.0.0.1", 0), false, podName);
  }

  private int status(String path) throws IOException, InterruptedException {
    return status(runtime.health().address().getPort(), path);
  }

  private int status(int port, String path) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
