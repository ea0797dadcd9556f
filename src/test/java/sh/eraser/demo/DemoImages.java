package sh.eraser.demo;

import java.nio.file.Path;
import sh.eraser.testing.OciArchive;

/**
 * Writes the images of the cluster demo ({@code hack/demo-cluster.sh}) into one OCI archive, for
 * import into every node: the same set the node demo uses, built locally since nothing is pulled.
 */
public final class DemoImages {

  private DemoImages() {}

  /** {@code DemoImages FILE.tar} */
  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: DemoImages FILE.tar");
      System.exit(2);
    }
    OciArchive.builder()
        .image("nginx", "docker.io/library/nginx:1.25")
        .image("batch", "quay.io/team/batch-job:7")
        .image("ci-new", "docker.io/team/ci-build:101", "docker.io/team/ci-build:latest")
        .image("ci-old", "docker.io/team/ci-build:100")
        .image("alpine", "docker.io/library/alpine:3.7.3", "docker.io/library/alpine:3.7")
        .write(Path.of(args[0]));
  }
}
