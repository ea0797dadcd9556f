package sh.eraser.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import sh.eraser.cri.api.Image;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.OciArchive;
import sh.eraser.worker.WorkerProcess;
import sh.eraser.worker.WorkerProcess.Result;

/**
 * {@code make bench}: times the remover and the collector on a private containerd, and measures
 * each worker JVM's peak RSS, next to {@code ctr images rm} of the same images as the floor. Writes
 * the figures into docs/performance.md between the bench markers.
 */
public final class Bench {

  private static final int REMOVE_IMAGES = Integer.getInteger("bench.removeImages", 200);
  private static final int COLLECT_IMAGES = Integer.getInteger("bench.collectImages", 10_000);
  private static final int COLLECT_CONTAINERS =
      Integer.getInteger("bench.collectContainers", 2_000);
  private static final int RUNS = Integer.getInteger("bench.runs", 3);
  private static final Duration IMPORT_TIMEOUT = Duration.ofMinutes(20);
  private static final Path REPORT = Path.of("docs/performance.md");

  private Bench() {}

  /** One measured run: wall time and, for JVMs, peak resident set size. */
  record Sample(double seconds, long peakKib) {}

  public static void main(String[] args) throws Exception {
    List<String> rows = new ArrayList<>();
    try (LocalContainerd node = LocalContainerd.start()) {
      Path work = Files.createDirectories(node.directory().resolve("bench"));
      rows.addAll(removal(node, work));
      rows.addAll(collection(node, work));
    }
    String table = String.join("\n", rows);
    System.out.println(table);
    writeReport(table);
    System.exit(0);
  }

