package sh.eraser.manager;

import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import sh.eraser.api.JobPhase;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;
import sh.eraser.config.EraserConfigLoader;

/**
 * Records the Kubernetes API calls the manager makes, as RBAC sees them (API group, resource,
 * verb), while it runs against the mock API server through everything it does in a cluster: it
 * finds its Deployment, follows its ConfigMap and rejects a bad edit, runs a manual and a scheduled
 * run to their end and deletes them, and removes a deleted ImageList's runs. The chart's RBAC is
 * checked against the result.
 */
public final class ManagerApiCalls {

  /**
   * One permission, as a Role or ClusterRole rule grants it.
   *
   * @param namespace where the call was made or the Role grants it; null for a cluster-wide call or
   *     a ClusterRole grant
   */
  public record ApiCall(String group, String resource, String verb, String namespace)
      implements Comparable<ApiCall> {

    @Override
    public int compareTo(ApiCall other) {
      return toString().compareTo(other.toString());
    }

    @Override
    public String toString() {
      String where = namespace == null ? "cluster" : "namespace " + namespace;
      return (group.isEmpty() ? "core" : group) + " " + resource + " " + verb + " (" + where + ")";
    }
  }

  private static final String AGENT = "eraser-manager-under-test";
  private static final Duration WAIT = Duration.ofSeconds(30);

  private ManagerApiCalls() {}

  /**
   * Runs the manager on {@code server} and returns the calls it made. {@code setup} is a client of
   * the same server for the scenario's own writes (a kubelet's pod status, a user's ImageList),
   * which are not counted.
   */
  public static Set<ApiCall> record(KubernetesMockServer server, KubernetesClient setup)
      throws InterruptedException {
    MockApi.quiet();
    MockApi.installCrds(setup);
    MockApi.managerDeployment(setup);
    setup.resource(MockApi.node("node-1", "True")).create();
    setup
        .resource(
            MockApi.managerConfig(
                "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n"
                    + "manager: {imageJob: {cleanup: {delayOnSuccess: 0s, delayOnFailure: 0s}}}\n"
                    + "components: {collector: {enabled: true}, scanner: {enabled: false}}\n"))
        .create();
    setup
        .resource(
            new ConfigMapBuilder()
                .withNewMetadata()
                .withName("keep-base-images")
                .withNamespace(MockApi.NAMESPACE)
                .addToLabels(Names.EXCLUDE_LIST_LABEL, "true")
                .endMetadata()
                .addToData("list.json", "{\"excluded\": [\"docker.io/library/*\"]}")
                .build())
        .create();

    try (KubernetesClient manager =
        new KubernetesClientBuilder()
            .withConfig(new ConfigBuilder(setup.getConfiguration()).withUserAgent(AGENT).build())
            .build()) {
      ManagerSettings settings =
          new ManagerSettings(
              MockApi.NAMESPACE, new InetSocketAddress("127.0.0.1", 0), false, MockApi.MANAGER_POD);
      ManagerRuntime runtime =
          new ManagerRuntime(
              settings,
              manager,
              ConfigSource.watching(
                  manager,
                  MockApi.NAMESPACE,
                  ConfigSource.DEFAULT_CONFIGMAP_NAME,
                  new EraserConfigLoader()));
      try {
        runtime.start();
        runScenario(setup);
      } finally {
        runtime.close();
      }
    }
    return drain(server);
  }

  private static void runScenario(KubernetesClient setup) {
    // A scheduled run starts at once (beginImmediately); it ends when its pod succeeds.
    finishRunOf(setup, Names.JOB_OWNER_COLLECTOR);

    setup.resource(new ImageList(Names.IMAGE_LIST, List.of("*"))).create();
    finishRunOf(setup, Names.JOB_OWNER_IMAGE_LIST);

    // An invalid edit is rejected with a Warning Event on the ConfigMap.
    setup
        .configMaps()
        .inNamespace(MockApi.NAMESPACE)
        .withName(ConfigSource.DEFAULT_CONFIGMAP_NAME)
        .edit(
            cm ->
                new ConfigMapBuilder(cm)
                    .addToData(
                        ConfigSource.CONFIG_KEY,
                        "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n"
                            + "manager: {imageJob: {successRatio: 2}}\n")
                    .build());
    await()
        .atMost(WAIT)
        .until(() -> !MockApi.eventsAbout(setup, ConfigSource.DEFAULT_CONFIGMAP_NAME).isEmpty());

    // Deleting the list during a run deletes the run.
    setup
        .resources(ImageList.class)
        .withName(Names.IMAGE_LIST)
        .edit(
            list -> {
              list.getSpec().setImages(List.of("docker.io/library/alpine:3.7.3"));
              return list;
            });
    // Once the new run is under way and written into the list's status, delete the list.
    await().atMost(WAIT).until(() -> runningFor(setup, 2L));
    setup.resources(ImageList.class).withName(Names.IMAGE_LIST).delete();
    await().atMost(WAIT).until(() -> jobs(setup, Names.JOB_OWNER_IMAGE_LIST).isEmpty());
  }

