package sh.eraser.scanner;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.MultiThreadIoEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollIoHandler;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import sh.eraser.config.ScannerConfig;

/**
 * When containerd's API cannot be used at all, the run fails as a whole: judging every image
 * "failed" would remove them all under the default deleteFailedImages.
 */
class ScannerFailsClosedTest {

  @TempDir Path dir;

  private void scanOne(Path socket) {
    ScannerConfig config = ScannerConfig.parse("dbRepo: " + dir.toUri()).config();
    try (Scanner scanner =
        new Scanner(
            new Scanner.Settings(
                config,
                socket,
                "k8s.io",
                new Platform("linux", "amd64", ""),
                Clock.systemUTC(),
                null,
                Duration.ofSeconds(5)))) {
      scanner.scan(List.of(new ScanTarget("sha256:0123", List.of("docker.io/team/app:1"))));
    }
  }

  @Test
  void aMissingSocketFailsTheRun() {
    Path socket = dir.resolve("missing.sock");

    assertThatThrownBy(() -> scanOne(socket))
        .isInstanceOf(ContainerdUnavailableException.class)
        .hasMessageContaining(socket.toString());
  }

  @Test
  void aRuntimeWithoutContainerdsApiFailsTheRun() throws Exception {
    // A FAKE runtime on a temporary socket that serves none of containerd's services, as
    // CRI-O does not.
    Path socket = dir.resolve("crio.sock");
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    Server server =
        NettyServerBuilder.forAddress(new DomainSocketAddress(socket.toString()))
            .channelType(EpollServerDomainSocketChannel.class)
            .bossEventLoopGroup(loop)
            .workerEventLoopGroup(loop)
            .build()
            .start();
    try {
      assertThatThrownBy(() -> scanOne(socket))
          .isInstanceOf(ContainerdUnavailableException.class)
          .hasMessageContaining("is the node's runtime containerd?")
          .hasMessageContaining("UNIMPLEMENTED");
    } finally {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      loop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
