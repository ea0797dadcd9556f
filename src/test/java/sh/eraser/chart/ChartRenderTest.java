package sh.eraser.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.EraserConfigLoader;
import sh.eraser.config.ParsedConfig;
import sh.eraser.images.ExclusionList;
import sh.eraser.images.ExclusionLoader;
import sh.eraser.images.NodeImage;
import sh.eraser.manager.ManagerApiCalls;
import sh.eraser.manager.ManagerApiCalls.ApiCall;
import sh.eraser.manager.WorkerPodPreview;

/**
 * The Helm chart as {@code helm lint} and {@code helm template} see it, for the default values and
 * the edge values files in {@code charts/eraser/ci/}: what an admin installs, checked object by
 * object against what the manager and the workers need.
 */
@EnableKubernetesMockClient(crud = true)
class ChartRenderTest {

  private static final Path CI_VALUES = Path.of(RenderedChart.CHART, "ci");
  private static final String ALL_OFF = "charts/eraser/ci/all-off-values.yaml";
  private static final String INCLUDE = "charts/eraser/ci/include-filter-values.yaml";
  private static final String PULL_SECRETS = "charts/eraser/ci/pull-secrets-values.yaml";
  private static final String SOCKET = "charts/eraser/ci/custom-socket-values.yaml";
  private static final String METRICS = "charts/eraser/ci/metrics-values.yaml";
  private static final String MANAGER = "eraser-controller-manager";

  /** The permissions leader election needs; the recorded runs have it off (see below). */
  private static final Set<ApiCall> LEADER_ELECTION =
      Set.of(
          new ApiCall("coordination.k8s.io", "leases", "get", RenderedChart.NAMESPACE),
          new ApiCall("coordination.k8s.io", "leases", "create", RenderedChart.NAMESPACE),
          // The operator framework checks for update before it starts; the Lease is then renewed
          // with a merge patch (both seen on the real cluster of ChartE2E).
          new ApiCall("coordination.k8s.io", "leases", "update", RenderedChart.NAMESPACE),
          new ApiCall("coordination.k8s.io", "leases", "patch", RenderedChart.NAMESPACE));

  KubernetesMockServer server;
  KubernetesClient client;

  @Test
  void lintPassesForTheDefaultsAndEveryEdgeValuesFile() throws IOException {
    assertThat(Helm.run("lint", "--strict", RenderedChart.CHART)).contains("0 chart(s) failed");
    List<Path> files = ciValuesFiles();
    assertThat(files).hasSizeGreaterThanOrEqualTo(5);
    for (Path file : files) {
      assertThat(Helm.run("lint", "--strict", RenderedChart.CHART, "-f", file.toString()))
          .as("helm lint with %s", file)
          .contains("0 chart(s) failed");
    }
  }

