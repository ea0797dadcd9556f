package sh.eraser.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image archive {@code make image} writes (target/eraser-image.tar): its config, as a runtime
 * reads it, and its entry point run as the image's user. Runs only after {@code make image}.
 */
class ImageArchiveIT {

  private static final Path ARCHIVE =
      Path.of(System.getProperty("eraser.image.tar", "target/eraser-image.tar"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private static Map<String, byte[]> files;

  @BeforeAll
  static void readArchive() throws IOException {
    assumeTrue(Files.exists(ARCHIVE), "no image archive at " + ARCHIVE + ": run make image");
    files = new HashMap<>();
    try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(ARCHIVE))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        // The layers are large; only the JSON documents are kept in memory.
        if (entry.isFile() && entry.getSize() < 1 << 20) {
          files.put(entry.getName().replaceFirst("^\\./", ""), tar.readAllBytes());
        }
      }
    }
  }

  @Test
  void theConfigNamesTheEntryPointANonRootUserAndTheVersion() throws IOException {
    JsonNode config = imageConfig().path("config");

    assertThat(config.path("Entrypoint").toString()).isEqualTo("[\"/app/bin/eraser\"]");
    assertThat(config.path("User").asText()).isEqualTo("65532:65532");
    assertThat(config.path("Labels").path("org.opencontainers.image.version").asText())
        .isEqualTo(System.getProperty("eraser.version"));
  }

  @Test
  void theEntryPointRunsEachComponentWithItsJvmOptionsAndTheBakedVersion(@TempDir Path work)
      throws Exception {
    Path root = Files.createDirectories(work.resolve("rootfs"));
    String version = "eraser " + System.getProperty("eraser.version");
    try {
      for (String layer : layers(Files.createDirectories(work.resolve("archive")))) {
        run(List.of("tar", "--warning=no-unknown-keyword", "-xzf", layer, "-C", root.toString()));
      }

      assertThat(runInImage(root, "--version").strip()).endsWith(version);
      // The JVM prints the options it was given before the program's own output.
      String remover = runInImage(root, "remover", "--version");
      assertThat(remover).contains("-XX:MaxHeapSize=33554432", "-XX:+UseSerialGC");
      assertThat(remover.strip()).endsWith(version);
      String manager = runInImage(root, "manager", "--version");
      assertThat(manager).contains("-XX:MaxRAMPercentage=60", "-XX:+ExitOnOutOfMemoryError");
      assertThat(manager.strip()).endsWith(version);
    } finally {
      // The root file system holds absolute symbolic links; rm removes them, not their targets.
      run(List.of("rm", "-rf", root.toString(), work.resolve("archive").toString()));
    }
  }

  /**
   * Runs the image's entry point with {@code args} as the image's user, in a private mount and PID
   * namespace with its own /proc as a container runtime gives (the JVM finds its libraries through
   * /proc/self/exe), printing the JVM's options first.
   */
  private static String runInImage(Path root, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                "unshare",
                "--mount",
                "--pid",
                "--fork",
                "--mount-proc=" + root.resolve("proc"),
                "chroot",
                "--userspec=65532:65532",
                root.toString(),
                "/usr/bin/env",
                "JAVA_TOOL_OPTIONS=-XX:+PrintCommandLineFlags",
                "/app/bin/eraser"));
    command.addAll(List.of(args));
    return run(command);
  }

  private static JsonNode imageConfig() throws IOException {
    return JSON.readTree(blob(manifest().path("config").path("digest").asText()));
  }

  private static JsonNode manifest() throws IOException {
    JsonNode index = JSON.readTree(files.get("index.json"));
    return JSON.readTree(blob(index.path("manifests").get(0).path("digest").asText()));
  }

  /** Paths of the layer blobs, base first, with the archive unpacked into {@code unpacked}. */
  private static List<String> layers(Path unpacked) throws IOException, InterruptedException {
    run(List.of("tar", "-xf", ARCHIVE.toString(), "-C", unpacked.toString()));
    List<String> layers = new ArrayList<>();
    for (JsonNode layer : manifest().path("layers")) {
      String digest = layer.path("digest").asText().replace("sha256:", "");
      layers.add(unpacked.resolve("blobs/sha256").resolve(digest).toString());
    }
    return layers;
  }

  private static byte[] blob(String digest) {
    byte[] blob = files.get("blobs/sha256/" + digest.replace("sha256:", ""));
    assertThat(blob).as("blob %s in the archive", digest).isNotNull();
    return blob;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out;
    try (InputStream in = process.getInputStream()) {
      out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("%s finished", command).isTrue();
    assertThat(process.exitValue()).as("%s:%n%s", command, out).isZero();
    return out;
  }
}
