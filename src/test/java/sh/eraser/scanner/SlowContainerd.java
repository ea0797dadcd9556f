package sh.eraser.scanner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import sh.eraser.scanner.containerd.AddResourceRequest;
import sh.eraser.scanner.containerd.ContentGrpc;
import sh.eraser.scanner.containerd.CreateRequest;
import sh.eraser.scanner.containerd.CreateResponse;
import sh.eraser.scanner.containerd.DeleteRequest;
import sh.eraser.scanner.containerd.Descriptor;
import sh.eraser.scanner.containerd.GetImageRequest;
import sh.eraser.scanner.containerd.GetImageResponse;
import sh.eraser.scanner.containerd.Image;
import sh.eraser.scanner.containerd.ImagesGrpc;
import sh.eraser.scanner.containerd.Info;
import sh.eraser.scanner.containerd.InfoRequest;
import sh.eraser.scanner.containerd.InfoResponse;
import sh.eraser.scanner.containerd.Lease;
import sh.eraser.scanner.containerd.LeasesGrpc;
import sh.eraser.scanner.containerd.ReadContentRequest;
import sh.eraser.scanner.containerd.ReadContentResponse;

/**
 * A FAKE containerd (images, content and leases services) on a temporary Unix socket, serving the
 * images of an OCI archive, whose layer reads answer only after a delay: a real containerd cannot
 * be made slow on purpose, and the scanner's time budgets need slow images.
 */
final class SlowContainerd implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
  private final Map<String, Descriptor> images = new ConcurrentHashMap<>();
  private final Duration layerDelay;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final EventLoopGroup boss =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final EventLoopGroup workers =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final Server server;
  private final Path socket;

  SlowContainerd(Path socket, Path ociArchive, Duration layerDelay) throws IOException {
    this.socket = socket;
    this.layerDelay = layerDelay;
    load(ociArchive);
    this.server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .addService(new ImagesService())
            .addService(new ContentService())
            .addService(new LeasesService())
            .build()
            .start();
  }

  Path socket() {
    return socket;
  }

  private void load(Path archive) throws IOException {
    byte[] index = null;
    try (InputStream file = Files.newInputStream(archive);
        TarArchiveInputStream tar = new TarArchiveInputStream(file)) {
      for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
        if (e.getName().startsWith("blobs/sha256/")) {
          blobs.put("sha256:" + e.getName().substring(13), tar.readAllBytes());
        } else if (e.getName().equals("index.json")) {
          index = tar.readAllBytes();
        }
      }
    }
    for (JsonNode entry : JSON.readTree(index).path("manifests")) {
      String name = entry.path("annotations").path("io.containerd.image.name").asText();
      images.put(
          name,
          Descriptor.newBuilder()
              .setMediaType(entry.path("mediaType").asText())
              .setDigest(entry.path("digest").asText())
              .setSize(entry.path("size").asLong())
              .build());
    }
  }

  private boolean isLayer(String digest) {
    byte[] blob = blobs.get(digest);
    return blob != null && blob.length > 0 && blob[0] != '{';
  }

  private final class ImagesService extends ImagesGrpc.ImagesImplBase {
    @Override
    public void get(GetImageRequest request, StreamObserver<GetImageResponse> reply) {
      Descriptor target = images.get(request.getName());
      if (target == null) {
        reply.onError(Status.NOT_FOUND.withDescription("image not found").asRuntimeException());
        return;
      }
      reply.onNext(
          GetImageResponse.newBuilder()
              .setImage(Image.newBuilder().setName(request.getName()).setTarget(target))
              .build());
      reply.onCompleted();
    }
  }

  private final class ContentService extends ContentGrpc.ContentImplBase {
    @Override
    public void info(InfoRequest request, StreamObserver<InfoResponse> reply) {
      byte[] blob = blobs.get(request.getDigest());
      if (blob == null) {
        reply.onError(Status.NOT_FOUND.asRuntimeException());
        return;
      }
      reply.onNext(
          InfoResponse.newBuilder()
              .setInfo(Info.newBuilder().setDigest(request.getDigest()).setSize(blob.length))
              .build());
      reply.onCompleted();
    }

    @Override
    public void read(ReadContentRequest request, StreamObserver<ReadContentResponse> reply) {
      byte[] blob = blobs.get(request.getDigest());
      if (blob == null) {
        reply.onError(Status.NOT_FOUND.asRuntimeException());
        return;
      }
      Runnable answer =
          () -> {
            if (((ServerCallStreamObserver<ReadContentResponse>) reply).isCancelled()) {
              return;
            }
            reply.onNext(
                ReadContentResponse.newBuilder().setData(ByteString.copyFrom(blob)).build());
            reply.onCompleted();
          };
      if (isLayer(request.getDigest())) {
        timer.schedule(answer, layerDelay.toMillis(), TimeUnit.MILLISECONDS);
      } else {
        answer.run();
      }
    }
  }

  private static final class LeasesService extends LeasesGrpc.LeasesImplBase {
    @Override
    public void create(CreateRequest request, StreamObserver<CreateResponse> reply) {
      reply.onNext(CreateResponse.newBuilder().setLease(Lease.newBuilder().setId("fake")).build());
      reply.onCompleted();
    }

    @Override
    public void delete(DeleteRequest request, StreamObserver<Empty> reply) {
      reply.onNext(Empty.getDefaultInstance());
      reply.onCompleted();
    }

    @Override
    public void addResource(AddResourceRequest request, StreamObserver<Empty> reply) {
      reply.onNext(Empty.getDefaultInstance());
      reply.onCompleted();
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow();
    server.awaitTermination(5, TimeUnit.SECONDS);
    timer.shutdownNow();
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }
}
