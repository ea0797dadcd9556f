package sh.eraser.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sh.eraser.config.EraserConfig.Components;
import sh.eraser.config.EraserConfig.ContainerRuntime;
import sh.eraser.config.EraserConfig.Image;
import sh.eraser.config.EraserConfig.Manager;
import sh.eraser.config.EraserConfig.NodeFilterType;
import sh.eraser.config.EraserConfig.Resources;
import sh.eraser.config.EraserConfig.RuntimeName;

class EraserConfigLoaderTest {

  private static final String TAG = "v9.9.9";
  private static final EraserConfig DEFAULTS = EraserConfig.defaults(TAG);

  private final EraserConfigLoader loader = new EraserConfigLoader(TAG);

  @Test
  void loadsTheDocumentTheHelmChartRenders() throws IOException {
    ParsedConfig<EraserConfig> parsed = loader.load(resource("chart-v1alpha3.yaml"));

    EraserConfig config = parsed.config();
    assertThat(parsed.warnings()).isEmpty();
    assertThat(config.manager().runtime()).isEqualTo(RuntimeName.CONTAINERD.defaultRuntime());
    assertThat(config.manager().scheduling()).isEqualTo(DEFAULTS.manager().scheduling());
    assertThat(config.manager().imageJob()).isEqualTo(DEFAULTS.manager().imageJob());
    assertThat(config.manager().nodeFilter().type()).isEqualTo(NodeFilterType.EXCLUDE);
    assertThat(config.manager().nodeFilter().selectors())
        .extracting(LabelSelector::toString)
        .containsExactly("eraser.sh/cleanup.filter", "kubernetes.io/os=windows");
    Components components = config.components();
    assertThat(components.collector().enabled()).isTrue();
    assertThat(components.scanner().enabled()).isTrue();
    assertThat(components.remover().enabled()).isTrue();
    assertThat(components.scanner().image())
        .isEqualTo(new Image(EraserConfig.DEFAULT_IMAGE_REPO, "v1.5.0-beta.0"));
    assertThat(components.scanner().config()).isEmpty();
    assertThat(components.remover().request()).isEqualTo(new Resources("64Mi", "7m"));
  }

  @Test
  void fillsEveryOmittedKeyWithItsDefault() {
    EraserConfig config = loader.load(v1alpha3("")).config();

    assertThat(config).isEqualTo(DEFAULTS);
    Manager manager = config.manager();
    assertThat(manager.scheduling().repeatInterval()).isEqualTo(Duration.ofHours(24));
    assertThat(manager.scheduling().beginImmediately()).isTrue();
    assertThat(manager.profile().port()).isEqualTo(6060);
    assertThat(manager.imageJob().successRatio()).isEqualTo(1.0);
    assertThat(manager.imageJob().cleanup().delayOnSuccess()).isZero();
    assertThat(manager.imageJob().cleanup().delayOnFailure()).isEqualTo(Duration.ofHours(24));
    assertThat(manager.nodeFilter().selectors())
        .extracting(LabelSelector::toString)
        .containsExactly("eraser.sh/cleanup.filter");
    assertThat(config.components().collector().enabled()).isFalse();
    assertThat(config.components().scanner().limit()).isEqualTo(new Resources("2Gi", "1500m"));
    assertThat(config.components().remover().image().reference())
        .isEqualTo("ghcr.io/eraser-java/eraser:v9.9.9");
  }

  @Test
  void takesTheDefaultTagFromTheBuild() {
    EraserConfig config = new EraserConfigLoader().load(v1alpha3("")).config();

    assertThat(config.components().collector().image().tag())
        .isEqualTo(sh.eraser.config.BuildInfo.version())
        .isNotBlank();
  }

  @Test
  void presentMappingsMergeIntoTheDefaults() {
    EraserConfig config =
        loader
            .load(
                v1alpha3(
                    """
                    manager:
                      scheduling:
                        beginImmediately: false
                      imageJob:
                        cleanup:
                          delayOnSuccess: 1m30s
                      additionalPodLabels:
                        team: platform
                    components:
                      scanner:
                        image:
                          tag: custom
                        request:
                          cpu: 250m
                    """))
            .config();

    assertThat(config.manager().scheduling().repeatInterval()).isEqualTo(Duration.ofHours(24));
    assertThat(config.manager().scheduling().beginImmediately()).isFalse();
    assertThat(config.manager().imageJob().cleanup().delayOnSuccess())
        .isEqualTo(Duration.ofSeconds(90));
    assertThat(config.manager().imageJob().cleanup().delayOnFailure())
        .isEqualTo(Duration.ofHours(24));
    assertThat(config.manager().additionalPodLabels())
        .containsExactly(Map.entry("team", "platform"));
    assertThat(config.components().scanner().image())
        .isEqualTo(new Image(EraserConfig.DEFAULT_IMAGE_REPO, "custom"));
    assertThat(config.components().scanner().request()).isEqualTo(new Resources("500Mi", "250m"));
  }

