package sh.eraser.demo;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import sh.eraser.cri.api.Image;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.OciArchive;
import sh.eraser.worker.WorkerProcess;
import sh.eraser.worker.WorkerProcess.Result;

/**
 * {@code make demo}: a private containerd with a handful of locally built images, one pod with a
 * running and an exited container, an exclusion list, and the collector and remover run as the
 * worker pod runs them. Prints what was on the node before, what each worker decided, and what is
 * left.
 */
public final class Demo {

  private static final PrintStream out = System.out;

  private Demo() {}

  public static void main(String[] args) throws Exception {
    int code;
    try (LocalContainerd node = LocalContainerd.start()) {
      code = run(node);
    }
    out.println("containerd stopped; its temporary directory is gone.");
    System.exit(code);
  }

  private static int run(LocalContainerd node) throws IOException {
    Path work = Files.createDirectories(node.directory().resolve("demo"));
    out.println("Started a private containerd: " + node.endpoint());

    importImages(
        node,
        work,
        OciArchive.builder()
            .image("nginx", "docker.io/library/nginx:1.25")
            .image("batch", "quay.io/team/batch-job:7")
            .image("ci-new", "docker.io/team/ci-build:101", "docker.io/team/ci-build:latest")
            .image("ci-old", "docker.io/team/ci-build:100")
            .image("alpine", "docker.io/library/alpine:3.7.3", "docker.io/library/alpine:3.7"));
    node.importUntagged("dangling");
    String pod = node.runPod("web");
    node.createContainer(pod, "nginx", "docker.io/library/nginx:1.25", true);
    node.runAndExit(pod, "migrate", "quay.io/team/batch-job:7");
    out.println("Pod 'web' runs nginx:1.25; container 'migrate' ran batch-job:7 and exited.");

    Path exclusions = work.resolve("exclusions");
    writeExclusionList(exclusions, "alpine", "{\"excluded\": [\"docker.io/library/alpine:*\"]}");
    out.println("Exclusion list 'alpine': {\"excluded\": [\"docker.io/library/alpine:*\"]}");

    List<Image> before = node.listImages();
    printImages("Before", before);

    Result[] results = runWorkerPod(node, work, exclusions);
    Result collector = results[0];
    Result remover = results[1];
    printDecisions(before, collector, remover, node.listImages());

    out.println();
    out.println("collector summary: " + collector.summary());
    out.println("remover summary:   " + remover.summary());
    boolean ok = collector.exitCode() == 0 && remover.exitCode() == 0;
    if (!ok) {
      out.println("A worker failed:\n" + collector + "\n" + remover);
    }
    return ok ? 0 : 1;
  }

  private static Map<String, String> importImages(
      LocalContainerd node, Path work, OciArchive.Builder images) {
    Path tar = work.resolve("images.tar");
    Map<String, String> ids = images.write(tar);
    node.importArchive(tar);
    return ids;
  }

  /** The kubelet's layout of a mounted ConfigMap: keys are symlinks into ..data. */
  private static void writeExclusionList(Path root, String name, String json) throws IOException {
    Path cm = Files.createDirectories(root.resolve("exclude-" + name));
    Path data = Files.createDirectories(cm.resolve("..2026_01_01_00_00_00.000000000"));
    Files.writeString(data.resolve("excluded.json"), json);
    Files.createSymbolicLink(cm.resolve("..data"), data.getFileName());
    Files.createSymbolicLink(cm.resolve("excluded.json"), Path.of("..data", "excluded.json"));
  }

  /** Collector and remover side by side, sharing a directory of named pipes, as in the pod. */
  private static Result[] runWorkerPod(LocalContainerd node, Path work, Path exclusions)
      throws IOException {
    Path shared = Files.createDirectories(work.resolve("shared-data"));
    List<String> common =
        List.of(
            "--runtime-endpoint=" + node.endpoint(),
            "--exclusion-dir=" + exclusions,
            "--shared-dir=" + shared,
            "--node-name=demo-node");
    out.println();
    out.println(
        "Running: eraser collector --scan-disabled | eraser remover  (pipes in " + shared + ")");
    WorkerProcess collector =
        WorkerProcess.of(work, concat("collector", common, "--scan-disabled")).start();
    WorkerProcess remover = WorkerProcess.of(work, concat("remover", common)).start();
    Result removed = remover.await(Duration.ofMinutes(2));
    Result collected = collector.await(Duration.ofMinutes(2));
    return new Result[] {collected, removed};
  }

  private static String[] concat(String command, List<String> common, String... more) {
    List<String> all = new ArrayList<>();
    all.add(command);
    all.addAll(common);
    all.addAll(List.of(more));
    return all.toArray(String[]::new);
  }

  private static void printImages(String title, List<Image> images) {
    out.println();
    out.println(title + ": " + images.size() + " images");
    for (Image image : images) {
      out.printf("  %-14s %s%n", shortId(image.getId()), names(image));
    }
  }

  private static void printDecisions(
      List<Image> before, Result collector, Result remover, List<Image> after) {
    Map<String, String[]> decided = new LinkedHashMap<>();
    collect(collector, decided);
    collect(remover, decided);
    Set<String> left = after.stream().map(Image::getId).collect(Collectors.toSet());
    out.println();
    out.printf("%-14s %-58s %-9s %-10s %s%n", "IMAGE ID", "NAMES", "AFTER", "DECISION", "REASON");
    for (Image image : before) {
      String[] d = decided.getOrDefault(image.getId(), new String[] {"-", "-"});
      String state = left.contains(image.getId()) ? "present" : "gone";
      out.printf(
          "%-14s %-58s %-9s %-10s %s%n", shortId(image.getId()), names(image), state, d[0], d[1]);
    }
  }

  /** Later decisions win: the remover's word on an image replaces the collector's. */
  private static void collect(Result worker, Map<String, String[]> decided) {
    for (JsonNode line : worker.decisions()) {
      String id = Result.field(line, "imageId");
      if (!id.isEmpty()) {
        decided.put(id, new String[] {Result.decision(line), Result.field(line, "reason")});
      }
    }
  }

  private static String names(Image image) {
    return image.getRepoTagsCount() == 0 ? "<none>" : String.join(", ", image.getRepoTagsList());
  }

  private static String shortId(String id) {
    return id.startsWith("sha256:") ? id.substring(7, 19) : id;
  }
}