  private static List<String> removal(LocalContainerd node, Path work) throws IOException {
    Path tar = work.resolve("remove.tar");
    OciArchive.Builder images = OciArchive.builder();
    IntStream.range(0, REMOVE_IMAGES)
        .forEach(i -> images.image("rm-" + i, "docker.io/bench/rm:" + i));
    images.write(tar);
    List<Sample> ctr = new ArrayList<>();
    List<Sample> remover = new ArrayList<>();
    List<Sample> removerWork = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      node.importArchive(tar, IMPORT_TIMEOUT);
      ctr.add(ctrRemoveAll(node, work));
      node.importArchive(tar, IMPORT_TIMEOUT);
      Sample[] measured = removerRun(node, work);
      remover.add(measured[0]);
      removerWork.add(measured[1]);
    }
    Sample floor = median(ctr);
    Sample ours = median(remover);
    Sample ownWork = median(removerWork);
    return List.of(
        row(
            "`ctr images rm` of "
                + REMOVE_IMAGES
                + " images (every tag and ID reference; the floor)",
            floor,
            false),
        row(
            "`eraser remover` with `[\"*\"]` over the same " + REMOVE_IMAGES + " images",
            ours,
            true),
        row("the same remover's own work, from its first log line to its summary", ownWork, false),
        "| remover ÷ floor | " + String.format("%.2f×", ours.seconds() / floor.seconds()) + " | |");
  }

  /** Removes every reference of every image but the sandbox image, as the CRI would. */
  private static Sample ctrRemoveAll(LocalContainerd node, Path work) throws IOException {
    List<String> refs = new ArrayList<>();
    for (Image image : node.listImages()) {
      if (image.getRepoTagsList().contains(node.sandboxImage())) {
        continue;
      }
      refs.addAll(image.getRepoTagsList());
      refs.add(image.getId());
    }
    List<String> command =
        new ArrayList<>(
            List.of("/usr/bin/time", "-f", "%e %M", "-o", work.resolve("ctr.time").toString()));
    command.addAll(
        List.of(
            "ctr", "--address", node.socket().toString(), "--namespace", "k8s.io", "images", "rm"));
    command.addAll(refs);
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("ctr.out").toFile())
            .start();
    try {
      if (process.waitFor() != 0) {
        throw new IllegalStateException(
            "ctr images rm failed: " + Files.readString(work.resolve("ctr.out")));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return readTime(work.resolve("ctr.time"));
  }

  /** The remover's whole process, and its own work without the JVM's start. */
  private static Sample[] removerRun(LocalContainerd node, Path work) throws IOException {
    Path list = Files.writeString(work.resolve("all.json"), "[\"*\"]");
    Path timing = work.resolve("remover.time");
    Result result =
        WorkerProcess.of(
                work,
                "remover",
                "--runtime-endpoint=" + node.endpoint(),
                "--imagelist=" + list,
                "--exclusion-dir=" + work.resolve("none"))
            .under("/usr/bin/time", "-f", "%e %M", "-o", timing.toString())
            .start()
            .await(Duration.ofMinutes(10));
    requireSuccess(result, "removed", REMOVE_IMAGES);
    return new Sample[] {readTime(timing), new Sample(loggedSeconds(result), 0)};
  }

  private static List<String> collection(LocalContainerd node, Path work) throws IOException {
    OciArchive.Builder images = OciArchive.builder();
    IntStream.range(0, COLLECT_IMAGES)
        .forEach(i -> images.image("c-" + i, "docker.io/bench/c" + (i % 50) + ":" + i));
    Path tar = work.resolve("collect.tar");
    images.write(tar);
    long importStart = System.nanoTime();
    node.importArchive(tar, IMPORT_TIMEOUT);
    System.out.printf(
        "imported %d images in %.1f s%n", COLLECT_IMAGES, (System.nanoTime() - importStart) / 1e9);
    int perPod = 100;
    String pod = null;
    for (int i = 0; i < COLLECT_CONTAINERS; i++) {
      if (i % perPod == 0) {
        pod = node.runPod("bench-" + i / perPod);
      }
      node.createContainer(pod, "c" + i, "docker.io/bench/c" + (i % 50) + ":" + i, false);
    }
    List<Sample> samples = new ArrayList<>();
    for (int run = 0; run < RUNS; run++) {
      Path timing = work.resolve("collector.time");
      Result result =
          WorkerProcess.of(
                  work,
                  "collector",
                  "--dry-run",
                  "--runtime-endpoint=" + node.endpoint(),
                  "--exclusion-dir=" + work.resolve("none"),
                  "--shared-dir=" + work.resolve("shared"))
              .under("/usr/bin/time", "-f", "%e %M", "-o", timing.toString())
              .start()
              .await(Duration.ofMinutes(10));
      requireSuccess(result, "collected", COLLECT_IMAGES - COLLECT_CONTAINERS);
      samples.add(readTime(timing));
    }
    return List.of(
        row(
            "`eraser collector --dry-run` over "
                + COLLECT_IMAGES
                + " images and "
                + COLLECT_CONTAINERS
                + " containers",
            median(samples),
            true));
  }

  /** Time between the first and the last log line: the work, without JVM start-up. */
  private static double loggedSeconds(Result result) {
    String[] lines = result.stdout().trim().split("\n");
    return (timestamp(lines[lines.length - 1]) - timestamp(lines[0])) / 1000.0;
  }

  private static long timestamp(String jsonLine) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(jsonLine)
          .path("timestamp")
          .asLong();
    } catch (IOException e) {
      throw new IllegalStateException("not a JSON log line: " + jsonLine, e);
    }
  }

  private static void requireSuccess(Result result, String count, int expected) {
    JsonNode summary = result.summary();
    if (result.exitCode() != 0 || summary == null || summary.path(count).asInt() != expected) {
      throw new IllegalStateException("expected " + count + "=" + expected + ": " + result);
    }
  }

  private static Sample readTime(Path file) throws IOException {
    String[] parts = Files.readString(file).trim().split("\\s+");
    String[] last =
        parts.length > 2 ? new String[] {parts[parts.length - 2], parts[parts.length - 1]} : parts;
    return new Sample(Double.parseDouble(last[0]), Long.parseLong(last[1]));
  }

  private static Sample median(List<Sample> samples) {
    List<Sample> sorted = new ArrayList<>(samples);
    sorted.sort(Comparator.comparingDouble(Sample::seconds));
    Sample byTime = sorted.get(sorted.size() / 2);
    List<Long> rss = samples.stream().map(Sample::peakKib).sorted().toList();
    return new Sample(byTime.seconds(), rss.get(rss.size() / 2));
  }

  private static String row(String what, Sample sample, boolean jvm) {
    String rss = jvm ? String.format("%.1f MiB", sample.peakKib() / 1024.0) : "";
    return String.format("| %s | %.2f s | %s |", what, sample.seconds(), rss);
  }

  private static void writeReport(String table) throws IOException {
    String text = Files.exists(REPORT) ? Files.readString(REPORT, StandardCharsets.UTF_8) : "";
    String start = "<!-- bench:start -->";
    String end = "<!-- bench:end -->";
    String body =
        start
            + "\nMeasured "
            + LocalDate.now()
            + " on "
            + Runtime.getRuntime().availableProcessors()
            + " cores, median of "
            + RUNS
            + " runs, worker JVM flags `"
            + String.join(" ", WorkerProcess.JVM_FLAGS)
            + "`.\n\n| what | wall time | peak RSS |\n|---|---|---|\n"
            + table
            + "\n"
            + end;
    int from = text.indexOf(start);
    int to = text.indexOf(end);
    String updated =
        from >= 0 && to > from
            ? text.substring(0, from) + body + text.substring(to + end.length())
            : text + "\n" + body + "\n";
    Files.writeString(REPORT, updated, StandardCharsets.UTF_8);
    System.out.println("wrote " + REPORT.toAbsolutePath());
  }
}
