package sh.eraser.scanner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import sh.eraser.testing.LayeredImageArchive;
import sh.eraser.testing.LayeredImageArchive.Layer;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.worker.ImageRecord;
import sh.eraser.worker.Pipes;
import sh.eraser.worker.WorkerProcess;

/**
 * {@code make bench}, the scanner's part: 50 images sharing a Debian base layer on a private
 * containerd, scanned by {@code eraser scanner} (with {@code src/main/jvm/scanner.options}) against
 * a {@code file://} OSV database of at least 100,000 advisories. The benchmark plays the collector
 * and the remover through the pipes. Writes the figures into docs/performance.md between the
 * scanner's markers.
 */
public final class ScannerBench {

  private static final int IMAGES = Integer.getInteger("bench.scanImages", 50);
  private static final int ADVISORIES = Integer.getInteger("bench.advisories", 120_000);
  private static final int PACKAGES = 150;
  private static final Path REPORT = Path.of("docs/performance.md");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ScannerBench() {}

  public static void main(String[] args) throws Exception {
    try (LocalContainerd node = LocalContainerd.start()) {
      Path work = Files.createDirectories(node.directory().resolve("scan-bench"));
      List<ImageRecord> images = images(node, work);
      Path db = database(work.resolve("osv"));
      String table = measure(node, work, images, db);
      System.out.println(table);
      write(table);
    }
    System.exit(0);
  }

  /** A Debian 12 base layer of about 16 MiB with 150 packages, and a small layer per image. */
  private static List<ImageRecord> images(LocalContainerd node, Path work) {
    String[] packages = new String[PACKAGES];
    for (int i = 0; i < PACKAGES; i++) {
      packages[i] = "pkg" + i + " 1." + i + "-1";
    }
    Layer base = ScanImages.debianBase(packages);
    Random random = new Random(42);
    for (int i = 0; i < 2000; i++) {
      byte[] bulk = new byte[8192];
      random.nextBytes(bulk);
      base.file("usr/lib/bench/f" + i, bulk);
    }
    var archive = LayeredImageArchive.builder();
    List<ImageRecord> records = new ArrayList<>();
    for (int i = 0; i < IMAGES; i++) {
      String name = "docker.io/bench/scan:" + i;
      archive.image(name, base, Layer.gzip().file("srv/app", "app " + i));
    }
    Path tar = archive.write(work.resolve("images.tar"));
    node.importArchive(tar, java.time.Duration.ofMinutes(10));
    for (int i = 0; i < IMAGES; i++) {
      String name = "docker.io/bench/scan:" + i;
      records.add(new ImageRecord(archive.id(name), List.of(name), List.of()));
    }
    return records;
  }

  /**
   * Debian/all.zip with {@code ADVISORIES} records over 5,000 source packages in Debian 11 and 12,
   * about one in 40 of them about a package the images have, below its fixed version.
   */
  private static Path database(Path dir) throws IOException {
    Path zip = Files.createDirectories(dir.resolve("Debian")).resolve("all.zip");
    Random random = new Random(7);
    String[] vectors = {OsvFixtures.CVSS_CRITICAL, OsvFixtures.CVSS_HIGH, OsvFixtures.CVSS_MEDIUM};
    try (OutputStream file = Files.newOutputStream(zip);
        ZipOutputStream out = new ZipOutputStream(file)) {
      for (int i = 0; i < ADVISORIES; i++) {
        boolean installed = i % 40 == 0;
        String pkg = installed ? "pkg" + random.nextInt(PACKAGES) : "other" + random.nextInt(5000);
        String ecosystem = i % 2 == 0 ? "Debian:12" : "Debian:11";
        String id = "DEBIAN-CVE-2024-" + (100000 + i);
        Map<String, Object> record = OsvFixtures.record(id, ecosystem, pkg, "9." + i + "-1");
        record.put(
            "severity", List.of(Map.of("type", "CVSS_V3", "score", vectors[i % vectors.length])));
        record.put("details", "A benchmark advisory about " + pkg + ", padded as real ones are.");
        out.putNextEntry(new ZipEntry(id + ".json"));
        out.write(JSON.writeValueAsBytes(record));
        out.closeEntry();
      }
    }
    return dir;
  }

