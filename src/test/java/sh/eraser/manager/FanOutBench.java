package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.javaoperatorsdk.operator.Operator;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageList;
import sh.eraser.config.EraserConfigLoader;
import sh.eraser.metrics.RunMetrics;

/**
 * {@code make bench-manager}: the manager's fan-out on fabric8's mock API server in CRUD mode, from
 * the ImageList's creation to a worker pod on every one of N Ready Linux nodes, and the peak heap
 * of the JVM that runs both. One JVM per N ({@code measure}, with {@code -Dfanout.nodes=N}) writes
 * one table row under target/; {@code report} puts the rows into docs/performance.md between the
 * bench-manager markers.
 */
public final class FanOutBench {

  private static final int NODES = Integer.getInteger("fanout.nodes", 1_000);
  private static final long TIMEOUT_SECONDS = Long.getLong("fanout.timeoutSeconds", 900);
  private static final Path ROWS = Path.of("target/bench-manager");
  private static final Path REPORT = Path.of("docs/performance.md");
  private static final String START = "<!-- bench-manager:start -->";
  private static final String END = "<!-- bench-manager:end -->";
  private static final String FLOOR_NAMESPACE = "fanout-floor";

  private FanOutBench() {}

  /** What one fan-out took: seconds from the ImageList's creation, and heap in MiB. */
  record Figures(
      int nodes,
      double firstPod,
      double allPods,
      double floorSeconds,
      double peakHeapMib,
      double liveWithManagerMib,
      double liveWithoutManagerMib,
      long gcCount,
      double gcSeconds) {}

  public static void main(String[] args) throws Exception {
    if (args.length == 1 && args[0].equals("report")) {
      report();
    } else if (args.length == 1 && args[0].equals("measure")) {
      Figures figures = measure(NODES);
      writeRow(figures);
    } else {
      throw new IllegalArgumentException("usage: FanOutBench measure|report");
    }
    System.exit(0);
  }

