package sh.eraser.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves {@code /metrics} in the Prometheus text format for a Prometheus server to scrape. */
final class MetricsServer implements AutoCloseable {

  static final String PATH = "/metrics";

  /** The Prometheus text exposition format, version 0.0.4. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

  private final HttpServer server;

  private MetricsServer(HttpServer server) {
    this.server = server;
  }

  /**
   * Binds {@code address} and answers on a thread of its own.
   *
   * @param scrape the page, built anew for every request
   * @throws UncheckedIOException when the address cannot be bound
   */
  // Limitation: plain HTTP without authentication, as the original's metrics port; a
  // NetworkPolicy, not the manager, decides who may scrape it.
  static MetricsServer start(InetSocketAddress address, Supplier<String> scrape) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 0);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot serve metrics on " + address + ": " + e.getMessage(), e);
    }
    server.createContext(PATH, exchange -> answer(exchange, scrape));
    server.start();
    MetricsServer metrics = new MetricsServer(server);
    InetSocketAddress bound = metrics.address();
    log.info("Prometheus metrics on {}:{}{}", bound.getHostString(), bound.getPort(), PATH);
    return metrics;
  }

  InetSocketAddress address() {
    return server.getAddress();
  }

  @Override
  public void close() {
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, Supplier<String> scrape) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      // A context matches every path that starts with its own, so check the whole path.
      if (!exchange.getRequestURI().getPath().equals(PATH)) {
        send(exchange, 404, "text/plain; charset=utf-8", "not found\n");
      } else if (!method.equals("GET") && !method.equals("HEAD")) {
        exchange.getResponseHeaders().set("Allow", "GET, HEAD");
        send(exchange, 405, "text/plain; charset=utf-8", "method not allowed\n");
      } else {
        send(exchange, 200, CONTENT_TYPE, scrape.get());
      }
    }
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
