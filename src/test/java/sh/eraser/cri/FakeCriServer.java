package sh.eraser.cri;

import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import sh.eraser.cri.api.Image;
import sh.eraser.cri.api.ImageServiceGrpc;
import sh.eraser.cri.api.ListContainersRequest;
import sh.eraser.cri.api.ListContainersResponse;
import sh.eraser.cri.api.ListImagesRequest;
import sh.eraser.cri.api.ListImagesResponse;
import sh.eraser.cri.api.ListPodSandboxRequest;
import sh.eraser.cri.api.ListPodSandboxResponse;
import sh.eraser.cri.api.RemoveImageRequest;
import sh.eraser.cri.api.RemoveImageResponse;
import sh.eraser.cri.api.RuntimeServiceGrpc;
import sh.eraser.cri.api.StatusRequest;
import sh.eraser.cri.api.StatusResponse;
import sh.eraser.cri.api.VersionRequest;
import sh.eraser.cri.api.VersionResponse;

/**
 * A FAKE CRI runtime on a temporary Unix socket, for faults and sizes a real containerd cannot
 * easily be made to produce: huge image lists, pinned images, removals that fail.
 */
final class FakeCriServer implements AutoCloseable {

  final List<Image> images = new ArrayList<>();
  final Map<String, Status> removeFailures = new ConcurrentHashMap<>();
  final List<String> removed = new ArrayList<>();
  private final EventLoopGroup boss =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final EventLoopGroup workers =
      new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
  private final Server server;
  private final Path socket;

  FakeCriServer(Path socket) throws IOException {
    this.socket = socket;
    this.server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(boss)
            .workerEventLoopGroup(workers)
            .addService(new Runtime())
            .addService(new Images())
            .build()
            .start();
  }

  CriEndpoint endpoint() {
    return new CriEndpoint(socket);
  }

  private final class Runtime extends RuntimeServiceGrpc.RuntimeServiceImplBase {
    @Override
    public void version(VersionRequest request, StreamObserver<VersionResponse> reply) {
      reply.onNext(
          VersionResponse.newBuilder().setRuntimeName("fake").setRuntimeApiVersion("v1").build());
      reply.onCompleted();
    }

    @Override
    public void status(StatusRequest request, StreamObserver<StatusResponse> reply) {
      reply.onNext(
          StatusResponse.newBuilder()
              .putInfo("config", "{\"sandboxImage\":\"registry.eraser.test/pause:3.9\"}")
              .build());
      reply.onCompleted();
    }

    @Override
    public void listContainers(
        ListContainersRequest request, StreamObserver<ListContainersResponse> reply) {
      reply.onNext(ListContainersResponse.getDefaultInstance());
      reply.onCompleted();
    }

    @Override
    public void listPodSandbox(
        ListPodSandboxRequest request, StreamObserver<ListPodSandboxResponse> reply) {
      reply.onNext(ListPodSandboxResponse.getDefaultInstance());
      reply.onCompleted();
    }
  }

  private final class Images extends ImageServiceGrpc.ImageServiceImplBase {
    @Override
    public void listImages(ListImagesRequest request, StreamObserver<ListImagesResponse> reply) {
      synchronized (FakeCriServer.this) {
        reply.onNext(ListImagesResponse.newBuilder().addAllImages(images).build());
      }
      reply.onCompleted();
    }

    @Override
    public void removeImage(RemoveImageRequest request, StreamObserver<RemoveImageResponse> reply) {
      String id = request.getImage().getImage();
      Status failure = removeFailures.get(id);
      if (failure != null) {
        reply.onError(failure.asRuntimeException());
        return;
      }
      synchronized (FakeCriServer.this) {
        boolean present = images.removeIf(i -> i.getId().equals(id));
        if (!present) {
          reply.onError(Status.NOT_FOUND.withDescription("no image " + id).asRuntimeException());
          return;
        }
        removed.add(id);
      }
      reply.onNext(RemoveImageResponse.getDefaultInstance());
      reply.onCompleted();
    }
  }

  @Override
  public void close() throws InterruptedException {
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    boss.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
