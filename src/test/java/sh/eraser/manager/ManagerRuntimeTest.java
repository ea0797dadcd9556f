package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
  void stopsAnsweringProbesOnceClosed() throws Exception {
    runtime = new ManagerRuntime(settings(), client, watching());
    runtime.start();
    int port = runtime.health().address().getPort();

    runtime.close();

    assertThat(runtime.isReady()).isFalse();
    assertThatThrownBy(() -> status(port, "/healthz")).isInstanceOf(IOException.class);
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

  private ConfigSource watching() {
    return ConfigSource.watching(
        client,
        MockApi.NAMESPACE,
        ConfigSource.DEFAULT_CONFIGMAP_NAME,
        new EraserConfigLoader("test"));
  }

  private static ManagerSettings settings() {
    // Leader election needs SelfSubjectRulesReview answers and Leases the mock does not give.
    return new ManagerSettings(MockApi.NAMESPACE, new InetSocketAddress("127.0.0.1", 0), false);
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
