package sh.eraser.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.cri.api.Container;
import sh.eraser.cri.api.ContainerConfig;
import sh.eraser.cri.api.ContainerMetadata;
import sh.eraser.cri.api.ContainerState;
import sh.eraser.cri.api.CreateContainerRequest;
import sh.eraser.cri.api.Image;
import sh.eraser.cri.api.ImageServiceGrpc;
import sh.eraser.cri.api.ImageServiceGrpc.ImageServiceBlockingStub;
import sh.eraser.cri.api.ImageSpec;
import sh.eraser.cri.api.LinuxPodSandboxConfig;
import sh.eraser.cri.api.LinuxSandboxSecurityContext;
import sh.eraser.cri.api.ListContainersRequest;
import sh.eraser.cri.api.ListImagesRequest;
import sh.eraser.cri.api.ListPodSandboxRequest;
import sh.eraser.cri.api.NamespaceMode;
import sh.eraser.cri.api.NamespaceOption;
import sh.eraser.cri.api.PodSandbox;
import sh.eraser.cri.api.PodSandboxConfig;
import sh.eraser.cri.api.PodSandboxMetadata;
import sh.eraser.cri.api.RemoveContainerRequest;
import sh.eraser.cri.api.RemoveImageRequest;
import sh.eraser.cri.api.RemovePodSandboxRequest;
import sh.eraser.cri.api.RunPodSandboxRequest;
import sh.eraser.cri.api.RuntimeServiceGrpc;
import sh.eraser.cri.api.RuntimeServiceGrpc.RuntimeServiceBlockingStub;
import sh.eraser.cri.api.StartContainerRequest;
import sh.eraser.cri.api.StatusRequest;
import sh.eraser.cri.api.StopContainerRequest;
import sh.eraser.cri.api.StopPodSandboxRequest;
import sh.eraser.cri.api.VersionRequest;

/**
 * A containerd with the CRI plugin, started for tests as a child process with its root, state,
 * sockets, logs and runc state in one private directory under /tmp, and removed with all its shims,
 * containers, mounts and cgroups on {@link #close()}.
 *
 * <p>It needs root, {@code containerd}, {@code ctr}, {@code containerd-shim-runc-v2} and {@code
 * runc} on the PATH, and a kernel with overlayfs. Pods run in the host network namespace, so no CNI
 * plugin is needed, and images come from archives built by {@link OciArchive}, so no registry is
 * needed.
 *
 * <p>Limitation: containerd 1.6 puts each shim's socket in /run/containerd/s/ whatever the
 * configuration says; a shim that exits normally removes its own.
 */