  private static Figures measure(int nodes) throws Exception {
    MockApi.quiet();
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer mock =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            new KubernetesMixedDispatcher(responses),
            false);
    mock.init(InetAddress.getLoopbackAddress(), 0);
    try (KubernetesClient bench = mock.createClient();
        KubernetesClient manager = mock.createClient()) {
      MockApi.installCrds(bench);
      createNodes(bench, nodes);
      Operator operator = startManager(manager);
      Figures figures = fanOut(bench, nodes);
      double withManager = liveHeapMib();
      operator.stop();
      manager.close();
      figures = withLive(figures, withManager, liveHeapMib());
      figures = withFloor(figures, floor(bench, nodes));
      System.out.println(figures);
      return figures;
    } finally {
      mock.destroy();
    }
  }

  private static void createNodes(KubernetesClient client, int count) {
    long start = System.nanoTime();
    for (int i = 0; i < count; i++) {
      client.resource(readyLinuxNode(String.format("node-%05d", i))).create();
    }
    System.out.printf("created %d nodes in %.1f s%n", count, seconds(start));
  }

  /** The manager's operator as the tests start it: leader election off, default config. */
  private static Operator startManager(KubernetesClient client) {
    Operator operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false));
    operator.register(
        new ImageListReconciler(
            ConfigSource.fixed(new EraserConfigLoader().defaults()),
            MockApi.NAMESPACE,
            Optional.empty(),
            new RunMetrics(new SimpleMeterRegistry())));
    operator.start();
    return operator;
  }

  /**
   * Creates the ImageList and waits until every node has its pod. Pods are counted from a watch
   * rather than by listing, so that counting does not itself load the mock and the heap with
   * thousands of pods per poll.
   */
  private static Figures fanOut(KubernetesClient client, int nodes) throws Exception {
    AtomicInteger added = new AtomicInteger();
    AtomicLong firstAt = new AtomicLong();
    CountDownLatch all = new CountDownLatch(nodes);
    try (Watch watch =
        client.pods().inNamespace(MockApi.NAMESPACE).watch(counter(added, firstAt, all))) {
      long[] gcBefore = gcTotals();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      long start = System.nanoTime();
      client
          .resource(new ImageList(Names.IMAGE_LIST, List.of("docker.io/library/alpine:3.18")))
          .create();
      if (!all.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        throw new IllegalStateException(
            added.get() + " of " + nodes + " pods after " + TIMEOUT_SECONDS + " s");
      }
      double allPods = seconds(start);
      double peak = peakHeapMib();
      int listed = client.pods().inNamespace(MockApi.NAMESPACE).list().getItems().size();
      if (listed != nodes) {
        throw new IllegalStateException("expected " + nodes + " pods, the API lists " + listed);
      }
      long[] gc = gcTotals();
      double first = (firstAt.get() - start) / 1e9;
      return new Figures(
          nodes, first, allPods, 0, peak, 0, 0, gc[0] - gcBefore[0], (gc[1] - gcBefore[1]) / 1e3);
    }
  }

  /** Collections so far and the milliseconds they took, over all collectors. */
  private static long[] gcTotals() {
    long[] totals = new long[2];
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      totals[0] += gc.getCollectionCount();
      totals[1] += gc.getCollectionTime();
    }
    return totals;
  }

  private static Watcher<Pod> counter(AtomicInteger added, AtomicLong firstAt, CountDownLatch all) {
    return new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (action == Action.ADDED) {
          if (added.incrementAndGet() == 1) {
            firstAt.set(System.nanoTime());
          }
          all.countDown();
        }
      }

      @Override
      public void onClose(WatcherException cause) {
        System.err.println("pod watch closed: " + cause);
      }
    };
  }

  /**
   * The same number of the manager's own pods created one after another by a client of its own,
   * with nothing else going on: how fast the mock takes pods, the floor for the manager's loop.
   */
  private static double floor(KubernetesClient client, int nodes) {
    Pod template = client.pods().inNamespace(MockApi.NAMESPACE).list().getItems().get(0);
    Namespace namespace = new NamespaceBuilder().withNewMetadata().endMetadata().build();
    namespace.getMetadata().setName(FLOOR_NAMESPACE);
    client.resource(namespace).create();
    long start = System.nanoTime();
    for (int i = 0; i < nodes; i++) {
      String node = String.format("node-%05d", i);
      ObjectMeta meta =
          new ObjectMetaBuilder(template.getMetadata())
              .withName(null)
              .withUid(null)
              .withResourceVersion(null)
              .withCreationTimestamp(null)
              .withNamespace(FLOOR_NAMESPACE)
              .withGenerateName(WorkerNames.podGenerateName(node))
              .build();
      template.setMetadata(meta);
      template.getSpec().setNodeName(node);
      client.resource(template).create();
    }
    return seconds(start);
  }

  private static Node readyLinuxNode(String name) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels(NodeSelection.OS_LABEL, "linux")
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus("True")
        .endCondition()
        .endStatus()
        .build();
  }

  /**
   * The sum of the heap pools' peaks since the ImageList was created. The pools need not peak at
   * the same moment, so the sum can only overstate the true peak.
   */
  private static double peakHeapMib() {
    long bytes = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        bytes += pool.getPeakUsage().getUsed();
      }
    }
    return bytes / (1024.0 * 1024.0);
  }

  /** The heap still in use after a full collection: what is reachable, nothing else. */
  private static double liveHeapMib() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024.0 * 1024.0);
  }

  private static Figures withLive(Figures f, double withManager, double withoutManager) {
    return new Figures(
        f.nodes(),
        f.firstPod(),
        f.allPods(),
        f.floorSeconds(),
        f.peakHeapMib(),
        withManager,
        withoutManager,
        f.gcCount(),
        f.gcSeconds());
  }

  private static Figures withFloor(Figures f, double floorSeconds) {
    return new Figures(
        f.nodes(),
        f.firstPod(),
        f.allPods(),
        floorSeconds,
        f.peakHeapMib(),
        f.liveWithManagerMib(),
        f.liveWithoutManagerMib(),
        f.gcCount(),
        f.gcSeconds());
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static void writeRow(Figures f) throws IOException {
    String row =
        String.format(
            "| %,d | %.2f s | %.2f s | %.2f s | %.0f MiB | %.0f MiB | %.0f MiB | %d, %.2f s |",
            f.nodes(),
            f.firstPod(),
            f.allPods(),
            f.floorSeconds(),
            f.peakHeapMib(),
            f.liveWithManagerMib(),
            f.liveWithoutManagerMib(),
            f.gcCount(),
            f.gcSeconds());
    String jvm = String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments());
    Files.createDirectories(ROWS);
    Files.writeString(
        ROWS.resolve(String.format("fanout-%07d.row", f.nodes())),
        row + "\n" + jvm + "\n",
        StandardCharsets.UTF_8);
  }

  /** Puts the rows of the last measurements, smallest N first, into docs/performance.md. */
  private static void report() throws IOException {
    List<String> rows = new ArrayList<>();
    String jvm = "";
    try (var files = Files.list(ROWS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".row")).sorted().toList()) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        rows.add(lines.get(0));
        jvm = lines.size() > 1 ? lines.get(1) : jvm;
      }
    }
    String body =
        START
            + "\nMeasured "
            + LocalDate.now()
            + " on "
            + Runtime.getRuntime().availableProcessors()
            + " cores, JDK "
            + Runtime.version().feature()
            + ", one JVM per row, JVM options `"
            + jvm.replaceAll("-Dfanout\\.nodes=\\S+\\s*", "").trim()
            + "`.\n\n"
            + "| nodes | first pod | all pods | floor: same pods, one client, nothing else"
            + " | peak heap | live heap, manager running | live heap, manager stopped"
            + " | GCs, GC time |\n"
            + "|---|---|---|---|---|---|---|---|\n"
            + String.join("\n", rows)
            + "\n"
            + END;
    String text = Files.readString(REPORT, StandardCharsets.UTF_8);
    int from = text.indexOf(START);
    int to = text.indexOf(END);
    String updated =
        from >= 0 && to > from
            ? text.substring(0, from) + body + text.substring(to + END.length())
            : text + "\n" + body + "\n";
    Files.writeString(REPORT, updated, StandardCharsets.UTF_8);
    System.out.println(body);
  }
}
