package sh.eraser.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OTLP/HTTP metrics receiver on 127.0.0.1 for tests: takes binary protobuf posts to {@code
 * /v1/metrics} and decodes them with the OpenTelemetry project's own generated classes, so a test
 * checks our encoding against theirs rather than against itself.
 */
public final class OtlpReceiver implements AutoCloseable {

  /** One metric as received, with the resource and scope it came under. */
  public record Received(String serviceName, String scope, Metric metric) {

    public String name() {
      return metric.getName();
    }

    /** The value of a counter's single data point. */
    public long counterValue() {
      return metric.getSum().getDataPoints(0).getAsInt();
    }

    /** The string attributes of the single data point, by key. */
    public Map<String, String> attributes() {
      Map<String, String> attributes = new TreeMap<>();
      List<KeyValue> list =
          metric.hasSum()
              ? metric.getSum().getDataPoints(0).getAttributesList()
              : metric.getHistogram().getDataPoints(0).getAttributesList();
      list.forEach(kv -> attributes.put(kv.getKey(), kv.getValue().getStringValue()));
      return attributes;
    }
  }

  private final HttpServer server;
  private final List<ExportMetricsServiceRequest> requests = new ArrayList<>();
  private final List<String> contentTypes = new ArrayList<>();
  private final AtomicInteger posts = new AtomicInteger();
  private volatile int status = 200;

  private OtlpReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts on a free port of 127.0.0.1. */
  public static OtlpReceiver start() {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      OtlpReceiver receiver = new OtlpReceiver(server);
      server.createContext("/v1/metrics", receiver::receive);
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code host:port}, as manager.otlpEndpoint and OTEL_EXPORTER_OTLP_ENDPOINT name it. */
  public String endpoint() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answers every later post with this HTTP status, as a failing receiver would. */
  public void answer(int status) {
    this.status = status;
  }

  /** Every post, taken or answered with an error. */
  public int posts() {
    return posts.get();
  }

  /** The posts taken, decoded. */
  public synchronized List<ExportMetricsServiceRequest> requests() {
    return List.copyOf(requests);
  }

  public synchronized List<String> contentTypes() {
    return List.copyOf(contentTypes);
  }

  /** Every metric received, in the order received. */
  public synchronized List<Received> metrics() {
    List<Received> metrics = new ArrayList<>();
    for (ExportMetricsServiceRequest request : requests) {
      for (ResourceMetrics resource : request.getResourceMetricsList()) {
        String service =
            resource.getResource().getAttributesList().stream()
                .filter(kv -> kv.getKey().equals("service.name"))
                .map(kv -> kv.getValue().getStringValue())
                .findFirst()
                .orElse("");
        for (ScopeMetrics scope : resource.getScopeMetricsList()) {
          for (Metric metric : scope.getMetricsList()) {
            metrics.add(new Received(service, scope.getScope().getName(), metric));
          }
        }
      }
    }
    return metrics;
  }

  /** The last received metric of that name. */
  public Optional<Received> latest(String name) {
    List<Received> named = metrics().stream().filter(m -> m.name().equals(name)).toList();
    return named.isEmpty() ? Optional.empty() : Optional.of(named.get(named.size() - 1));
  }

  private void receive(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      if (!exchange.getRequestMethod().equals("POST")) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      posts.incrementAndGet();
      if (status == 200) {
        synchronized (this) {
          requests.add(ExportMetricsServiceRequest.parseFrom(body));
          contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
        }
      }
      byte[] reply = ExportMetricsServiceResponse.getDefaultInstance().toByteArray();
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
      if (reply.length > 0) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(reply);
        }
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
