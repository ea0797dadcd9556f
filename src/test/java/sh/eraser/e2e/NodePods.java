package sh.eraser.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Reaches each node's containerd through the cluster itself, for clusters whose node sockets this
 * machine cannot open (any cluster named by {@code ERASER_E2E_KUBECONFIG}): one privileged pod per
 * node, running the image under test, with the node's runtime socket and a scratch directory of the
 * node mounted. This machine's {@code ctr} is copied into the scratch directory and run there;
 * files go in through {@code kubectl exec}'s standard input, so the image needs only a shell and
 * coreutils, which the worker needs anyway.
 */
// Limitation: nodes must use containerd, run the image under test (a glibc-based one, for this
// machine's ctr) and allow privileged pods.
final class NodePods {

  static final String NAMESPACE = "eraser-e2e-nodes";

  /** The scratch directory, at the same path on the node and in its pod. */
  static final String FILES = "/var/tmp/eraser-e2e";

  /** The prefix of every test image's name. */
  static final String TEST_IMAGES = "docker.io/eraser-e2e/";

  private static final String SOCKET = "/run/eraser-e2e/containerd.sock";
  private static final String CTR = FILES + "/bin/ctr";

  /** The nodes whose pod is running with {@code ctr} in place, in this JVM. */
  private static final Set<String> READY = ConcurrentHashMap.newKeySet();

  private static final AtomicBoolean CLEAN_UP_REGISTERED = new AtomicBoolean();

  private final E2ECluster cluster;
  private final String image;
  private final String runtimeSocket;
  private final Path ctr;

  NodePods(E2ECluster cluster, String image, String runtimeSocket, Path ctr) {
    this.cluster = cluster;
    this.image = image;
    this.runtimeSocket = runtimeSocket;
    this.ctr = ctr;
  }

  /** The image names in the node's containerd (namespace k8s.io). */
  List<String> images(String node) {
    return exec(node, CTR, "--address", SOCKET, "--namespace", "k8s.io", "images", "ls", "-q")
        .lines()
        .filter(l -> !l.isBlank())
        .toList();
  }

  /** Copies an image archive onto the node and imports it into its containerd. */
  void importArchive(String node, Path archive) {
    String remote = FILES + "/import-" + node + ".tar";
    copy(node, archive, remote);
    exec(
        node,
        "sh",
        "-ec",
        CTR
            + " --address "
            + SOCKET
            + " --namespace k8s.io images import --all-platforms "
            + remote
            + "; rm -f "
            + remote);
  }