  @Test
  void theManagerRunsNonRootOnAReadOnlyRootWithProbesAndItsPodName() {
    Deployment deployment = RenderedChart.render().get(Deployment.class, "Deployment", MANAGER);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container manager = pod.getContainers().get(0);

    assertThat(pod.getServiceAccountName()).isEqualTo(MANAGER);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(manager.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(manager.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(manager.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    // The JVM writes only under /tmp, which is a volume.
    assertThat(manager.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));

    assertThat(manager.getArgs()).startsWith("manager").contains("--health-port=8081");
    assertThat(manager.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(manager.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(manager.getPorts())
        .anyMatch(p -> p.getName().equals("health") && p.getContainerPort() == 8081);
    assertThat(manager.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");

    assertThat(fieldRef(manager, "POD_NAME")).isEqualTo("metadata.name");
    assertThat(fieldRef(manager, "POD_NAMESPACE")).isEqualTo("metadata.namespace");
    // The manager's selector must pick out its own pods only: it carries control-plane.
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .containsEntry("control-plane", "controller-manager");
    assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
        .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void everyComponentRunsTheOneImageTaggedWithTheProjectVersion() {
    RenderedChart chart = RenderedChart.render();
    String version = System.getProperty("eraser.version", "");
    assertThat(version).as("the build passes the project version").isNotBlank();
    String image = "ghcr.io/eraser-java/eraser:" + version;

    assertThat(container(chart).getImage()).isEqualTo(image);
    EraserConfig config = load(chart.managerConfig());
    assertThat(config.components().collector().image().reference()).isEqualTo(image);
    assertThat(config.components().scanner().image().reference()).isEqualTo(image);
    assertThat(config.components().remover().image().reference()).isEqualTo(image);
  }

  @Test
  void theDefaultsRenderAConfigTheManagerAcceptsWithScheduledScanningOn() {
    EraserConfig config = load(RenderedChart.render().managerConfig());

    assertThat(config.components().collector().enabled()).isTrue();
    assertThat(config.components().scanner().enabled()).isTrue();
    assertThat(config.manager().nodeFilter().type()).isEqualTo(EraserConfig.NodeFilterType.EXCLUDE);
    assertThat(config.manager().nodeFilter().selectors().stream().map(Object::toString))
        .contains("eraser.sh/cleanup.filter", "kubernetes.io/os=windows");
    assertThat(config.manager().imageJob().successRatio()).isEqualTo(1.0);
    assertThat(config.manager().runtime().address())
        .isEqualTo("unix:///run/containerd/containerd.sock");
  }

  @Test
  void everyEdgeValuesFileRendersAConfigTheManagerAcceptsWithoutWarnings() throws IOException {
    for (Path file : ciValuesFiles()) {
      ParsedConfig<EraserConfig> parsed =
          new EraserConfigLoader().load(RenderedChart.render(file.toString()).managerConfig());
      assertThat(parsed.warnings()).as("warnings for %s", file).isEmpty();
    }
  }

  @Test
  void withTheDefaultsAScheduledWorkerPodRunsThePipelineFromTheOneImageWithTheSystemList() {
    RenderedChart chart = RenderedChart.render();
    Pod pod = scheduledPod(chart);

    assertThat(pod.getSpec().getContainers())
        .extracting(Container::getName)
        .containsExactly("collector", "remover", "trivy-scanner");
    assertThat(pod.getSpec().getContainers())
        .extracting(Container::getImage)
        .containsOnly(container(chart).getImage());
    assertThat(pod.getSpec().getServiceAccountName()).isEqualTo("eraser-imagejob-pods");
    assertThat(pod.getSpec().getVolumes())
        .anyMatch(
            v ->
                v.getConfigMap() != null
                    && v.getConfigMap().getName().equals("eraser-system-exclusion"));
    Container remover = pod.getSpec().getContainers().get(1);
    assertThat(remover.getResources().getLimits().get("memory")).isEqualTo(new Quantity("192Mi"));
  }

  @Test
  void allComponentsOffLeavesManualModeOnly() {
    RenderedChart chart = RenderedChart.render(ALL_OFF);
    EraserConfig config = load(chart.managerConfig());

    assertThat(config.components().collector().enabled()).isFalse();
    assertThat(config.components().scanner().enabled()).isFalse();
    // The manager itself is still installed in full.
    assertThat(chart.has("Deployment", MANAGER)).isTrue();
    assertThat(chart.has("ClusterRole", "eraser-manager-role")).isTrue();
  }

  @Test
  void anIncludeFilterReachesTheConfig() {
    EraserConfig config = load(RenderedChart.render(INCLUDE).managerConfig());

    assertThat(config.manager().nodeFilter().type()).isEqualTo(EraserConfig.NodeFilterType.INCLUDE);
    assertThat(config.manager().nodeFilter().selectors().stream().map(Object::toString))
        .contains("pool=ci", "eraser.sh/cleanup.filter")
        .doesNotContain("kubernetes.io/os=windows");
  }

  @Test
  void pullSecretsReachTheManagerPodAndTheWorkerPods() {
    RenderedChart chart = RenderedChart.render(PULL_SECRETS);
    PodSpec pod =
        chart.get(Deployment.class, "Deployment", MANAGER).getSpec().getTemplate().getSpec();

    assertThat(pod.getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("testsecret", "registry-b");
    EraserConfig config = load(chart.managerConfig());
    assertThat(config.manager().pullSecrets()).containsExactly("testsecret", "registry-b");
    assertThat(
            WorkerPodPreview.manual(config, RenderedChart.NAMESPACE, List.of())
                .getSpec()
                .getImagePullSecrets())
        .extracting(LocalObjectReference::getName)
        .containsExactly("testsecret", "registry-b");
    // A mirrored manager image is what the workers run too.
    assertThat(container(chart).getImage()).isEqualTo("registry.example.com/mirror/eraser:0.1.0");
    assertThat(config.components().remover().image().reference())
        .isEqualTo("registry.example.com/mirror/eraser:0.1.0");
  }

  @Test
  void aCustomRuntimeSocketReachesTheConfig() {
    EraserConfig config = load(RenderedChart.render(SOCKET).managerConfig());

    assertThat(config.manager().runtime().name()).isEqualTo(EraserConfig.RuntimeName.CONTAINERD);
    assertThat(config.manager().runtime().address()).isEqualTo("unix:///fake/socket/address.sock");
    // Every worker container reaches that socket on its node through a hostPath volume.
    assertThat(
            WorkerPodPreview.scheduled(config, RenderedChart.NAMESPACE, List.of())
                .getSpec()
                .getVolumes())
        .filteredOn(v -> v.getHostPath() != null)
        .extracting(v -> v.getHostPath().getPath())
        .contains("/fake/socket/address.sock");
  }

  @Test
  void workerMemoryFollowsTheMeasuredPeakWithHeadroom() throws IOException {
    double peakMiB = measuredWorkerPeakMiB();
    EraserConfig config = load(RenderedChart.render().managerConfig());

    for (EraserConfig.Component worker :
        List.of(config.components().collector(), config.components().remover())) {
      // The request holds a typical run; the limit leaves half as much again for larger nodes.
      assertThat(mebibytes(worker.request().mem())).isGreaterThanOrEqualTo(peakMiB);
      assertThat(mebibytes(worker.limit().mem())).isGreaterThanOrEqualTo(peakMiB * 1.5);
    }
  }

  @Test
  void theSystemExclusionListKeepsPauseImagesAndNothingElse(@TempDir Path mounted)
      throws IOException {
    ConfigMap list =
        RenderedChart.render().get(ConfigMap.class, "ConfigMap", "eraser-system-exclusion");
    assertThat(list.getMetadata().getLabels()).containsEntry("eraser.sh/exclude.list", "true");

    // Mounted as a worker pod mounts it, and read by the workers' own loader.
    Path dir = Files.createDirectories(mounted.resolve("exclude-eraser-system-exclusion"));
    for (Map.Entry<String, String> key : list.getData().entrySet()) {
      Files.writeString(dir.resolve(key.getKey()), key.getValue());
    }
    ExclusionList exclusions = ExclusionLoader.load(mounted);

    assertThat(exclusions.excludedBy(image("registry.k8s.io/pause:3.10"))).isPresent();
    assertThat(exclusions.excludedBy(image("mcr.microsoft.com/oss/kubernetes/pause:3.6")))
        .isPresent();
    assertThat(exclusions.excludedBy(image("docker.io/library/nginx:1.25"))).isEmpty();
    assertThat(exclusions.excludedBy(image("registry.k8s.io/kube-proxy:v1.35.4"))).isEmpty();
  }

  @Test
  void rbacGrantsEveryCallTheManagerMakesAndNothingElse() throws InterruptedException {
    Set<ApiCall> used = ManagerApiCalls.record(server, client);
    Set<ApiCall> granted = granted(RenderedChart.render());

    assertThat(used).as("the recorded scenario made calls").isNotEmpty();
    List<ApiCall> missing = used.stream().filter(call -> !covers(granted, call)).toList();
    assertThat(missing).as("calls the chart's RBAC does not allow").isEmpty();

    Set<ApiCall> needed = new TreeSet<>(used);
    needed.addAll(LEADER_ELECTION);
    List<ApiCall> unused = granted.stream().filter(grant -> !usedBy(needed, grant)).toList();
    assertThat(unused).as("permissions the manager never uses").isEmpty();
  }

  @Test
  void rbacIsBoundToTheManagersServiceAccountInTheReleaseNamespace() {
    RenderedChart chart = RenderedChart.render();
    ClusterRoleBinding cluster =
        chart.get(ClusterRoleBinding.class, "ClusterRoleBinding", "eraser-manager-rolebinding");
    RoleBinding namespaced =
        chart.get(RoleBinding.class, "RoleBinding", "eraser-manager-rolebinding");

    for (var subjects : List.of(cluster.getSubjects(), namespaced.getSubjects())) {
      assertThat(subjects)
          .singleElement()
          .satisfies(
              s -> {
                assertThat(s.getName()).isEqualTo(MANAGER);
                assertThat(s.getNamespace()).isEqualTo(RenderedChart.NAMESPACE);
              });
    }
    // Worker pods get an account with no binding at all.
    assertThat(chart.has("ServiceAccount", "eraser-imagejob-pods")).isTrue();
    assertThat(chart.ofKind("RoleBinding").toString()).doesNotContain("eraser-imagejob-pods");
    assertThat(chart.ofKind("ClusterRoleBinding").toString())
        .doesNotContain("eraser-imagejob-pods");
  }

  @Test
  void theChartInstallsTheGeneratedCrdsAndKeepsThemOnUninstall() throws IOException {
    for (Path crd : crdFiles(Path.of("crds"))) {
      assertThat(Path.of(RenderedChart.CHART, "files", "crds", crd.getFileName().toString()))
          .as("charts/eraser/files/crds is stale: run make operator")
          .hasSameTextualContentAs(crd);
    }
    assertThat(crdFiles(Path.of(RenderedChart.CHART, "files", "crds")))
        .hasSameSizeAs(crdFiles(Path.of("crds")));

    List<JsonNode> crds = RenderedChart.render().ofKind("CustomResourceDefinition");
    assertThat(crds)
        .extracting(c -> c.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder("imagelists.eraser.sh", "imagejobs.eraser.sh");
    assertThat(crds)
        .allSatisfy(
            c ->
                assertThat(
                        c.path("metadata")
                            .path("annotations")
                            .path("helm.sh/resource-policy")
                            .asText())
                    .isEqualTo("keep"));
  }

  @Test
  void theOperatorManifestIsTheChartRenderedWithItsDefaults() throws IOException {
    Helm.Result rendered =
        Helm.execute(List.of("hack/render-operator.sh", Helm.binary().toString()));
    assertThat(rendered.exitCode()).as(rendered.err()).isZero();

    assertThat(Files.readString(Path.of("operator/eraser.yaml")))
        .as("operator/eraser.yaml is stale: run make operator")
        .isEqualTo(rendered.out());
    RenderedChart manifest = RenderedChart.parse(rendered.out());
    assertThat(manifest.has("Namespace", RenderedChart.NAMESPACE)).isTrue();
    assertThat(manifest.has("Deployment", MANAGER)).isTrue();
  }

  @Test
  void aMistypedValueIsRejectedNamingTheKey() {
    Helm.Result result =
        Helm.exec(
            "template",
            RenderedChart.RELEASE,
            RenderedChart.CHART,
            "-f",
            "src/test/resources/chart/wrong-type-values.yaml");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("/runtimeConfig/manager/imageJob/successRatio");
    assertThat(result.out()).doesNotContain("kind: Deployment");
  }

  @Test
  void aMisspelledKeyIsRejectedNamingIt() {
    Helm.Result result =
        Helm.exec(
            "template",
            RenderedChart.RELEASE,
            RenderedChart.CHART,
            "--set",
            "runtimeConfig.manager.nodeFiltre.type=include");

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.err()).contains("nodeFiltre");
  }

  @Test
  void valuesTheManagerWouldRefuseAreRejectedByTheChartNamingTheKey() {
    Map<String, String> refused =
        Map.of(
            "runtimeConfig.manager.scheduling.repeatInterval=0s",
            "/runtimeConfig/manager/scheduling/repeatInterval",
            "runtimeConfig.manager.scheduling.repeatInterval=1d",
            "/runtimeConfig/manager/scheduling/repeatInterval",
            "runtimeConfig.manager.runtime.address=tcp://10.0.0.1:1234",
            "/runtimeConfig/manager/runtime/address");

    refused.forEach(
        (value, key) -> {
          Helm.Result result =
              Helm.exec(
                  "template", RenderedChart.RELEASE, RenderedChart.CHART, "--set-string", value);
          assertThat(result.exitCode()).as(value).isNotZero();
          assertThat(result.err()).as(value).contains(key);
        });
  }

  @Test
  void metricsObjectsAreOffByDefault() {
    RenderedChart chart = RenderedChart.render();

    assertThat(chart.ofKind("ServiceMonitor")).isEmpty();
    assertThat(chart.has("ConfigMap", "eraser-grafana-dashboard")).isFalse();
  }

  @Test
  void theServiceMonitorScrapesTheManagersMetricsPort() {
    RenderedChart chart = RenderedChart.render(METRICS);
    JsonNode monitor = chart.tree("ServiceMonitor", MANAGER);
    JsonNode service = chart.tree("Service", "eraser-controller-manager-metrics");
    Deployment deployment = chart.get(Deployment.class, "Deployment", MANAGER);

    assertThat(monitor.path("metadata").path("labels").path("release").asText())
        .isEqualTo("prometheus");
    JsonNode endpoint = monitor.path("spec").path("endpoints").get(0);
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(endpoint.path("port").asText()).isEqualTo("metrics");
    // Service selects the manager's pods, and its metrics port targets the container's.
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    service
        .path("spec")
        .path("selector")
        .properties()
        .forEach(e -> assertThat(podLabels).containsEntry(e.getKey(), e.getValue().asText()));
    assertThat(container(chart).getPorts()).anyMatch(p -> p.getName().equals("metrics"));
  }

  @Test
  void theDashboardChartsTheMetricsEraserExports() throws IOException {
    ConfigMap dashboard =
        RenderedChart.render(METRICS).get(ConfigMap.class, "ConfigMap", "eraser-grafana-dashboard");
    assertThat(dashboard.getMetadata().getNamespace()).isEqualTo("monitoring");
    assertThat(dashboard.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1");

    JsonNode json = new ObjectMapper().readTree(dashboard.getData().get("eraser.json"));
    List<String> expressions = new ArrayList<>();
    json.path("panels")
        .forEach(p -> p.path("targets").forEach(t -> expressions.add(t.path("expr").asText())));
    Set<String> metrics = new TreeSet<>();
    Matcher m =
        Pattern.compile("\\b([a-z_]+_(?:total|seconds_bucket))\\b")
            .matcher(String.join(" ", expressions));
    while (m.find()) {
      metrics.add(m.group(1));
    }
    assertThat(metrics)
        .containsExactlyInAnyOrder(
            "images_removed_run_total",
            "vulnerable_images_run_total",
            "imagejob_run_total",
            "pods_completed_run_total",
            "pods_failed_run_total",
            "imagejob_duration_run_seconds_bucket");
  }

  /** The scheduled worker pod the manager would create, with the chart's exclusion lists. */
  private static Pod scheduledPod(RenderedChart chart) {
    List<String> lists =
        chart.ofKind("ConfigMap").stream()
            .filter(
                c ->
                    "true"
                        .equals(
                            c.path("metadata")
                                .path("labels")
                                .path("eraser.sh/exclude.list")
                                .asText()))
            .map(c -> c.path("metadata").path("name").asText())
            .toList();
    return WorkerPodPreview.scheduled(load(chart.managerConfig()), RenderedChart.NAMESPACE, lists);
  }

  private static EraserConfig load(String document) {
    return new EraserConfigLoader().load(document).config();
  }

  private static Container container(RenderedChart chart) {
    return chart
        .get(Deployment.class, "Deployment", MANAGER)
        .getSpec()
        .getTemplate()
        .getSpec()
        .getContainers()
        .get(0);
  }

  private static String fieldRef(Container container, String name) {
    return container.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .map(EnvVar::getValueFrom)
        .map(v -> v.getFieldRef().getFieldPath())
        .findFirst()
        .orElse(null);
  }

  private static NodeImage image(String tag) {
    return new NodeImage("sha256:" + "ab".repeat(32), List.of(tag), List.of(), false);
  }

  private static List<Path> ciValuesFiles() throws IOException {
    try (Stream<Path> files = Files.list(CI_VALUES)) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static List<Path> crdFiles(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".yml")).sorted().toList();
    }
  }

  /** The largest worker peak RSS in the benchmark figures of docs/performance.md, in MiB. */
  private static double measuredWorkerPeakMiB() throws IOException {
    String doc = Files.readString(Path.of("docs/performance.md"));
    String figures =
        doc.substring(doc.indexOf("<!-- bench:start -->"), doc.indexOf("<!-- bench:end -->"));
    Matcher m = Pattern.compile("\\| ([0-9.]+) MiB \\|").matcher(figures);
    double peak = 0;
    while (m.find()) {
      peak = Math.max(peak, Double.parseDouble(m.group(1)));
    }
    assertThat(peak).as("peak RSS figures in docs/performance.md").isPositive();
    return peak;
  }

  private static double mebibytes(String quantity) {
    BigDecimal bytes = Quantity.getAmountInBytes(new Quantity(quantity));
    return bytes.doubleValue() / (1024 * 1024);
  }

  /** Every (group, resource, verb, namespace) the ClusterRole and the Roles grant. */
  private static Set<ApiCall> granted(RenderedChart chart) {
    Set<ApiCall> granted = new TreeSet<>();
    for (PolicyRule rule :
        chart.get(ClusterRole.class, "ClusterRole", "eraser-manager-role").getRules()) {
      expand(rule, null, granted);
    }
    for (JsonNode node : chart.ofKind("Role")) {
      Role role = Serialization.jsonMapper().convertValue(node, Role.class);
      for (PolicyRule rule : role.getRules()) {
        expand(rule, role.getMetadata().getNamespace(), granted);
      }
    }
    return granted;
  }

  private static void expand(PolicyRule rule, String namespace, Set<ApiCall> into) {
    for (String group : rule.getApiGroups()) {
      for (String resource : rule.getResources()) {
        for (String verb : rule.getVerbs()) {
          into.add(new ApiCall(group, resource, verb, namespace));
        }
      }
    }
  }

  /** A ClusterRole grant covers a call anywhere; a Role grant only in its own namespace. */
  private static boolean covers(Set<ApiCall> granted, ApiCall call) {
    return granted.contains(new ApiCall(call.group(), call.resource(), call.verb(), null))
        || (call.namespace() != null && granted.contains(call));
  }

  private static boolean usedBy(Set<ApiCall> used, ApiCall grant) {
    return used.stream()
        .anyMatch(
            call ->
                call.group().equals(grant.group())
                    && call.resource().equals(grant.resource())
                    && call.verb().equals(grant.verb())
                    && (grant.namespace() == null || grant.namespace().equals(call.namespace())));
  }
}
