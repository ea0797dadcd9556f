package sh.eraser.cri;

import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import sh.eraser.cri.api.Container;
import sh.eraser.cri.api.Image;
import sh.eraser.cri.api.ImageServiceGrpc;
import sh.eraser.cri.api.ImageSpec;
import sh.eraser.cri.api.ImageStatusRequest;
import sh.eraser.cri.api.ListContainersRequest;
import sh.eraser.cri.api.ListImagesRequest;
import sh.eraser.cri.api.ListPodSandboxRequest;
import sh.eraser.cri.api.PodSandbox;
import sh.eraser.cri.api.RemoveImageRequest;
import sh.eraser.cri.api.RuntimeServiceGrpc;
import sh.eraser.cri.api.StatusRequest;
import sh.eraser.cri.api.VersionRequest;
import sh.eraser.cri.api.VersionResponse;

/**
 * A client of the Kubernetes CRI ({@code runtime.v1}) over a Unix socket, with a deadline on every
 * call and room for large image lists.
 */
public final class CriClient implements AutoCloseable {

  /** Upper bound on one reply; a node with tens of thousands of images stays well below it. */
  public static final int MAX_INBOUND_BYTES = 64 * 1024 * 1024;

  /**
   * How long the first call may take before the runtime counts as unreachable; with the JVM's
   * start, a worker facing a silent socket gives up well within ten seconds.
   */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final CriEndpoint endpoint;
  private final Duration callTimeout;
  private final EventLoopGroup eventLoop;
  private final ManagedChannel channel;
  private final RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime;
  private final ImageServiceGrpc.ImageServiceBlockingStub images;

  private CriClient(CriEndpoint endpoint, Duration callTimeout) {
    this.endpoint = endpoint;
    this.callTimeout = callTimeout;
    this.eventLoop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    this.channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(endpoint.socket().toString()))
            .eventLoopGroup(eventLoop)
            .channelType(EpollDomainSocketChannel.class)
            .directExecutor()
            .usePlaintext()
            .maxInboundMessageSize(MAX_INBOUND_BYTES)
            .build();
    this.runtime = RuntimeServiceGrpc.newBlockingStub(channel);
    this.images = ImageServiceGrpc.newBlockingStub(channel);
  }

  /**
   * Opens a client and checks that the runtime answers, failing within {@link #CONNECT_TIMEOUT}
   * with a message that names the socket when it does not.
   */
  public static CriClient connect(CriEndpoint endpoint, Duration callTimeout) {
    checkSocketFile(endpoint);
    CriClient client = new CriClient(endpoint, callTimeout);
    try {
      client.versionWithin(
          callTimeout.compareTo(CONNECT_TIMEOUT) < 0 ? callTimeout : CONNECT_TIMEOUT);
      return client;
    } catch (RuntimeException e) {
      client.close();
      throw e;
    }
  }

  private static void checkSocketFile(CriEndpoint endpoint) {
    BasicFileAttributes attributes;
    try {
      attributes =
          Files.readAttributes(
              endpoint.socket(), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attributes.isSymbolicLink()) {
        attributes = Files.readAttributes(endpoint.socket(), BasicFileAttributes.class);
      }
    } catch (IOException e) {
      throw new CriUnavailableException(
          "container runtime socket " + endpoint.socket() + " does not exist or cannot be read", e);
    }
    if (!attributes.isOther()) {
      throw new CriUnavailableException(
          "container runtime endpoint " + endpoint.socket() + " is not a Unix socket");
    }
  }

  public CriEndpoint endpoint() {
    return endpoint;
  }

  public VersionResponse version() {
    return versionWithin(callTimeout);
  }

  private VersionResponse versionWithin(Duration timeout) {
    try {
      return runtime
          .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .version(VersionRequest.newBuilder().setVersion("v1").build());
    } catch (StatusRuntimeException e) {
      throw unreachable(e, timeout);
    }
  }

  private CriUnavailableException unreachable(StatusRuntimeException e, Duration timeout) {
    String why =
        switch (e.getStatus().getCode()) {
          case DEADLINE_EXCEEDED -> "no answer within " + timeout.toMillis() + " ms";
          case UNIMPLEMENTED -> "it does not serve the CRI runtime.v1 API";
          default -> describe(e);
        };
    return new CriUnavailableException(
        "cannot reach the container runtime at " + endpoint + ": " + why, e);
  }

  /** The runtime's status; verbose adds runtime-specific details such as its configuration. */
  public Map<String, String> statusInfo() {
    return call(
        "Status",
        () -> runtime().status(StatusRequest.newBuilder().setVerbose(true).build()).getInfoMap());
  }

  public List<Image> listImages() {
    return call(
        "ListImages",
        () -> images().listImages(ListImagesRequest.getDefaultInstance()).getImagesList());
  }

  /** The image the runtime knows by this reference or ID, or null when there is none. */
  public Image imageStatus(String reference) {
    ImageStatusRequest request =
        ImageStatusRequest.newBuilder()
            .setImage(ImageSpec.newBuilder().setImage(reference))
            .build();
    return call(
        "ImageStatus",
        () -> {
          var reply = images().imageStatus(request);
          return reply.hasImage() ? reply.getImage() : null;
        });
  }

  /**
   * Removes an image by ID, with every tag it has.
   *
   * @return false when the runtime no longer had it, which counts as done
   */
  public boolean removeImage(String imageId) {
    RemoveImageRequest request =
        RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(imageId)).build();
    try {
      images().removeImage(request);
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw failed("RemoveImage " + imageId, e);
    }
  }

  /** Every container the runtime knows, in any state. */
  public List<Container> listContainers() {
    return call(
        "ListContainers",
        () ->
            runtime()
                .listContainers(ListContainersRequest.getDefaultInstance())
                .getContainersList());
  }

  /** Every pod sandbox the runtime knows, ready or not. */
  public List<PodSandbox> listPodSandboxes() {
    return call(
        "ListPodSandbox",
        () -> runtime().listPodSandbox(ListPodSandboxRequest.getDefaultInstance()).getItemsList());
  }

  private RuntimeServiceGrpc.RuntimeServiceBlockingStub runtime() {
    return runtime.withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private ImageServiceGrpc.ImageServiceBlockingStub images() {
    return images.withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private <T> T call(String what, Supplier<T> rpc) {
    try {
      return rpc.get();
    } catch (StatusRuntimeException e) {
      throw failed(what, e);
    }
  }

  private CriException failed(String what, StatusRuntimeException e) {
    return new CriException(what + " failed on " + endpoint + ": " + describe(e), e);
  }

  private static String describe(StatusRuntimeException e) {
    Status status = e.getStatus();
    StringBuilder text = new StringBuilder(status.getCode().name());
    if (status.getDescription() != null) {
      text.append(": ").append(status.getDescription());
    }
    Throwable cause = status.getCause();
    while (cause != null) {
      if (cause.getMessage() != null) {
        text.append(" (").append(cause.getMessage()).append(')');
        break;
      }
      cause = cause.getCause();
    }
    return text.toString();
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