  private static String measure(LocalContainerd node, Path work, List<ImageRecord> images, Path db)
      throws Exception {
    Path shared = Files.createDirectories(work.resolve("shared"));
    Path config = work.resolve("config.yaml");
    Files.writeString(
        config,
        "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\ncomponents:\n  scanner:\n"
            + "    enabled: true\n    config: |\n      dbRepo: "
            + db.toUri()
            + "\n      cacheDir: "
            + work.resolve("cache")
            + "\n");
    List<String> command =
        new ArrayList<>(
            List.of("/usr/bin/time", "-f", "%e %M", "-o", work.resolve("time").toString()));
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options());
    command.addAll(
        List.of(
            "-jar",
            WorkerProcess.jar().toAbsolutePath().toString(),
            "scanner",
            "--runtime-endpoint=" + node.endpoint(),
            "--shared-dir=" + shared,
            "--config=" + config,
            "--termination-log=" + work.resolve("summary.json")));
    Process scanner =
        new ProcessBuilder(command)
            .redirectOutput(work.resolve("scanner.out").toFile())
            .redirectError(work.resolve("scanner.err").toFile())
            .start();
    Pipes pipes = new Pipes(shared);
    CompletableFuture<Void> collector =
        CompletableFuture.runAsync(
            () -> {
              try {
                pipes.sendImages(Pipes.COLLECT_SCAN, images);
              } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    List<ImageRecord> doomed = pipes.receiveImages(Pipes.SCAN_ERASE);
    pipes.signalComplete(Pipes.ERASE_COMPLETE_SCAN);
    collector.join();
    if (scanner.waitFor() != 0) {
      throw new IllegalStateException(
          "scanner failed: " + Files.readString(work.resolve("scanner.err")));
    }
    String[] time = Files.readString(work.resolve("time")).trim().split("\\s+");
    double wall = Double.parseDouble(time[time.length - 2]);
    long peakKib = Long.parseLong(time[time.length - 1]);
    List<Long> perImage = new ArrayList<>();
    long dbMillis = 0;
    for (String line : Files.readAllLines(work.resolve("scanner.out"))) {
      JsonNode json = JSON.readTree(line);
      String took = WorkerProcess.Result.field(json, "tookMs");
      if (!took.isEmpty()) {
        perImage.add(Long.parseLong(took));
      }
      String message = json.path("message").asText(json.path("formattedMessage").asText());
      if (message.startsWith("loaded OSV advisories")) {
        dbMillis = Long.parseLong(message.replaceAll(".* in (\\d+) ms$", "$1"));
      }
    }
    System.out.println("per image, ms: " + perImage);
    long first = perImage.get(0);
    List<Long> rest = new ArrayList<>(perImage.subList(1, perImage.size()));
    rest.sort(null);
    long median = rest.get(rest.size() / 2);
    long max = rest.get(rest.size() - 1);
    double scanSeconds = perImage.stream().mapToLong(Long::longValue).sum() / 1000.0;
    return String.join(
        "\n",
        "Measured "
            + LocalDate.now()
            + " on "
            + Runtime.getRuntime().availableProcessors()
            + " cores, one run, scanner JVM flags `"
            + String.join(" ", options())
            + "`.",
        "",
        "| what | figure |",
        "|---|---|",
        "| images scanned (sharing one 16 MiB Debian base layer, 150 packages) | "
            + perImage.size()
            + " |",
        "| advisories in the database (Debian/all.zip) | " + ADVISORIES + " |",
        "| images handed to the remover (vulnerable) | " + doomed.size() + " |",
        "| whole scanner process, wall time | " + String.format("%.2f s", wall) + " |",
        "| loading the advisories of Debian 12 | " + dbMillis + " ms |",
        "| first image (reads the base layer) | " + first + " ms |",
        "| each later image: median / slowest | " + median + " ms / " + max + " ms |",
        "| images per second, reading and judging | "
            + String.format("%.0f", perImage.size() / Math.max(scanSeconds, 0.001))
            + " |",
        "| peak RSS of the scanner JVM | " + String.format("%.1f MiB", peakKib / 1024.0) + " |");
  }

  /**
   * The image's options for the scanner, and the memory the JVM would see in a container limited to
   * the chart's default for the scanner (2 GiB), which its heap is a share of.
   */
  private static List<String> options() throws IOException {
    List<String> options =
        new ArrayList<>(
            Files.readAllLines(Path.of("src/main/jvm/scanner.options")).stream()
                .map(String::trim)
                .filter(l -> !l.isEmpty() && !l.startsWith("#"))
                .toList());
    options.add("-XX:MaxRAM=" + System.getProperty("bench.scannerMemory", "2g"));
    return options;
  }

  private static void write(String table) throws IOException {
    String doc = Files.readString(REPORT, StandardCharsets.UTF_8);
    String start = "<!-- scanner-bench:start -->";
    String end = "<!-- scanner-bench:end -->";
    int from = doc.indexOf(start);
    int to = doc.indexOf(end);
    if (from < 0 || to < 0) {
      throw new IllegalStateException("no scanner-bench markers in " + REPORT);
    }
    Files.writeString(
        REPORT, doc.substring(0, from + start.length()) + "\n" + table + "\n" + doc.substring(to));
  }
}