  @Test
  void presentListsReplaceTheDefaultList() {
    EraserConfig config =
        loader
            .load(
                v1alpha3(
                    """
                    manager:
                      pullSecrets: [registry-a, registry-b]
                      nodeFilter:
                        type: include
                        selectors: ["pool in (batch,spot)"]
                    """))
            .config();

    assertThat(config.manager().pullSecrets()).containsExactly("registry-a", "registry-b");
    assertThat(config.manager().nodeFilter().type()).isEqualTo(NodeFilterType.INCLUDE);
    assertThat(config.manager().nodeFilter().selectors())
        .extracting(LabelSelector::toString)
        .containsExactly("pool in (batch,spot)", "eraser.sh/cleanup.filter");
  }

  @Test
  void appendsTheCleanupFilterOnlyWhenItIsMissing() {
    EraserConfig emptied = loader.load(v1alpha3("manager: {nodeFilter: {selectors: []}}")).config();
    EraserConfig spaced =
        loader
            .load(v1alpha3("manager: {nodeFilter: {selectors: [' eraser.sh/cleanup.filter ']}}"))
            .config();

    assertThat(emptied.manager().nodeFilter().selectors())
        .extracting(LabelSelector::toString)
        .containsExactly("eraser.sh/cleanup.filter");
    assertThat(spaced.manager().nodeFilter().selectors()).hasSize(1);
  }

  @Test
  void readsComponentsEraserAsTheRemoverInV1alpha1() {
    ParsedConfig<EraserConfig> parsed =
        loader.load(
            """
            apiVersion: eraser.sh/v1alpha1
            kind: EraserConfig
            manager:
              runtime: containerd
            components:
              eraser:
                image: {repo: registry.example/remover, tag: v1}
                limit: {mem: 64Mi}
              remover:
                image: {tag: ignored}
            """);

    Components components = parsed.config().components();
    assertThat(components.remover().image().reference()).isEqualTo("registry.example/remover:v1");
    assertThat(components.remover().limit()).isEqualTo(new Resources("64Mi", "0"));
    assertThat(parsed.warnings()).containsExactly("components.remover: unknown key, ignored");
  }

  @Test
  void ignoresComponentsEraserFromV1alpha2On() {
    ParsedConfig<EraserConfig> parsed =
        loader.load(
            """
            apiVersion: eraser.sh/v1alpha2
            kind: EraserConfig
            components:
              eraser: {image: {tag: old}}
              remover: {image: {tag: new}}
            """);

    assertThat(parsed.config().components().remover().image().tag()).isEqualTo("new");
    assertThat(parsed.warnings()).containsExactly("components.eraser: unknown key, ignored");
  }

  @Test
  void turnsAPlainRuntimeNameIntoThatRuntimesSocket() {
    for (String version : List.of("eraser.sh/v1alpha1", "eraser.sh/v1alpha2")) {
      assertThat(runtimeOf(version, "crio"))
          .isEqualTo(new ContainerRuntime(RuntimeName.CRIO, "unix:///run/crio/crio.sock"));
      assertThat(runtimeOf(version, "dockershim"))
          .isEqualTo(new ContainerRuntime(RuntimeName.DOCKERSHIM, "unix:///run/dockershim.sock"));
      assertThat(runtimeOf(version, "containerd"))
          .isEqualTo(
              new ContainerRuntime(
                  RuntimeName.CONTAINERD, "unix:///run/containerd/containerd.sock"));
    }
  }

  @Test
  void readsTheRuntimeObjectOfV1alpha3() {
    EraserConfig named = loader.load(v1alpha3("manager: {runtime: {name: crio}}")).config();
    EraserConfig addressed =
        loader
            .load(
                v1alpha3(
                    "manager: {runtime: {name: containerd, address: unix:///var/run/k3s.sock}}"))
            .config();
    EraserConfig empty = loader.load(v1alpha3("manager: {runtime: {}}")).config();

    assertThat(named.manager().runtime()).isEqualTo(RuntimeName.CRIO.defaultRuntime());
    assertThat(addressed.manager().runtime())
        .isEqualTo(new ContainerRuntime(RuntimeName.CONTAINERD, "unix:///var/run/k3s.sock"));
    assertThat(empty.manager().runtime()).isEqualTo(RuntimeName.CONTAINERD.defaultRuntime());
  }

