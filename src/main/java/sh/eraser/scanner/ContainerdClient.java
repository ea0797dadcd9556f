package sh.eraser.scanner;

import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import sh.eraser.scanner.containerd.AddResourceRequest;
import sh.eraser.scanner.containerd.ContentGrpc;
import sh.eraser.scanner.containerd.CreateRequest;
import sh.eraser.scanner.containerd.DeleteRequest;
import sh.eraser.scanner.containerd.Descriptor;
import sh.eraser.scanner.containerd.GetImageRequest;
import sh.eraser.scanner.containerd.ImagesGrpc;
import sh.eraser.scanner.containerd.InfoRequest;
import sh.eraser.scanner.containerd.LeasesGrpc;
import sh.eraser.scanner.containerd.ReadContentRequest;
import sh.eraser.scanner.containerd.ReadContentResponse;
import sh.eraser.scanner.containerd.Resource;

/**
 * containerd's own images, content and leases services, reached on the same socket as its CRI, in
 * one containerd namespace. Every call carries a deadline: the caller's, or the client's default.
 */
public final class ContainerdClient implements AutoCloseable {

  /** The namespace in which containerd's CRI plugin keeps Kubernetes' images. */
  public static final String CRI_NAMESPACE = "k8s.io";

  /** How long the scanner's first call may take before containerd counts as unreachable. */
  static final Duration CHECK_TIMEOUT = Duration.ofSeconds(10);

  /** Room for large manifests; content itself arrives in chunks of about 1 MiB. */
  private static final int MAX_INBOUND_BYTES = 64 * 1024 * 1024;

  private static final Metadata.Key<String> NAMESPACE_HEADER =
      Metadata.Key.of("containerd-namespace", Metadata.ASCII_STRING_MARSHALLER);

  /** containerd's garbage collector drops a lease carrying this label once the time passes. */
  static final String LEASE_EXPIRY_LABEL = "containerd.io/gc.expire";

  private final Path socket;
  private final Duration callTimeout;
  private final EventLoopGroup eventLoop;
  private final ManagedChannel channel;
  private final ImagesGrpc.ImagesBlockingStub images;
  private final ContentGrpc.ContentBlockingStub content;
  private final LeasesGrpc.LeasesBlockingStub leases;

  private ContainerdClient(Path socket, String namespace, Duration callTimeout) {
    this.socket = socket;
    this.callTimeout = callTimeout;
    this.eventLoop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    this.channel =
        NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .eventLoopGroup(eventLoop)
            .channelType(EpollDomainSocketChannel.class)
            .usePlaintext()
            .maxInboundMessageSize(MAX_INBOUND_BYTES)
            .build();
    Metadata headers = new Metadata();
    headers.put(NAMESPACE_HEADER, namespace);
    var withNamespace = MetadataUtils.newAttachHeadersInterceptor(headers);
    this.images = ImagesGrpc.newBlockingStub(channel).withInterceptors(withNamespace);
    this.content = ContentGrpc.newBlockingStub(channel).withInterceptors(withNamespace);
    this.leases = LeasesGrpc.newBlockingStub(channel).withInterceptors(withNamespace);
  }

  /** A client of the containerd listening on {@code socket}; nothing is called yet. */
  public static ContainerdClient open(Path socket, String namespace, Duration callTimeout) {
    return new ContainerdClient(socket, namespace, callTimeout);
  }

  /**
   * The descriptor an image name (a tag, a {@code repo@sha256:…} reference, or an image ID, under
   * which the CRI plugin also records every image) points at, or empty when there is no such name.
   */
  public Optional<Descriptor> imageTarget(String name, Deadline deadline) {
    try {
      var reply =
          images
              .withDeadline(earliest(deadline))
              .get(GetImageRequest.newBuilder().setName(name).build());
      return Optional.of(reply.getImage().getTarget());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return Optional.empty();
      }
      throw failed("get image " + name, e);
    }
  }

  /** Whether the content store holds this blob. */
  public boolean hasBlob(String digest, Deadline deadline) {
    try {
      content
          .withDeadline(earliest(deadline))
          .info(InfoRequest.newBuilder().setDigest(digest).build());
      return true;
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return false;
      }
      throw failed("look up blob " + digest, e);
    }
  }

  /** Reads a whole blob that must not be larger than {@code maxBytes}. */
  public byte[] readBlob(String digest, long maxBytes, Deadline deadline) throws IOException {
    try (InputStream in = openBlob(digest, deadline)) {
      byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (bytes.length > maxBytes) {
        throw new IOException("blob " + digest + " is larger than " + maxBytes + " bytes");
      }
      return bytes;
    }
  }

  /**
   * Streams a blob from the content store. Closing the stream early cancels the call.
   *
   * @throws BlobMissingException, on the first read, when the store does not hold the blob
   */
  public InputStream openBlob(String digest, Deadline deadline) {
    Context.CancellableContext call = Context.current().withCancellation();
    Context previous = call.attach();
    try {
      Iterator<ReadContentResponse> chunks =
          content
              .withDeadline(earliest(deadline))
              .read(ReadContentRequest.newBuilder().setDigest(digest).build());
      return new BlobStream(digest, chunks, call);
    } finally {
      call.detach(previous);
    }
  }

  /**
   * Creates a lease that containerd's garbage collector honours until it is deleted, or until
   * {@code expiry} has passed should the scanner die first.
   */
  public String createLease(Duration expiry, Clock clock) {
    String expires = Instant.now(clock).plus(expiry).toString();
    try {
      return leases
          .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .create(CreateRequest.newBuilder().putLabels(LEASE_EXPIRY_LABEL, expires).build())
          .getLease()
          .getId();
    } catch (StatusRuntimeException e) {
      throw failed("create a lease", e);
    }
  }

  /** Puts a blob under the lease, so that it stays while it is read. */
  public void leaseBlob(String lease, String digest, Deadline deadline) {
    try {
      leases
          .withDeadline(earliest(deadline))
          .addResource(
              AddResourceRequest.newBuilder()
                  .setId(lease)
                  .setResource(Resource.newBuilder().setId(digest).setType("content"))
                  .build());
    } catch (StatusRuntimeException e) {
      throw failed("add " + digest + " to lease " + lease, e);
    }
  }

  /** Deletes a lease; what it protected is left to containerd's garbage collector. */
  public void deleteLease(String lease) {
    try {
      leases
          .withDeadlineAfter(callTimeout.toMillis(), TimeUnit.MILLISECONDS)
          .delete(DeleteRequest.newBuilder().setId(lease).build());
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.NOT_FOUND) {
        throw failed("delete lease " + lease, e);
      }
    }
  }

  private Deadline earliest(Deadline deadline) {
    Deadline own = Deadline.after(callTimeout.toMillis(), TimeUnit.MILLISECONDS);
    return deadline == null ? own : deadline.minimum(own);
  }

  ContainerdException failed(String what, StatusRuntimeException e) {
    return new ContainerdException(
        "containerd at " + socket + " failed to " + what + ": " + describe(e.getStatus()), e);
  }

  static String describe(Status status) {
    return status.getDescription() == null
        ? status.getCode().name()
        : status.getCode() + ": " + status.getDescription();
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