  /** Copies a directory tree onto every node, under the scratch directory; returns its path. */
  String copyToEveryNode(Path directory) {
    String target = FILES + "/" + directory.getFileName();
    for (String node : cluster.nodeNames()) {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          copy(node, file, target + "/" + directory.relativize(file));
        }
      } catch (IOException e) {
        throw new UncheckedIOException("listing " + directory, e);
      }
    }
    return target;
  }

  /** Writes a local file to {@code remote} on the node, whole or not at all. */
  private void copy(String node, Path local, String remote) {
    String part = remote + ".part-" + node;
    String dir = remote.substring(0, remote.lastIndexOf('/'));
    E2ECluster.runWithInput(
        local,
        kubectlExec(
            pod(node),
            "sh",
            "-ec",
            "mkdir -p " + dir + " && cat > " + part + " && mv " + part + " " + remote));
  }

  private String exec(String node, String... command) {
    return E2ECluster.runWithInput(null, kubectlExec(pod(node), command));
  }

  private String[] kubectlExec(String pod, String... command) {
    return cluster.kubectlCommand(
        Stream.concat(Stream.of("-n", NAMESPACE, "exec", "-i", pod, "--"), Stream.of(command))
            .toArray(String[]::new));
  }

  /** The node's pod, started (and {@code ctr} put in place) on first use. */
  private String pod(String node) {
    String name = "node-" + node;
    if (READY.contains(node)) {
      return name;
    }
    KubernetesClient client = cluster.client();
    if (client.namespaces().withName(NAMESPACE).get() == null) {
      client
          .resource(
              new NamespaceBuilder()
                  .withNewMetadata()
                  .withName(NAMESPACE)
                  .addToLabels("pod-security.kubernetes.io/enforce", "privileged")
                  .endMetadata()
                  .build())
          .create();
    }
    if (CLEAN_UP_REGISTERED.compareAndSet(false, true)) {
      Runtime.getRuntime().addShutdownHook(new Thread(this::cleanUp));
    }
    if (client.pods().inNamespace(NAMESPACE).withName(name).get() == null) {
      client.resource(podFor(name, node)).create();
    }
    Pod running =
        await()
            .atMost(Duration.ofSeconds(120))
            .until(
                () -> client.pods().inNamespace(NAMESPACE).withName(name).get(),
                p -> p != null && "Running".equals(p.getStatus().getPhase()));
    assertThat(running.getSpec().getNodeName()).isEqualTo(node);
    String part = CTR + ".part-" + node;
    E2ECluster.runWithInput(
        ctr,
        kubectlExec(
            name,
            "sh",
            "-ec",
            "mkdir -p "
                + FILES
                + "/bin && cat > "
                + part
                + " && chmod 755 "
                + part
                + " && mv "
                + part
                + " "
                + CTR));
    READY.add(node);
    return name;
  }

  private Pod podFor(String name, String node) {
    return new PodBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(NAMESPACE)
        .addToLabels("app.kubernetes.io/name", "eraser-e2e-node")
        .endMetadata()
        .withNewSpec()
        .withNodeName(node)
        .addNewToleration()
        .withOperator("Exists")
        .endToleration()
        .withTerminationGracePeriodSeconds(1L)
        .addNewContainer()
        .withName("node")
        .withImage(image)
        .withImagePullPolicy("IfNotPresent")
        .withCommand("sh", "-c", "trap 'exit 0' TERM; while :; do sleep 3600 & wait $!; done")
        .withNewSecurityContext()
        .withPrivileged(true)
        .withRunAsUser(0L)
        .endSecurityContext()
        .addNewVolumeMount()
        .withName("runtime")
        .withMountPath(SOCKET)
        .endVolumeMount()
        .addNewVolumeMount()
        .withName("files")
        .withMountPath(FILES)
        .endVolumeMount()
        .endContainer()
        .addNewVolume()
        .withName("runtime")
        .withNewHostPath()
        .withPath(runtimeSocket)
        .withType("Socket")
        .endHostPath()
        .endVolume()
        .addNewVolume()
        .withName("files")
        .withNewHostPath()
        .withPath(FILES)
        .withType("DirectoryOrCreate")
        .endHostPath()
        .endVolume()
        .endSpec()
        .build();
  }

  /**
   * At the end of the test run: removes the test images (names starting with {@value #TEST_IMAGES},
   * and every other name of the same images, such as their ID records) from each node and empties
   * its scratch directory, then deletes the pods with their namespace (not waited for).
   */
  private void cleanUp() {
    String script =
        """
        set -e
        ctr() { %s --address %s --namespace k8s.io "$@"; }
        all=$(ctr images ls)
        list=$(printf '%%s\\n' "$all" | tail -n +2)
        targets=$(printf '%%s\\n' "$list" | while read -r ref type digest rest; do
          case "$ref" in %s*) echo "$digest" ;; esac
        done | sort -u)
        printf '%%s\\n' "$list" | while read -r ref type digest rest; do
          if [ -n "$digest" ] && printf '%%s\\n' "$targets" | grep -qxF "$digest"; then
            ctr images rm "$ref" >/dev/null
          fi
        done
        """
            .formatted(CTR, SOCKET, TEST_IMAGES);
    for (String node : READY) {
      E2ECluster.runWithInput(null, kubectlExec("node-" + node, "sh", "-c", script));
    }
    // Only now: on the local cluster every node's scratch directory is the same one, ctr included.
    for (String node : READY) {
      E2ECluster.runWithInput(
          null, kubectlExec("node-" + node, "sh", "-c", "rm -rf " + FILES + "/*"));
    }
    cluster.kubectl("delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=false");
  }
}
