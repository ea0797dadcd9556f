package sh.eraser.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.eraser.scanner.OsvFixtures.CVSS_CRITICAL;
import static sh.eraser.scanner.ScanImages.debianBase;
import static sh.eraser.scanner.ScanImages.dpkgStatus;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.cri.api.Image;
import sh.eraser.testing.LayeredImageArchive;
import sh.eraser.testing.LayeredImageArchive.Layer;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.LocalContainerdExtension;
import sh.eraser.testing.OtlpReceiver;
import sh.eraser.worker.WorkerProcess;
import sh.eraser.worker.WorkerProcess.Result;

/**
 * Collector, scanner and remover as the three processes of a scheduled worker pod, talking through
 * the named pipes of a shared directory, on a real containerd.
 */
class ScannerPipelineIT {

  @RegisterExtension
  static final LocalContainerdExtension containerd =
      new LocalContainerdExtension().resetBeforeEach();

  private static final String NOW = "--now=2026-12-04T12:00:00Z";

  @TempDir Path dir;

  private final OtlpReceiver receiver = OtlpReceiver.start();

  @org.junit.jupiter.api.AfterEach
  void stopReceiver() {
    receiver.close();
  }

  private LocalContainerd node() {
    return containerd.get();
  }

  private LayeredImageArchive images() {
    String debian11 = ScanImages.DEBIAN_12.replace("12", "11").replace("bookworm", "bullseye");
    var archive =
        LayeredImageArchive.builder()
            .image("docker.io/team/vulnerable:1", debianBase("openssl 3.0.11-1~deb12u1"))
            .image("docker.io/team/patched:1", debianBase("openssl 3.0.11-1~deb12u2"))
            .image("docker.io/team/static:1", Layer.gzip().file("app", "binary"))
            .image(
                "docker.io/team/bullseye:1",
                Layer.gzip()
                    .file("etc/os-release", debian11)
                    .file("var/lib/dpkg/status", dpkgStatus("bash 5.1-2+deb11u1")));
    ScanImages.importUnpacked(node(), archive, dir);
    return archive;
  }

  private Path config(String dbRepo) throws Exception {
    return config(dbRepo, "");
  }

  private Path config(String dbRepo, String moreLines) throws Exception {
    String yaml =
        "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\ncomponents:\n  scanner:\n"
            + "    enabled: true\n    config: |\n      dbRepo: "
            + dbRepo
            + "\n      cacheDir: "
            + dir.resolve("cache")
            + "\n"
            + moreLines;
    return Files.writeString(dir.resolve("config.yaml"), yaml);
  }

  private Result[] runPod(Path config) throws Exception {
    Path shared = Files.createDirectories(dir.resolve("shared"));
    String endpoint = "--runtime-endpoint=" + node().endpoint();
    String sharedDir = "--shared-dir=" + shared;
    String noExclusions = "--exclusion-dir=" + dir.resolve("none");
    WorkerProcess collector =
        WorkerProcess.of(dir, "collector", endpoint, sharedDir, noExclusions).start();
    WorkerProcess scanner =
        WorkerProcess.of(
                dir,
                "scanner",
                endpoint,
                sharedDir,
                "--config=" + config,
                NOW,
                "--node-name=node-1",
                "--otlp-endpoint=" + receiver.endpoint())
            .start();
    WorkerProcess remover =
        WorkerProcess.of(dir, "remover", endpoint, sharedDir, noExclusions).start();
    Duration limit = Duration.ofMinutes(2);
    return new Result[] {collector.await(limit), scanner.await(limit), remover.await(limit)};
  }

  private java.util.Set<String> tags() {
    return node().listImages().stream()
        .flatMap(i -> i.getRepoTagsList().stream())
        .collect(Collectors.toSet());
  }

  @Test
  void theScannerHandsVulnerableAndEndOfLifeImagesToTheRemover() throws Exception {
    LayeredImageArchive archive = images();
    Path db =
        OsvFixtures.create()
            .advisory(
                "DEBIAN-CVE-2024-1001", "Debian:12", "openssl", "3.0.11-1~deb12u2", CVSS_CRITICAL)
            .writeTo(dir.resolve("osv"));

    Result[] pod = runPod(config(db.toUri().toString()));
    Result scanner = pod[1];

    assertThat(pod).allSatisfy(r -> assertThat(r.exitCode()).as("%s", r).isZero());
    assertThat(tags())
        .contains("docker.io/team/patched:1", "docker.io/team/static:1")
        .doesNotContain("docker.io/team/vulnerable:1", "docker.io/team/bullseye:1");
    assertThat(scanner.summary().get("vulnerable").asInt()).isEqualTo(1);
    assertThat(scanner.summary().get("endOfLife").asInt()).isEqualTo(1);
    assertThat(scanner.summary().get("clean").asInt()).isEqualTo(1);
    assertThat(scanner.summary().get("notScanned").asInt()).isEqualTo(1);
    assertThat(scanner.summary().get("handedOver").asInt()).isEqualTo(2);
    assertThat(scanner.summary().get("worst").get(0).asText())
        .isEqualTo("docker.io/team/vulnerable:1: CVE-2024-1001 (CRITICAL, openssl)");
    assertThat(scanner.decisionFor(archive.id("docker.io/team/vulnerable:1")))
        .isEqualTo("vulnerable");
    assertThat(scanner.decisionFor(archive.id("docker.io/team/static:1"))).isEqualTo("not scanned");
    assertThat(pod[2].summary().get("removed").asInt()).isEqualTo(2);
    var pushed = receiver.latest("vulnerable_images_run_total").orElseThrow();
    assertThat(pushed.counterValue()).isEqualTo(2);
    assertThat(pushed.serviceName()).isEqualTo("trivy-scanner");
    assertThat(pushed.attributes()).containsEntry("node name", "node-1");
  }

  @Test
  void anUnreachableDatabaseFailsTheScannerAndNothingIsRemoved() throws Exception {
    images();
    java.util.List<String> before = node().listImages().stream().map(Image::getId).toList();

    // Port 9 on the loopback address: nothing listens there.
    Result[] pod = runPod(config("https://127.0.0.1:9/osv"));
    Result scanner = pod[1];

    assertThat(scanner.exitCode()).as("%s", scanner).isEqualTo(1);
    assertThat(scanner.summary().get("error").asText())
        .contains("https://127.0.0.1:9/osv/", "cannot download");
    assertThat(scanner.stderr()).contains("eraser scanner:", "OSV database");
    assertThat(pod[2].exitCode()).as("%s", pod[2]).isZero();
    assertThat(pod[2].summary().get("removed").asInt()).isZero();
    assertThat(node().listImages().stream().map(Image::getId).toList())
        .containsExactlyInAnyOrderElementsOf(before);
  }

  @Test
  void anInvalidScannerConfigFailsTheScannerAndThePodStillFinishesWithNothingRemoved()
      throws Exception {
    images();
    java.util.List<String> before = node().listImages().stream().map(Image::getId).toList();

    Result[] pod =
        runPod(config("file:///nowhere", "      vulnerabilities:\n        severities: [SEVERE]\n"));

    assertThat(pod[1].exitCode()).as("%s", pod[1]).isEqualTo(1);
    assertThat(pod[1].summary().get("error").asText())
        .contains("components.scanner.config.vulnerabilities.severities[0]", "SEVERE");
    assertThat(pod[0].exitCode()).as("%s", pod[0]).isZero();
    assertThat(pod[2].exitCode()).as("%s", pod[2]).isZero();
    assertThat(node().listImages().stream().map(Image::getId).toList())
        .containsExactlyInAnyOrderElementsOf(before);
  }
}