  @Test
  void additionalPodLabelsExistOnlyInV1alpha3() {
    ParsedConfig<EraserConfig> parsed =
        loader.load(
            """
            apiVersion: eraser.sh/v1alpha2
            kind: EraserConfig
            manager:
              additionalPodLabels: {team: platform}
            """);

    assertThat(parsed.config().manager().additionalPodLabels()).isEmpty();
    assertThat(parsed.warnings())
        .containsExactly("manager.additionalPodLabels: unknown key, ignored");
  }

  @Test
  void reportsUnknownKeysAndIgnoresThem() {
    ParsedConfig<EraserConfig> parsed =
        loader.load(
            v1alpha3(
                """
                manager:
                  scheduling: {repeatInterval: 1h, jitter: 5m}
                components:
                  collector: {config: "unused"}
                  remover: {enabled: false}
                  cleaner: {}
                """));

    assertThat(parsed.config().manager().scheduling().repeatInterval())
        .isEqualTo(Duration.ofHours(1));
    assertThat(parsed.config().components().remover().enabled()).isTrue();
    assertThat(parsed.warnings())
        .containsExactlyInAnyOrder(
            "manager.scheduling.jitter: unknown key, ignored",
            "components.cleaner: unknown key, ignored",
            "components.remover.enabled: ignored: the remover always runs");
  }

  @Test
  void readsJsonAsWellAsYaml() {
    String json =
        """
        {
        \t"apiVersion": "eraser.sh/v1alpha3",
        \t"kind": "EraserConfig",
        \t"manager": {"imageJob": {"successRatio": 0.5}, "profile": {"enabled": true, "port": 7070}}
        }
        """;

    String flowYaml =
        "{apiVersion: eraser.sh/v1alpha3, kind: EraserConfig, manager: {logLevel: warn}}";

    Manager manager = loader.load(json).config().manager();

    assertThat(manager.imageJob().successRatio()).isEqualTo(0.5);
    assertThat(manager.profile()).isEqualTo(new EraserConfig.Profile(true, 7070));
    assertThat(loader.load(flowYaml).config().manager().logLevel()).isEqualTo("warn");
  }

  @Test
  void keepsTheScannerConfigAndVolumesAsWritten() {
    EraserConfig config =
        loader
            .load(
                v1alpha3(
                    """
                    components:
                      scanner:
                        config: |
                          vulnerabilities:
                            severities: [CRITICAL]
                        volumes:
                          - name: osv-db
                            hostPath: {path: /var/lib/osv, type: Directory}
                    """))
            .config();

    String scannerConfig = config.components().scanner().config();
    assertThat(scannerConfig).isEqualTo("vulnerabilities:\n  severities: [CRITICAL]\n");
    assertThat(ScannerConfig.parse(scannerConfig).config().vulnerabilities().severities())
        .containsExactly(ScannerConfig.Severity.CRITICAL);
    assertThat(config.components().scanner().volumes())
        .singleElement()
        .satisfies(
            volume -> {
              assertThat(volume.path("name").asText()).isEqualTo("osv-db");
              assertThat(volume.path("hostPath").path("path").asText()).isEqualTo("/var/lib/osv");
            });
  }

  @Test
  void acceptsZeroDelaysAndQuantitiesOfEveryForm() {
    EraserConfig config =
        loader
            .load(
                v1alpha3(
                    """
                    manager:
                      imageJob: {successRatio: 0, cleanup: {delayOnSuccess: 0s, delayOnFailure: 0}}
                    components:
                      collector: {request: {mem: 1.5Gi, cpu: 0.5}, limit: {mem: 1e6, cpu: 0}}
                    """))
            .config();

    assertThat(config.manager().imageJob().successRatio()).isZero();
    assertThat(config.manager().imageJob().cleanup().delayOnFailure()).isZero();
    assertThat(config.components().collector().request()).isEqualTo(new Resources("1.5Gi", "0.5"));
    assertThat(config.components().collector().limit()).isEqualTo(new Resources("1000000", "0"));
  }

  private ContainerRuntime runtimeOf(String apiVersion, String runtime) {
    String document =
        "apiVersion: " + apiVersion + "\nkind: EraserConfig\nmanager: {runtime: " + runtime + "}";
    return loader.load(document).config().manager().runtime();
  }

  static String v1alpha3(String body) {
    return "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n" + body;
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = EraserConfigLoaderTest.class.getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
