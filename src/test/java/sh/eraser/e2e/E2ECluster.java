package sh.eraser.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The real cluster the end-to-end tests run against: its kubeconfig comes from the system property
 * {@code eraser.e2e.kubeconfig} ({@code hack/e2e.sh} passes the local cluster's, or {@code
 * $ERASER_E2E_KUBECONFIG}). For the local cluster of {@code hack/local-cluster}, {@code
 * eraser.e2e.clusterDir} also gives each node's containerd socket, through which tests import
 * images and look at a node's images, and lets tests stop a kubelet. Any other cluster's nodes are
 * reached through a pod on each node ({@link NodePods}); {@code eraser.e2e.nodeAccess=pods} picks
 * that way on the local cluster too.
 */
final class E2ECluster {

  /** Eraser's CRDs. */
  static final List<String> CRDS = List.of("imagelists.eraser.sh", "imagejobs.eraser.sh");

  private final Path kubeconfig;
  private final Path clusterDir;
  private final KubernetesClient client;
  private final NodePods nodePods;

  private E2ECluster(Path kubeconfig, Path clusterDir, boolean throughPods) {
    this.kubeconfig = kubeconfig;
    this.clusterDir = clusterDir;
    this.nodePods = throughPods ? nodePods() : null;
    try {
      Config config = Config.fromKubeconfig(Files.readString(kubeconfig));
      this.client = new KubernetesClientBuilder().withConfig(config).build();
    } catch (IOException e) {
      throw new UncheckedIOException("reading the kubeconfig " + kubeconfig, e);
    }
  }

  /** The cluster named by the system properties; fails, never skips, when none is named. */
  static E2ECluster fromSystemProperties() {
    String kubeconfig = System.getProperty("eraser.e2e.kubeconfig", "");
    assertThat(kubeconfig)
        .as("system property eraser.e2e.kubeconfig (run the end-to-end tests with 'make e2e')")
        .isNotBlank();
    String dir = System.getProperty("eraser.e2e.clusterDir", "");
    String access = System.getProperty("eraser.e2e.nodeAccess", "");
    assertThat(access)
        .as("eraser.e2e.nodeAccess (ERASER_E2E_NODE_ACCESS): sockets or pods")
        .isIn("", "sockets", "pods");
    assertThat(access.equals("sockets") && dir.isBlank())
        .as("eraser.e2e.nodeAccess=sockets needs eraser.e2e.clusterDir")
        .isFalse();
    boolean throughPods = access.equals("pods") || dir.isBlank();
    return new E2ECluster(Path.of(kubeconfig), dir.isBlank() ? null : Path.of(dir), throughPods);
  }

  /** Node access through a pod on each node ({@link NodePods}), as on any other cluster. */
  NodePods nodePods() {
    return new NodePods(
        this,
        image(),
        property("eraser.e2e.nodeRuntimeSocket", "/run/containerd/containerd.sock"),
        Path.of(property("eraser.e2e.ctr", "/usr/bin/ctr")));
  }

  /** A system property, or {@code fallback} when it is unset or blank. */
  static String property(String name, String fallback) {
    String value = System.getProperty(name, "");
    return value.isBlank() ? fallback : value;
  }

  /** The image under test, which every node can run (imported, or pulled from a registry). */
  static String image() {
    String image = property("eraser.e2e.image", "");
    assertThat(image).as("system property eraser.e2e.image").isNotBlank();
    return image;
  }

  KubernetesClient client() {
    return client;
  }

  Path kubeconfig() {
    return kubeconfig;
  }

