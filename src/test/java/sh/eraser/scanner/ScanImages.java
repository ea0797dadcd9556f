package sh.eraser.scanner;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import sh.eraser.testing.LayeredImageArchive;
import sh.eraser.testing.LayeredImageArchive.Layer;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.OciArchive;

/** Test images for the scanner, and their import into a real containerd. */
public final class ScanImages {

  static final String DEBIAN_12 =
      "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\n"
          + "VERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n";
  static final String ALPINE_319 =
      "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.22.2\nPRETTY_NAME=\"Alpine Linux v3.22\"\n";

  private ScanImages() {}

  /** A dpkg status file listing these packages, as "name version [source (version)]". */
  static String dpkgStatus(String... packages) {
    StringBuilder text = new StringBuilder();
    for (String p : packages) {
      String[] parts = p.split(" ", 3);
      text.append("Package: ").append(parts[0]).append('\n');
      text.append("Status: install ok installed\n");
      text.append("Architecture: amd64\n");
      if (parts.length == 3) {
        text.append("Source: ").append(parts[2]).append('\n');
      }
      text.append("Version: ").append(parts[1]).append('\n');
      text.append("Description: a test package\n more text\n\n");
    }
    return text.toString();
  }

  /** A Debian 12 base layer: os-release under usr/lib, linked from etc, and a dpkg status. */
  public static Layer debianBase(String... packages) {
    return Layer.gzip()
        .directory("etc")
        .file("etc/debian_version", "12.4\n")
        .directory("usr/lib")
        .file("usr/lib/os-release", DEBIAN_12)
        .symlink("etc/os-release", "../usr/lib/os-release")
        .directory("var/lib/dpkg")
        .file("var/lib/dpkg/status", dpkgStatus(packages));
  }

  static String apkInstalled(String... packages) {
    StringBuilder text = new StringBuilder();
    for (String p : packages) {
      String[] parts = p.split(" ");
      text.append("C:Q1abc=\nP:").append(parts[0]).append("\nV:").append(parts[1]);
      text.append("\nA:x86_64\n");
      if (parts.length > 2) {
        text.append("o:").append(parts[2]).append('\n');
      }
      text.append('\n');
    }
    return text.toString();
  }

  static Layer alpineBase(String... packages) {
    return Layer.gzip()
        .file("etc/os-release", ALPINE_319)
        .file("etc/alpine-release", "3.22.2\n")
        .file("lib/apk/db/installed", apkInstalled(packages));
  }

  /** Imports an archive, unpacked, and waits until the CRI lists every name in it. */
  static void importUnpacked(LocalContainerd node, LayeredImageArchive images, Path dir) {
    node.importArchive(images.write(dir.resolve("images-" + System.nanoTime() + ".tar")));
  }

  /**
   * Imports without unpacking, for images whose layers could not be unpacked (corrupt ones), and
   * waits until the CRI lists them.
   */
  static void importPacked(LocalContainerd node, LayeredImageArchive images, Path dir) {
    Path tar = images.write(dir.resolve("images-" + System.nanoTime() + ".tar"));
    Set<String> names = OciArchive.imageNames(tar);
    node.ctr("images", "import", "--no-unpack", tar.toString());
    await("CRI to list " + names)
        .atMost(Duration.ofSeconds(30))
        .until(() -> node.imageTags().containsAll(names));
  }

  static List<String> refs(String... refs) {
    return List.of(refs);
  }
}
