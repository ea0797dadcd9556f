package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.EraserConfig.ContainerRuntime;
import sh.eraser.config.EraserConfig.RuntimeName;
import sh.eraser.config.EraserConfigLoader;
import sh.eraser.config.InvalidConfigException;

@EnableKubernetesMockClient(crud = true)
class ConfigSourceTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private static final String V1ALPHA3 =
      """
      apiVersion: eraser.sh/v1alpha3
      kind: EraserConfig
      manager:
        runtime: {name: containerd, address: 'unix:///run/k3s/containerd/containerd.sock'}
        scheduling: {repeatInterval: 6h}
        imageJob: {successRatio: 0.8}
      components:
        collector: {enabled: true}
      """;

  private static final String V1ALPHA2 =
      """
      apiVersion: eraser.sh/v1alpha2
      kind: EraserConfig
      manager:
        runtime: crio
        scheduling: {repeatInterval: 12h, beginImmediately: false}
      components:
        remover: {image: {repo: registry.example/eraser/remover, tag: v2}}
      """;

  private final EraserConfigLoader loader = new EraserConfigLoader("test");

  KubernetesClient client;

  private ConfigSource source;

  @BeforeAll
  static void quiet() {
    MockApi.quiet();
  }

  @AfterEach
  void stop() {
    if (source != null) {
      source.close();
    }
  }

  @Test
  void appliesAV1alpha3DocumentFromTheConfigMap() {
    client.resource(MockApi.managerConfig(V1ALPHA3)).create();

    EraserConfig config = started().current();

    assertThat(config.manager().runtime())
        .isEqualTo(
            new ContainerRuntime(
                RuntimeName.CONTAINERD, "unix:///run/k3s/containerd/containerd.sock"));
    assertThat(config.manager().scheduling().repeatInterval()).isEqualTo(Duration.ofHours(6));
    assertThat(config.manager().imageJob().successRatio()).isEqualTo(0.8);
    assertThat(config.components().collector().enabled()).isTrue();
  }

  @Test
  void appliesAV1alpha2DocumentFromTheConfigMap() {
    client.resource(MockApi.managerConfig(V1ALPHA2)).create();

    EraserConfig config = started().current();

    assertThat(config.manager().runtime()).isEqualTo(RuntimeName.CRIO.defaultRuntime());
    assertThat(config.manager().scheduling().repeatInterval()).isEqualTo(Duration.ofHours(12));
    assertThat(config.manager().scheduling().beginImmediately()).isFalse();
    assertThat(config.components().remover().image().reference())
        .isEqualTo("registry.example/eraser/remover:v2");
  }

  @Test
  void picksUpAValidEditAndTellsTheListeners() {
    client.resource(MockApi.managerConfig(V1ALPHA3)).create();
    ConfigSource started = started();
    List<EraserConfig> heard = new CopyOnWriteArrayList<>();
    started.addListener((previous, current) -> heard.add(current));

    edit(V1ALPHA3.replace("repeatInterval: 6h", "repeatInterval: 90m"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(started.current().manager().scheduling().repeatInterval())
                    .isEqualTo(Duration.ofMinutes(90)));
    assertThat(started.current().manager().imageJob().successRatio()).isEqualTo(0.8);
    assertThat(heard).containsExactly(started.current());
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "scheduling: {repeatInterval: 300}|manager.scheduling.repeatInterval|\"300\"",
        "imageJob: {successRatio: 1.5}|manager.imageJob.successRatio|\"1.5\"",
        "runtime: {name: containerd, address: 'http://localhost/run.sock'}"
            + "|manager.runtime.address|\"http://localhost/run.sock\""
      })
  void keepsThePreviousConfigOnAnInvalidEditAndRecordsAWarningEvent(
      String managerSection, String key, String value) {
    client.resource(MockApi.managerConfig(V1ALPHA3)).create();
    ConfigSource started = started();
    EraserConfig before = started.current();

    edit(
        """
        apiVersion: eraser.sh/v1alpha3
        kind: EraserConfig
        manager: {%s}
        """
            .formatted(managerSection));

    await().atMost(WAIT).until(() -> !invalidConfigEvents().isEmpty());
    Event event = invalidConfigEvents().get(0);
    assertThat(event.getType()).isEqualTo("Warning");
    assertThat(event.getMessage()).startsWith(key + ": " + value);
    assertThat(event.getInvolvedObject().getKind()).isEqualTo("ConfigMap");
    assertThat(event.getInvolvedObject().getNamespace()).isEqualTo(MockApi.NAMESPACE);
    assertThat(started.current()).isSameAs(before);
  }

  @Test
  void aValidEditAfterAnInvalidOneIsApplied() {
    client.resource(MockApi.managerConfig(V1ALPHA3)).create();
    ConfigSource started = started();
    edit(V1ALPHA3.replace("successRatio: 0.8", "successRatio: 1.5"));
    await().atMost(WAIT).until(() -> !invalidConfigEvents().isEmpty());

    edit(V1ALPHA3.replace("successRatio: 0.8", "successRatio: 0.5"));

    await().atMost(WAIT).until(() -> started.current().manager().imageJob().successRatio() == 0.5);
    assertThat(invalidConfigEvents()).hasSize(1);
  }

  @Test
  void startsWithTheDefaultsWhenTheConfigMapIsMissingAndSaysSo() {
    EraserConfig config = started().current();

    assertThat(config).isEqualTo(loader.defaults());
    assertThat(MockApi.eventsAbout(client, ConfigSource.DEFAULT_CONFIGMAP_NAME))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.getReason()).isEqualTo(ConfigSource.REASON_MISSING);
              assertThat(event.getMessage()).contains("built-in defaults");
            });
  }

  @Test
  void appliesTheConfigMapWhenItIsCreatedAfterTheStart() {
    ConfigSource started = started();

    client.resource(MockApi.managerConfig(V1ALPHA2)).create();

    await()
        .atMost(WAIT)
        .until(() -> started.current().manager().runtime().name() == RuntimeName.CRIO);
  }

  @Test
  void keepsTheLastConfigWhenTheConfigMapIsDeleted() {
    client.resource(MockApi.managerConfig(V1ALPHA3)).create();
    ConfigSource started = started();
    EraserConfig before = started.current();

    client.configMaps().inNamespace(MockApi.NAMESPACE).withName(configMapName()).delete();

    await()
        .atMost(WAIT)
        .until(
            () ->
                client.configMaps().inNamespace(MockApi.NAMESPACE).withName(configMapName()).get()
                    == null);
    assertThat(started.current()).isSameAs(before);
  }

  @Test
  void refusesToStartOnAnInvalidConfigMapAndRecordsAWarningEvent() {
    client.resource(MockApi.managerConfig(V1ALPHA3.replace("6h", "soon"))).create();
    source = ConfigSource.watching(client, MockApi.NAMESPACE, configMapName(), loader);

    assertThatThrownBy(source::start)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining(configMapName())
        .hasMessageContaining("manager.scheduling.repeatInterval: \"soon\"");
    assertThat(invalidConfigEvents()).hasSize(1);
  }

  @Test
  void aConfigMapWithoutTheKeyIsInvalid() {
    client.resource(MockApi.managerConfig(V1ALPHA3)).create();
    ConfigSource started = started();
    EraserConfig before = started.current();

    ConfigMap edited = MockApi.managerConfig(V1ALPHA3);
    edited.setData(java.util.Map.of("config.yaml", V1ALPHA3));
    client.resource(edited).update();

    await().atMost(WAIT).until(() -> !invalidConfigEvents().isEmpty());
    assertThat(invalidConfigEvents().get(0).getMessage()).contains(ConfigSource.CONFIG_KEY);
    assertThat(started.current()).isSameAs(before);
  }

  @Test
  void aFixedSourceAnswersItsConfigAndWatchesNothing() {
    EraserConfig config = loader.defaults();
    ConfigSource fixed = ConfigSource.fixed(config);

    fixed.start();

    assertThat(fixed.current()).isSameAs(config);
    assertThat(fixed.isWatching()).isFalse();
  }

  private ConfigSource started() {
    source = ConfigSource.watching(client, MockApi.NAMESPACE, configMapName(), loader);
    source.start();
    return source;
  }

  private void edit(String document) {
    client.resource(MockApi.managerConfig(document)).update();
  }

  private List<Event> invalidConfigEvents() {
    return MockApi.eventsAbout(client, configMapName()).stream()
        .filter(e -> ConfigSource.REASON_INVALID.equals(e.getReason()))
        .toList();
  }

  private static String configMapName() {
    return ConfigSource.DEFAULT_CONFIGMAP_NAME;
  }
}