  /**
   * Applies the CRDs of {@code crds/} (server-side apply, so a re-run changes nothing) and waits
   * until the API server serves them.
   */
  void installCrds() {
    try (Stream<Path> files = Files.list(Path.of("crds"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          for (HasMetadata crd : client.load(in).items()) {
            client.resource(crd).forceConflicts().serverSideApply();
            awaitEstablished(crd.getMetadata().getName());
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("applying crds/", e);
    }
  }

  /**
   * Deletes Eraser's CRDs, and with them every ImageList and ImageJob; waits until they are gone.
   */
  void deleteCrds() {
    for (String crd : CRDS) {
      client.apiextensions().v1().customResourceDefinitions().withName(crd).delete();
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> CRDS.stream().allMatch(crd -> crd(crd) == null));
  }

  /** A CustomResourceDefinition by name; null when there is none. */
  CustomResourceDefinition crd(String name) {
    return client.apiextensions().v1().customResourceDefinitions().withName(name).get();
  }

  private void awaitEstablished(String crd) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(
            () ->
                crd(crd).getStatus().getConditions().stream()
                    .anyMatch(
                        c -> "Established".equals(c.getType()) && "True".equals(c.getStatus())));
  }

  /** Creates a namespace and waits for its default ServiceAccount, which pods need. */
  void createNamespace(String name) {
    client
        .resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
        .create();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(60))
        .until(() -> client.serviceAccounts().inNamespace(name).withName("default").get() != null);
  }

  /** Deletes a namespace and waits until it is gone, so no test leaves anything behind. */
  void deleteNamespace(String name) {
    client.namespaces().withName(name).delete();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(120))
        .until(() -> client.namespaces().withName(name).get() == null);
  }

  List<String> nodeNames() {
    return client.nodes().list().getItems().stream().map(n -> n.getMetadata().getName()).toList();
  }

  /** The containerd socket of a node of the local cluster. */
  Path nodeSocket(String node) {
    assertThat(clusterDir).as("eraser.e2e.clusterDir").isNotNull();
    return clusterDir.resolve("nodes").resolve(node).resolve("run-containerd/containerd.sock");
  }

  /**
   * Skips the calling test unless it runs on the local cluster through the node sockets: what it
   * does to a node (stop its kubelet, move its runtime socket) only the local cluster lets a test
   * do, and a node whose kubelet is stopped cannot be reached through a pod. With {@code
   * eraser.e2e.nodeAccess=pods} the local cluster stands in for another cluster, so these tests are
   * skipped there too.
   */
  void assumeLocalCluster(String needs) {
    // Limitation: on other clusters the tests that stop a kubelet or move a node's runtime socket
    // are skipped; only the local cluster lets a test do that to a node.
    String reason = "needs the local cluster of hack/local-cluster and its node sockets: " + needs;
    if (clusterDir == null || nodePods != null) {
      // Failsafe's console shows only a count of skipped tests; the reason goes with it here.
      StackWalker.StackFrame test =
          StackWalker.getInstance().walk(frames -> frames.skip(1).findFirst()).orElseThrow();
      System.err.println(
          "e2e: SKIPPED " + test.getClassName() + "." + test.getMethodName() + ": " + reason);
    }
    Assumptions.assumeTrue(clusterDir != null && nodePods == null, reason);
  }

  /** Waits until none of {@code images} is on any node. */
  void awaitGoneFromEveryNode(java.time.Duration within, String... images) {
    org.awaitility.Awaitility.await()
        .atMost(within)
        .untilAsserted(
            () -> {
              for (String node : nodeNames()) {
                assertThat(imagesOn(node)).as("images on %s", node).doesNotContain(images);
              }
            });
  }

