package sh.eraser.scanner;

import static sh.eraser.scanner.ScanImages.debianBase;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import sh.eraser.cri.api.Image;
import sh.eraser.testing.LayeredImageArchive;
import sh.eraser.testing.LayeredImageArchive.Layer;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.OciArchive;
import sh.eraser.worker.WorkerProcess;
import sh.eraser.worker.WorkerProcess.Result;

/**
 * {@code make demo SCANNER=1}: the scheduled worker pod with its scanner. A private containerd with
 * images built here (Debian, Alpine, an end-of-life Debian, one with no OS, one in use), the small
 * OSV database in {@code hack/demo-osv}, and collector, scanner and remover run as the pod runs
 * them. Prints each image's verdict and what is left.
 */
public final class ScannerDemo {

  private static final PrintStream out = System.out;

  private ScannerDemo() {}

  public static void main(String[] args) throws Exception {
    int code;
    try (LocalContainerd node = LocalContainerd.start()) {
      code = run(node);
    }
    out.println("containerd stopped; its temporary directory is gone.");
    System.exit(code);
  }

  private static int run(LocalContainerd node) throws IOException {
    Path work = Files.createDirectories(node.directory().resolve("scanner-demo"));
    out.println("Started a private containerd: " + node.endpoint());
    String debian10 = ScanImages.DEBIAN_12.replace("12", "10").replace("bookworm", "buster");
    var archive =
        LayeredImageArchive.builder()
            .image("docker.io/team/api:1", debianBase("openssl 3.0.11-1~deb12u1"))
            .image("docker.io/team/api:2", debianBase("openssl 3.0.11-1~deb12u2"))
            .image("docker.io/team/tools:1", debianBase("bash 5.2.15-2+b2"))
            .image("docker.io/team/edge:5", ScanImages.alpineBase("busybox 1.37.0-r18"))
            .image(
                "docker.io/team/legacy:1",
                Layer.gzip()
                    .file("etc/os-release", debian10)
                    .file("var/lib/dpkg/status", ScanImages.dpkgStatus("bash 5.0-4")))
            .image("docker.io/team/static:1", Layer.gzip().file("app", "a static binary"));
    node.importArchive(archive.write(work.resolve("images.tar")));
    Path nginx = work.resolve("nginx.tar");
    OciArchive.builder().image("nginx", "docker.io/library/nginx:1.25").write(nginx);
    node.importArchive(nginx);
    String pod = node.runPod("web");
    node.createContainer(pod, "nginx", "docker.io/library/nginx:1.25", true);
    out.println("Pod 'web' runs nginx:1.25.");

    Path db = zipDatabase(Path.of("hack/demo-osv"), work.resolve("osv"));
    out.println("OSV database: " + db.toUri() + " (made from hack/demo-osv)");
    List<Image> before = node.listImages();

    Result[] pod3 = runWorkerPod(node, work, db);
    print(before, pod3, node.listImages());
    out.println();
    out.println("scanner summary: " + pod3[1].summary());
    boolean ok = Stream.of(pod3).allMatch(r -> r.exitCode() == 0);
    if (!ok) {
      out.println("A worker failed:\n" + pod3[0] + "\n" + pod3[1] + "\n" + pod3[2]);
    }
    return ok ? 0 : 1;
  }

  /** Zips hack/demo-osv/<Ecosystem>/*.json into <Ecosystem>/all.zip, the layout dbRepo wants. */
  private static Path zipDatabase(Path records, Path into) throws IOException {
    try (Stream<Path> ecosystems = Files.list(records)) {
      for (Path ecosystem : ecosystems.filter(Files::isDirectory).toList()) {
        Path zip =
            Files.createDirectories(into.resolve(ecosystem.getFileName().toString()))
                .resolve("all.zip");
        try (OutputStream file = Files.newOutputStream(zip);
            ZipOutputStream outZip = new ZipOutputStream(file);
            Stream<Path> jsons = Files.list(ecosystem)) {
          for (Path json : jsons.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
            outZip.putNextEntry(new ZipEntry(json.getFileName().toString()));
            outZip.write(Files.readAllBytes(json));
            outZip.closeEntry();
          }
        }
      }
    }
    return into;
  }

  private static Result[] runWorkerPod(LocalContainerd node, Path work, Path db)
      throws IOException {
    Path shared = Files.createDirectories(work.resolve("shared-data"));
    Path config = work.resolve("eraser-config.yaml");
    Files.writeString(
        config,
        "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\ncomponents:\n  scanner:\n"
            + "    enabled: true\n    config: |\n      dbRepo: "
            + db.toUri()
            + "\n      cacheDir: "
            + work.resolve("cache")
            + "\n");
    String endpoint = "--runtime-endpoint=" + node.endpoint();
    String sharedDir = "--shared-dir=" + shared;
    String none = "--exclusion-dir=" + work.resolve("no-exclusions");
    out.println();
    out.println(
        "Running: eraser collector | eraser scanner | eraser remover  (pipes in " + shared + ")");
    WorkerProcess collector =
        WorkerProcess.of(work, "collector", endpoint, sharedDir, none).start();
    WorkerProcess scanner =
        WorkerProcess.of(work, "scanner", endpoint, sharedDir, "--config=" + config).start();
    WorkerProcess remover = WorkerProcess.of(work, "remover", endpoint, sharedDir, none).start();
    Duration limit = Duration.ofMinutes(2);
    return new Result[] {collector.await(limit), scanner.await(limit), remover.await(limit)};
  }

  private static void print(List<Image> before, Result[] pod, List<Image> after) {
    Map<String, String[]> verdicts = new LinkedHashMap<>();
    for (Result worker : pod) {
      for (JsonNode line : worker.decisions()) {
        String id = Result.field(line, "imageId");
        String decision = Result.decision(line);
        // The scanner's verdict is the story here; the collector's "in use" stays when it is
        // all there is, and the remover's "removed" is shown as AFTER.
        if (!id.isEmpty() && (!verdicts.containsKey(id) || worker == pod[1])) {
          verdicts.put(id, new String[] {decision, Result.field(line, "reason")});
        }
      }
    }
    Set<String> left = after.stream().map(Image::getId).collect(Collectors.toSet());
    out.println();
    out.printf("%-13s %-30s %-8s %-12s %s%n", "IMAGE ID", "NAMES", "AFTER", "VERDICT", "WHY");
    for (Image image : before) {
      String[] v = verdicts.getOrDefault(image.getId(), new String[] {"-", "-"});
      out.printf(
          "%-13s %-30s %-8s %-12s %s%n",
          image.getId().substring(7, 19),
          image.getRepoTagsCount() == 0 ? "<none>" : String.join(", ", image.getRepoTagsList()),
          left.contains(image.getId()) ? "present" : "gone",
          v[0],
          v[1]);
    }
  }
}
