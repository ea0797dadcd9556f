package sh.eraser.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static sh.eraser.scanner.ScanImages.debianBase;
import static sh.eraser.scanner.ScanImages.importPacked;
import static sh.eraser.scanner.ScanImages.importUnpacked;

import io.grpc.Deadline;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.testing.LayeredImageArchive;
import sh.eraser.testing.LayeredImageArchive.Layer;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.LocalContainerdExtension;

/** Reading image layers through containerd's content API, on a real containerd. */
class ImageReaderIT {

  @RegisterExtension
  static final LocalContainerdExtension containerd =
      new LocalContainerdExtension().resetBeforeEach();

  @TempDir Path dir;

  private ContainerdClient client;
  private LayerCache cache;

  @BeforeEach
  void connect() {
    client = ContainerdClient.open(node().socket(), "k8s.io", Duration.ofSeconds(30));
    cache = new LayerCache();
  }

  @AfterEach
  void close() {
    client.close();
  }

  private LocalContainerd node() {
    return containerd.get();
  }

  private ImageReader reader(long maxFileBytes) {
    return new ImageReader(
        client,
        new Platform("linux", "amd64", ""),
        cache,
        new LayerReader(maxFileBytes, new RpmDatabase()));
  }

  private ImageFiles read(String... references) throws IOException {
    return reader(1 << 20)
        .read(List.of(references), deadline(), Duration.ofMinutes(1))
        .orElseThrow(() -> new AssertionError("image not found"));
  }

  private static Deadline deadline() {
    return Deadline.after(30, TimeUnit.SECONDS);
  }

  @Test
  void appliesWhiteoutsAndOpaqueDirectoriesAcrossGzipZstdAndPlainLayers() throws IOException {
    Layer base = debianBase("zlib 1:1.2.13.dfsg-1", "openssl 3.0.11-1~deb12u2");
    Layer distroless =
        Layer.zstd()
            .file("var/lib/dpkg/status.d/tzdata", ScanImages.dpkgStatus("tzdata 2024a-0+deb12u1"))
            .file("var/lib/dpkg/status.d/tzdata.md5sums", "0123 usr/share/zoneinfo/UTC\n");
    Layer top =
        Layer.plain()
            .whiteout("var/lib/dpkg/status")
            .opaque("etc")
            .file("etc/lsb-release", "DISTRIB_ID=Test\n");
    var images =
        LayeredImageArchive.builder()
            .image("docker.io/team/layers:1", base, distroless)
            .image("docker.io/team/layers:2", base, distroless, top);
    importUnpacked(node(), images, dir);

    ImageFiles two = read("docker.io/team/layers:1");
    ImageFiles three = read(images.id("docker.io/team/layers:2"));

    assertThat(two.packages())
        .extracting(InstalledPackage::name)
        .containsExactlyInAnyOrder("zlib", "openssl", "tzdata");
    assertThat(two.text("usr/lib/os-release")).hasValue(ScanImages.DEBIAN_12);
    assertThat(two.text("etc/debian_version")).hasValue("12.4\n");
    assertThat(three.packages()).extracting(InstalledPackage::name).containsExactly("tzdata");
    assertThat(three.text("etc/debian_version")).isEmpty();
    assertThat(three.text("etc/lsb-release")).hasValue("DISTRIB_ID=Test\n");
    assertThat(three.text("usr/lib/os-release")).hasValue(ScanImages.DEBIAN_12);
  }

  @Test
  void picksTheNodesPlatformFromAnIndex() throws IOException {
    var images =
        LayeredImageArchive.builder()
            .multiPlatform(
                "docker.io/team/multi:1",
                Map.of(
                    "amd64", List.of(debianBase("bash 5.2.15-2+b2")),
                    "arm64", List.of(ScanImages.alpineBase("busybox 1.36.1-r15"))));
    importPacked(node(), images, dir);

    ImageFiles files = read("docker.io/team/multi:1");

    assertThat(files.packages()).extracting(InstalledPackage::name).containsExactly("bash");
  }

  @Test
  void readsALayerSharedByTwoImagesOnce() throws IOException {
    Layer base = debianBase("bash 5.2.15-2+b2");
    var images =
        LayeredImageArchive.builder()
            .image("docker.io/team/a:1", base, Layer.gzip().file("a", "a"))
            .image("docker.io/team/b:1", base, Layer.gzip().file("b", "b"));
    importUnpacked(node(), images, dir);
    read("docker.io/team/a:1");

    // Gone from the store: only the cache can still answer for it.
    node().ctr("content", "rm", base.digest());
    ImageFiles b = read("docker.io/team/b:1");

    assertThat(b.packages()).extracting(InstalledPackage::name).containsExactly("bash");
  }

  @Test
  void aLayerMissingFromTheContentStoreFailsTheImage() {
    Layer base = debianBase("bash 5.2.15-2+b2");
    var images = LayeredImageArchive.builder().image("docker.io/team/gone:1", base);
    importUnpacked(node(), images, dir);
    node().ctr("content", "rm", base.digest());

    assertThatThrownBy(() -> read("docker.io/team/gone:1"))
        .isInstanceOf(BlobMissingException.class)
        .hasMessageContaining(base.digest());
  }

  @Test
  void aKeptFileAboveTheSizeCapFailsTheImage() {
    var images =
        LayeredImageArchive.builder()
            .image(
                "docker.io/team/big:1", Layer.gzip().file("var/lib/dpkg/status", "x".repeat(5000)));
    importUnpacked(node(), images, dir);

    assertThatThrownBy(
            () ->
                reader(4096)
                    .read(List.of("docker.io/team/big:1"), deadline(), Duration.ofMinutes(1)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("var/lib/dpkg/status")
        .hasMessageContaining("limit of 4096");
  }

  @Test
  void aCorruptLayerFailsTheImage() {
    var images =
        LayeredImageArchive.builder()
            .image("docker.io/team/corrupt:1", Layer.truncatedGzip("corrupt"));
    importPacked(node(), images, dir);

    assertThatThrownBy(() -> read("docker.io/team/corrupt:1")).isInstanceOf(IOException.class);
  }

  @Test
  void anImageContainerdDoesNotKnowIsReportedGone() throws IOException {
    assertThat(
            reader(1 << 20)
                .read(List.of("docker.io/team/never:1"), deadline(), Duration.ofMinutes(1)))
        .isEmpty();
  }

  @Test
  void aLeaseExpiresOnItsOwnShouldTheScannerDie() {
    String lease = client.createLease(Duration.ofMinutes(5), java.time.Clock.systemUTC());
    try {
      assertThat(node().ctr("leases", "ls"))
          .contains(lease)
          .contains(ContainerdClient.LEASE_EXPIRY_LABEL + "=");
    } finally {
      client.deleteLease(lease);
    }
    assertThat(node().ctr("leases", "ls")).doesNotContain(lease);
  }

  @Test
  void leavesNoLeaseBehind() throws IOException {
    var images = LayeredImageArchive.builder().image("docker.io/team/l:1", debianBase("bash 5"));
    importUnpacked(node(), images, dir);
    String before = node().ctr("leases", "ls");

    read("docker.io/team/l:1");

    assertThat(node().ctr("leases", "ls")).isEqualTo(before);
  }
}