  /** Waits for a run of this kind and its pod, lets the pod succeed, waits for the job's end. */
  private static void finishRunOf(KubernetesClient setup, String owner) {
    await().atMost(WAIT).until(() -> jobs(setup, owner).size() == 1);
    ImageJob job = jobs(setup, owner).get(0);
    await().atMost(WAIT).until(() -> MockApi.podsOf(setup, job).size() == 1);
    Pod pod = MockApi.podsOf(setup, job).get(0);
    WorkerPods status = WorkerPods.on(pod.getSpec().getNodeName()).phase("Succeeded");
    for (var container : pod.getSpec().getContainers()) {
      status.terminated(container.getName(), 0, null, null);
    }
    MockApi.setPodStatus(setup, pod, status.build().getStatus());
    // Both cleanup delays are 0s: the job is deleted as soon as it is judged.
    await()
        .atMost(WAIT)
        .until(
            () ->
                setup.resources(ImageJob.class).withName(job.getMetadata().getName()).get()
                    == null);
  }

  private static boolean runningFor(KubernetesClient client, long generation) {
    ImageList list = client.resources(ImageList.class).withName(Names.IMAGE_LIST).get();
    return list.getStatus() != null
        && Long.valueOf(generation).equals(list.getStatus().getObservedGeneration())
        && list.getStatus().getPhase() == JobPhase.RUNNING;
  }

  private static List<ImageJob> jobs(KubernetesClient client, String owner) {
    return client
        .resources(ImageJob.class)
        .withLabel(Names.JOB_OWNER_LABEL, owner)
        .list()
        .getItems();
  }

  private static Set<ApiCall> drain(KubernetesMockServer server) throws InterruptedException {
    Set<ApiCall> calls = new TreeSet<>();
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      String agent = request.getHeader("User-Agent");
      if (agent != null && agent.startsWith(AGENT)) {
        toCall(request.getMethod(), request.getPath()).ifPresent(calls::add);
      }
    }
    return calls;
  }

  /**
   * The permission a request needs: {@code /api/v1/...} is the core group, {@code
   * /apis/<group>/<version>/...} another; a name in the path makes GET a get and DELETE a delete,
   * no name makes them list (watch with {@code watch=true}) and deletecollection. Discovery paths
   * ({@code /version}, {@code /api}, {@code /apis}) need no rule.
   */
  static Optional<ApiCall> toCall(String method, String pathAndQuery) {
    URI uri = URI.create(pathAndQuery);
    String[] parts = uri.getPath().replaceFirst("^/", "").split("/");
    int at;
    String group;
    if (parts[0].equals("api") && parts.length > 2) {
      group = "";
      at = 2;
    } else if (parts[0].equals("apis") && parts.length > 3) {
      group = parts[1];
      at = 3;
    } else {
      return Optional.empty();
    }
    String namespace = null;
    if (parts[at].equals("namespaces") && parts.length > at + 2) {
      namespace = parts[at + 1];
      at += 2;
    }
    String resource = parts[at];
    boolean named = parts.length > at + 1;
    if (parts.length > at + 2) {
      resource += "/" + parts[at + 2];
    }
    boolean watch = uri.getQuery() != null && uri.getQuery().contains("watch=true");
    String verb =
        switch (method) {
          case "GET" -> named ? "get" : watch ? "watch" : "list";
          case "POST" -> "create";
          case "PUT" -> "update";
          case "PATCH" -> "patch";
          case "DELETE" -> named ? "delete" : "deletecollection";
          default -> method.toLowerCase(Locale.ROOT);
        };
    return Optional.of(new ApiCall(group, resource, verb, namespace));
  }

  /** The calls as a map from group and resource to verbs, for messages. */
  static Map<String, Set<String>> byResource(Set<ApiCall> calls) {
    Map<String, Set<String>> map = new TreeMap<>();
    for (ApiCall call : calls) {
      map.computeIfAbsent(call.group() + "/" + call.resource(), k -> new TreeSet<>())
          .add(call.verb());
    }
    return map;
  }
}