public final class LocalContainerd implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LocalContainerd.class);

  /** The sandbox (pause) image, imported by {@link #start()} and kept by {@link #reset()}. */
  public static final String SANDBOX_IMAGE = "registry.eraser.test/pause:3.9";

  /** The variant name of the sandbox image in {@link OciArchive}. */
  public static final String SANDBOX_VARIANT = "pause";

  /** The containerd namespace the CRI plugin works in. */
  public static final String NAMESPACE = "k8s.io";

  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path dir;
  private final Process daemon;
  private final EventLoopGroup eventLoops;
  private final ManagedChannel channel;
  private final HostLeftovers leftovers;
  private final Thread shutdownHook;
  private final Map<String, PodSandboxConfig> sandboxConfigs = new ConcurrentHashMap<>();
  private volatile boolean closed;

  private LocalContainerd(Path dir, Process daemon) {
    this.dir = dir;
    this.daemon = daemon;
    this.eventLoops = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    this.channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket().toString()))
            .eventLoopGroup(eventLoops)
            .channelType(EpollDomainSocketChannel.class)
            .directExecutor()
            .usePlaintext()
            .maxInboundMessageSize(64 * 1024 * 1024)
            .build();
    this.leftovers = new HostLeftovers(dir, dir.getFileName().toString());
    this.shutdownHook = new Thread(this::closeFromHook, "local-containerd-" + dir.getFileName());
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a containerd, waits until its CRI answers and imports the sandbox image.
   *
   * @throws IllegalStateException if the process is not root, or containerd does not come up; the
   *     message then holds the end of containerd's log
   */
  public static LocalContainerd start() {
    requireRoot();
    long started = System.nanoTime();
    Path dir = createDirectory();
    Process daemon;
    try {
      daemon = launch(dir);
    } catch (RuntimeException e) {
      new HostLeftovers(dir, dir.getFileName().toString()).removeAll();
      throw e;
    }
    LocalContainerd containerd = new LocalContainerd(dir, daemon);
    try {
      containerd.awaitReady();
      containerd.importArchive(sandboxArchive(dir));
    } catch (RuntimeException e) {
      containerd.close();
      throw e;
    }
    log.info("containerd in {} ready after {} ms", dir, (System.nanoTime() - started) / 1_000_000);
    return containerd;
  }

  /** The process ID of the containerd daemon. */
  public long pid() {
    return daemon.pid();
  }

  /** The private directory that holds everything of this containerd. */
  public Path directory() {
    return dir;
  }

  public Path socket() {
    return ContainerdConfig.socket(dir);
  }

  /** The CRI endpoint as kubelet and crictl spell it: {@code unix:///…/containerd.sock}. */
  public String endpoint() {
    return "unix://" + socket();
  }

  public String sandboxImage() {
    return SANDBOX_IMAGE;
  }

  /** containerd's own log (its standard output and error). */
  public Path logFile() {
    return dir.resolve("containerd.log");
  }

  /** A plaintext gRPC channel to the socket, closed by {@link #close()}. */
  public ManagedChannel channel() {
    return channel;
  }

  /** A CRI runtime client with a deadline for every call made through it. */
  public RuntimeServiceBlockingStub runtime() {
    return RuntimeServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A CRI image client with a deadline for every call made through it. */
  public ImageServiceBlockingStub images() {
    return ImageServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Runs {@code ctr} against this containerd, in the CRI namespace, and returns its output. For
   * example {@code ctr("images", "label", name, "key=value")}.
   */
  public String ctr(String... args) {
    List<String> command =
        new ArrayList<>(List.of("ctr", "--address", socket().toString(), "--namespace", NAMESPACE));
    command.addAll(List.of(args));
    return Command.run(command);
  }

  /**
   * Imports an OCI archive with {@code ctr images import}, unpacked for the overlayfs snapshotter
   * (which CRI needs to create containers), and waits until the CRI lists every name in it.
   *
   * <p>containerd's CRI plugin learns of images imported through ctr from containerd's events, a
   * moment after the import returns; it then also adds a reference named by the image ID.
   */
  public void importArchive(Path tar) {
    importArchive(tar, CALL_TIMEOUT);
  }

  /** {@link #importArchive(Path)} for large archives, with a longer wait. */
  public void importArchive(Path tar, Duration timeout) {
    Set<String> names = OciArchive.imageNames(tar);
    List<String> command =
        new ArrayList<>(List.of("ctr", "--address", socket().toString(), "--namespace", NAMESPACE));
    command.addAll(List.of("images", "import", "--snapshotter", "overlayfs", tar.toString()));
    Command.run(command, timeout);
    await("CRI to list " + names.size() + " names")
        .atMost(timeout)
        .pollInterval(POLL)
        .until(() -> imageNames().containsAll(names));
  }

  /**
   * Imports the image of {@code variant} so that the CRI lists it by ID only, with no tag and no
   * repository digest (crictl shows such an image as {@code <none>}).
   *
   * <p>ctr cannot import an image without a name (it skips index entries that have none), so the
   * image is imported under a temporary tag; once the CRI has added its ID reference, the tag is
   * removed with {@code ctr images rm}, which leaves the ID reference in place. If the variant is
   * already present under another name, that name stays.
   *
   * @return the image ID
   */
  public String importUntagged(String variant) {
    String temporary = "registry.eraser.test/untagged/" + variant + ":import";
    Path tar = dir.resolve("untagged-" + variant + ".tar");
    String id = OciArchive.builder().image(variant, temporary).write(tar).get(variant);
    importArchive(tar);
    await("CRI to reference " + id)
        .atMost(CALL_TIMEOUT)
        .pollInterval(POLL)
        .until(() -> imageIds().contains(id));
    ctr("images", "rm", "--sync", temporary);
    await("CRI to drop " + temporary)
        .atMost(CALL_TIMEOUT)
        .pollInterval(POLL)
        .until(() -> !imageNames().contains(temporary));
    return id;
  }

  /**
   * Runs a pod sandbox in the host network namespace (so CNI is not called), from the sandbox
   * image.
   *
   * @return the sandbox ID
   */
  public String runPod(String name) {
    String uid = UUID.randomUUID().toString();
    Path logs = dir.resolve("pods").resolve(uid);
    createDirectories(logs);
    PodSandboxConfig config =
        PodSandboxConfig.newBuilder()
            .setMetadata(
                PodSandboxMetadata.newBuilder().setName(name).setNamespace("default").setUid(uid))
            .setLogDirectory(logs.toString())
            .putLabels("test.eraser.sh/pod", name)
            .setLinux(
                LinuxPodSandboxConfig.newBuilder()
                    .setCgroupParent(cgroupParent())
                    .setSecurityContext(
                        LinuxSandboxSecurityContext.newBuilder()
                            .setNamespaceOptions(
                                NamespaceOption.newBuilder().setNetwork(NamespaceMode.NODE))))
            .build();
    String id =
        runtime()
            .runPodSandbox(RunPodSandboxRequest.newBuilder().setConfig(config).build())
            .getPodSandboxId();
    sandboxConfigs.put(id, config);
    return id;
  }

  /**
   * Creates a container that runs the image's entrypoint ({@code /pause} in {@link OciArchive}
   * images), and starts it if asked.
   *
   * @param imageRef what the container is created from: a tag, a digest reference or an image ID
   * @return the container ID
   */
  public String createContainer(String sandboxId, String name, String imageRef, boolean start) {
    String id = create(sandboxId, name, imageRef, List.of());
    if (start) {
      runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    }
    return id;
  }

  /**
   * Creates and starts a container that runs {@code /exit}, and waits until it has exited.
   *
   * @return the container ID
   */
  public String runAndExit(String sandboxId, String name, String imageRef) {
    String id = create(sandboxId, name, imageRef, List.of("/exit"));
    runtime().startContainer(StartContainerRequest.newBuilder().setContainerId(id).build());
    await("container " + name + " to exit")
        .atMost(CALL_TIMEOUT)
        .pollInterval(POLL)
        .until(() -> container(id).getState() == ContainerState.CONTAINER_EXITED);
    return id;
  }

  /** Every image the CRI lists. */
  public List<Image> listImages() {
    return images().listImages(ListImagesRequest.getDefaultInstance()).getImagesList();
  }

  /** Every tag of every image the CRI lists, such as {@code docker.io/team/app:1}. */
  public List<String> imageTags() {
    return listImages().stream().flatMap(i -> i.getRepoTagsList().stream()).sorted().toList();
  }

  /** Every container the CRI lists, in any state. */
  public List<Container> listContainers() {
    return runtime().listContainers(ListContainersRequest.getDefaultInstance()).getContainersList();
  }

  /** The container with this ID, as the CRI lists it. */
  public Container container(String id) {
    return listContainers().stream()
        .filter(c -> c.getId().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("no container " + id));
  }

  /** Every pod sandbox the CRI lists, ready or not. */
  public List<PodSandbox> listPods() {
    return runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList();
  }

  /**
   * Removes every container, every pod sandbox and every image but the sandbox image, so the next
   * test starts from a node that has only the pause image.
   */
  public void reset() {
    removeAllPods();
    for (Image image : listImages()) {
      if (!image.getRepoTagsList().contains(SANDBOX_IMAGE)) {
        images().removeImage(RemoveImageRequest.newBuilder().setImage(spec(image.getId())).build());
      }
    }
    await("only the sandbox image to be left")
        .atMost(CALL_TIMEOUT)
        .pollInterval(POLL)
        .until(() -> imageTags().equals(List.of(SANDBOX_IMAGE)) && listImages().size() == 1);
  }

  /**
   * Stops and removes all pods through the CRI, stops containerd (SIGTERM, then SIGKILL after ten
   * seconds), kills any shim or container process still alive, unmounts everything under the
   * directory, removes the pods' cgroups and deletes the directory.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    long started = System.nanoTime();
    try {
      removeAllPods();
    } catch (RuntimeException e) {
      log.warn(
          "could not remove the pods through the CRI ({}); killing what is left", e.toString());
    }
    closeChannel();
    stopDaemon();
    leftovers.removeAll();
    removeShutdownHook();
    log.info(
        "containerd in {} removed after {} ms", dir, (System.nanoTime() - started) / 1_000_000);
  }

  /** What {@link #close()} has not removed yet; empty after a clean close. */
  public List<String> leftovers() {
    List<String> left = new ArrayList<>();
    leftovers.processes().forEach(p -> left.add("process " + p.pid()));
    leftovers.mounts().forEach(m -> left.add("mount " + m));
    leftovers.cgroups().forEach(c -> left.add("cgroup " + c));
    if (Files.exists(dir)) {
      left.add("directory " + dir);
    }
    return left;
  }

  /** The CRI configuration containerd reports in a verbose Status call, as JSON. */
  public JsonNode criConfig() {
    String config =
        runtime()
            .status(StatusRequest.newBuilder().setVerbose(true).build())
            .getInfoOrThrow("config");
    try {
      return JSON.readTree(config);
    } catch (IOException e) {
      throw new UncheckedIOException("containerd reported a config that is not JSON", e);
    }
  }

  private String create(String sandboxId, String name, String imageRef, List<String> command) {
    PodSandboxConfig sandbox = sandboxConfigs.get(sandboxId);
    if (sandbox == null) {
      throw new IllegalArgumentException("not a pod started by runPod: " + sandboxId);
    }
    ContainerConfig config =
        ContainerConfig.newBuilder()
            .setMetadata(ContainerMetadata.newBuilder().setName(name))
            .setImage(spec(imageRef))
            .addAllCommand(command)
            .setLogPath(name + ".log")
            .build();
    return runtime()
        .createContainer(
            CreateContainerRequest.newBuilder()
                .setPodSandboxId(sandboxId)
                .setConfig(config)
                .setSandboxConfig(sandbox)
                .build())
        .getContainerId();
  }

  private void removeAllPods() {
    for (Container container : listContainers()) {
      String id = container.getId();
      if (container.getState() == ContainerState.CONTAINER_RUNNING) {
        // Timeout 0: SIGKILL at once; tests have no use for a grace period here.
        runtime()
            .stopContainer(
                StopContainerRequest.newBuilder().setContainerId(id).setTimeout(0).build());
      }
      runtime().removeContainer(RemoveContainerRequest.newBuilder().setContainerId(id).build());
    }
    for (PodSandbox pod : listPods()) {
      String id = pod.getId();
      runtime().stopPodSandbox(StopPodSandboxRequest.newBuilder().setPodSandboxId(id).build());
      runtime().removePodSandbox(RemovePodSandboxRequest.newBuilder().setPodSandboxId(id).build());
      sandboxConfigs.remove(id);
    }
  }

  private void awaitReady() {
    await("containerd CRI in " + dir + " to answer")
        .atMost(START_TIMEOUT)
        .pollInterval(POLL)
        .ignoreException(StatusRuntimeException.class)
        .until(this::criAnswers);
  }

  private boolean criAnswers() {
    if (!daemon.isAlive()) {
      throw new IllegalStateException(
          "containerd exited with " + daemon.exitValue() + "; its log ends:\n" + logTail());
    }
    runtime().version(VersionRequest.newBuilder().setVersion("v1").build());
    return true;
  }

  private void stopDaemon() {
    try {
      daemon.destroy();
      if (!daemon.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("containerd {} ignored SIGTERM for {}; killing it", daemon.pid(), STOP_TIMEOUT);
        daemon.destroyForcibly();
        daemon.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      daemon.destroyForcibly();
    }
  }

  private void closeChannel() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    eventLoops.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private void closeFromHook() {
    if (!closed) {
      log.warn("JVM exits with containerd in {} still open; closing it", dir);
      close();
    }
  }

  private void removeShutdownHook() {
    if (Thread.currentThread() == shutdownHook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is already shutting down; the hook will find this instance closed.
    }
  }

  /** A cgroup parent of our own, so that pods' cgroups can be found and removed afterwards. */
  private String cgroupParent() {
    return "/" + dir.getFileName();
  }

  private Set<String> imageNames() {
    Set<String> names = new LinkedHashSet<>();
    for (Image image : listImages()) {
      names.addAll(image.getRepoTagsList());
      names.addAll(image.getRepoDigestsList());
    }
    return names;
  }

  private List<String> imageIds() {
    return listImages().stream().map(Image::getId).toList();
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile());
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(cannot read " + logFile() + ": " + e + ")";
    }
  }

  private static ImageSpec spec(String image) {
    return ImageSpec.newBuilder().setImage(image).build();
  }

  private static Process launch(Path dir) {
    Path config = dir.resolve("config.toml");
    try {
      for (Path d :
          List.of(
              ContainerdConfig.cniBin(dir), ContainerdConfig.cniConf(dir), dir.resolve("pods"))) {
        Files.createDirectories(d);
      }
      Files.writeString(config, ContainerdConfig.toml(dir, SANDBOX_IMAGE));
      ProcessBuilder builder =
          new ProcessBuilder("containerd", "--config", config.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("containerd.log").toFile());
      // ctr and containerd read these; none of them may point elsewhere.
      builder.environment().keySet().removeIf(k -> k.startsWith("CONTAINERD_"));
      return builder.start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start containerd in " + dir, e);
    }
  }

  private static Path sandboxArchive(Path dir) {
    Path tar = dir.resolve("sandbox-image.tar");
    OciArchive.builder().image(SANDBOX_VARIANT, SANDBOX_IMAGE).write(tar);
    return tar;
  }

  private static Path createDirectory() {
    // A short path: a Unix socket path must fit in 108 bytes.
    try {
      return Files.createTempDirectory(Path.of("/tmp"), "ctd-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory for containerd under /tmp", e);
    }
  }

  private static void createDirectories(Path path) {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path, e);
    }
  }

  private static void requireRoot() {
    try {
      Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
      if (!Integer.valueOf(0).equals(uid)) {
        throw new IllegalStateException("LocalContainerd needs root (uid 0), this is uid " + uid);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot tell which user this is", e);
    }
  }
}
