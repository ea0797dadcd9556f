package sh.eraser.manager;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The kubelet's probe endpoints: {@code /healthz} answers 200 for as long as the process serves
 * HTTP at all, {@code /readyz} answers 200 once the manager reports itself ready and 503 before.
 */
public final class HealthServer implements AutoCloseable {

  /** The probe port the original uses and the chart expects. */
  public static final int DEFAULT_PORT = 8081;

  private static final Logger log = LoggerFactory.getLogger(HealthServer.class);

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Binds {@code address} and starts answering on a thread of its own.
   *
   * @param ready whether {@code /readyz} answers 200; asked on every request
   * @throws UncheckedIOException when the address cannot be bound
   */
  public static HealthServer start(InetSocketAddress address, BooleanSupplier ready) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve health probes on " + address + ": " + e.getMessage(), e);
    }
    server.createContext("/healthz", exchange -> answer(exchange, "/healthz", () -> true));
    server.createContext("/readyz", exchange -> answer(exchange, "/readyz", ready));
    server.start();
    HealthServer health = new HealthServer(server);
    InetSocketAddress bound = health.address();
    log.info("health probes on {}:{}", bound.getHostString(), bound.getPort());
    return health;
  }

  /** The address actually bound: the real port when 0 was asked for. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  /** Stops answering at once. */
  @Override
  public void close() {
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, String path, BooleanSupplier ok)
      throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      // A context matches every path that starts with its own, so check the whole path.
      if (!exchange.getRequestURI().getPath().equals(path)) {
        send(exchange, 404, "not found\n");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "method not allowed\n");
      } else if (ok.getAsBoolean()) {
        send(exchange, 200, "ok\n");
      } else {
        send(exchange, 503, "not ready\n");
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
