package sh.eraser.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.testing.OciArchive;

/**
 * The way the suites reach the nodes of any other cluster ({@link NodePods}), checked on the local
 * cluster against the node sockets, so that it keeps working although no other cluster is at hand.
 */
class NodePodsE2E {

  private static final String IMAGE = "docker.io/eraser-e2e/through-pods:1";

  @TempDir Path dir;

  @Test
  void podsOnTheNodesImportListAndCopyAsTheNodeSocketsShow() throws IOException {
    E2ECluster cluster = E2ECluster.fromSystemProperties();
    cluster.assumeLocalCluster("compares what the pods see with the node sockets");
    NodePods pods = cluster.nodePods();
    Path archive = dir.resolve("through-pods.tar");
    OciArchive.builder().image("through-pods", IMAGE).write(archive);
    Path files = Files.createDirectories(dir.resolve("e2e-files-" + ProcessHandle.current().pid()));
    Files.writeString(Files.createDirectories(files.resolve("sub")).resolve("note.txt"), "copied");

    for (String node : cluster.nodeNames()) {
      assertThat(cluster.imagesOn(node)).doesNotContain(IMAGE);
      pods.importArchive(node, archive);
    }
    String copied = pods.copyToEveryNode(files);

    for (String node : cluster.nodeNames()) {
      // The socket view is the truth: the pod imported into this node's containerd, and sees it.
      assertThat(cluster.imagesOn(node)).contains(IMAGE);
      assertThat(pods.images(node)).containsExactlyInAnyOrderElementsOf(cluster.imagesOn(node));
    }
    // The local cluster's nodes share this machine's /var/tmp, so the copy is visible here.
    assertThat(copied).isEqualTo(NodePods.FILES + "/" + files.getFileName());
    assertThat(Path.of(copied, "sub", "note.txt")).hasContent("copied");

    for (String node : cluster.nodeNames()) {
      E2ECluster.run(
          "ctr",
          "--address",
          cluster.nodeSocket(node).toString(),
          "--namespace",
          "k8s.io",
          "images",
          "rm",
          IMAGE);
    }
  }
}