  /** Whether the node's Ready condition is True. */
  boolean isReady(String node) {
    return client.nodes().withName(node).get().getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /**
   * Stops a node's kubelet of the local cluster, by the PID the cluster script recorded, as a node
   * failure would; its containers keep running. {@link #restartStoppedComponents} starts it again.
   */
  void stopKubelet(String node) {
    assertThat(clusterDir).as("eraser.e2e.clusterDir").isNotNull();
    try {
      String pid =
          Files.readString(clusterDir.resolve("pids").resolve(node + "-kubelet.pid")).trim();
      run("kill", "-TERM", pid);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the kubelet's PID of " + node, e);
    }
  }

  /** Starts again every component of the local cluster that is not running. */
  void restartStoppedComponents() {
    ProcessBuilder up = new ProcessBuilder("hack/local-cluster/cluster.sh", "up");
    up.environment().put("ERASER_CLUSTER_DIR", clusterDir.toString());
    try {
      Process process = up.redirectErrorStream(true).start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(180, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).as(out).isZero();
    } catch (IOException e) {
      throw new UncheckedIOException("restarting the local cluster's components", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Makes a node's containerd socket also answer at {@code path}, inside that node's mount
   * namespace only (a bind mount), as on nodes whose runtime listens somewhere unusual.
   */
  void exposeRuntimeSocketAt(String node, String path) {
    String dir = path.substring(0, path.lastIndexOf('/'));
    inNodeMountNamespace(
        node,
        "mkdir -p "
            + dir
            + " && touch "
            + path
            + " && mount --bind /run/containerd/containerd.sock "
            + path);
  }

  /** Undoes {@link #exposeRuntimeSocketAt}. */
  void hideRuntimeSocketAt(String node, String path) {
    // The file is shared by every node: once another node's clean-up has removed it, this
    // node's bind mount has gone with it and umount has nothing left to do.
    inNodeMountNamespace(node, "umount " + path + " 2>/dev/null || true; rm -f " + path);
  }

  private void inNodeMountNamespace(String node, String script) {
    assertThat(clusterDir).as("eraser.e2e.clusterDir").isNotNull();
    run(
        "nsenter",
        "--mount=" + clusterDir.resolve("ns").resolve(node + ".mnt"),
        "--",
        "sh",
        "-ec",
        script);
  }

  /**
   * Makes a directory of this machine readable on every node and returns its path there. The local
   * cluster's nodes share this machine's file system, so that is the same path.
   */
  String onEveryNode(Path directory) {
    return nodePods != null
        ? nodePods.copyToEveryNode(directory)
        : directory.toAbsolutePath().toString();
  }

  /** Imports an image archive into every node's containerd (namespace k8s.io). */
  void importEverywhere(Path archive) {
    for (Node node : client.nodes().list().getItems()) {
      if (nodePods != null) {
        nodePods.importArchive(node.getMetadata().getName(), archive);
        continue;
      }
      run(
          "ctr",
          "--address",
          nodeSocket(node.getMetadata().getName()).toString(),
          "--namespace",
          "k8s.io",
          "images",
          "import",
          "--all-platforms",
          archive.toString());
    }
  }

  /** The image names on a node, as containerd lists them. */
  List<String> imagesOn(String node) {
    if (nodePods != null) {
      return nodePods.images(node);
    }
    String out =
        run(
            "ctr",
            "--address",
            nodeSocket(node).toString(),
            "--namespace",
            "k8s.io",
            "images",
            "ls",
            "-q");
    return out.lines().filter(l -> !l.isBlank()).toList();
  }

  /** Runs kubectl (from {@code eraser.e2e.kubectl}, else the PATH) against this cluster. */
  String kubectl(String... args) {
    return run(kubectlCommand(args));
  }

  /** The kubectl command line for this cluster with {@code args}, not yet run. */
  String[] kubectlCommand(String... args) {
    List<String> command = new ArrayList<>();
    command.add(property("eraser.e2e.kubectl", "kubectl"));
    command.add("--kubeconfig");
    command.add(kubeconfig.toString());
    command.addAll(List.of(args));
    return command.toArray(String[]::new);
  }

  static String run(String... command) {
    return runWithInput(null, command);
  }

  /** Runs a command with a file (or nothing) as its standard input; returns its output. */
  static String runWithInput(Path input, String... command) {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.redirectInput(
        ProcessBuilder.Redirect.from(
            input == null ? new java.io.File("/dev/null") : input.toFile()));
    try {
      Process process = builder.start();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
      assertThat(process.exitValue()).as(String.join(" ", command) + "\n" + out).isZero();
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("running " + command[0], e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
