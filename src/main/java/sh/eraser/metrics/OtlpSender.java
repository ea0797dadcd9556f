package sh.eraser.metrics;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;
import sh.eraser.metrics.otlp.ExportMetricsPartialSuccess;
import sh.eraser.metrics.otlp.ExportMetricsServiceRequest;
import sh.eraser.metrics.otlp.ExportMetricsServiceResponse;

/**
 * Posts one OTLP/HTTP metrics request in binary protobuf and reads the reply. Plain {@link
 * HttpURLConnection}: one request per export needs no client with threads of its own, which matters
 * in the worker containers' small heap.
 */
final class OtlpSender {

  /** What became of one export. */
  record Outcome(boolean delivered, String problem) {
    static Outcome ok() {
      return new Outcome(true, null);
    }

    static Outcome failed(String problem) {
      return new Outcome(false, problem);
    }
  }

  static final String CONTENT_TYPE = "application/x-protobuf";

  /** The largest reply read; a receiver's reply is a few bytes. */
  private static final int MAX_REPLY_BYTES = 64 * 1024;

  private final Duration connectTimeout;
  private final Duration requestTimeout;

  OtlpSender(Duration connectTimeout, Duration requestTimeout) {
    this.connectTimeout = connectTimeout;
    this.requestTimeout = requestTimeout;
  }

  /** Sends {@code request}; never throws for a network or receiver problem, it reports it. */
  // Limitation: OTLP/HTTP with binary protobuf only: no gRPC, no gzip and no headers such as
  // OTEL_EXPORTER_OTLP_HEADERS; https trusts the JVM's default certificates only.
  Outcome send(URI uri, ExportMetricsServiceRequest request) {
    HttpURLConnection connection = null;
    try {
      connection = (HttpURLConnection) uri.toURL().openConnection();
      connection.setConnectTimeout((int) connectTimeout.toMillis());
      connection.setReadTimeout((int) requestTimeout.toMillis());
      connection.setRequestMethod("POST");
      connection.setDoOutput(true);
      connection.setRequestProperty("Content-Type", CONTENT_TYPE);
      byte[] body = request.toByteArray();
      connection.setFixedLengthStreamingMode(body.length);
      try (OutputStream out = connection.getOutputStream()) {
        out.write(body);
      }
      int status = connection.getResponseCode();
      if (status / 100 != 2) {
        return Outcome.failed(uri + " answered HTTP " + status);
      }
      return partialSuccess(uri, readAll(connection.getInputStream()));
    } catch (IOException | RuntimeException e) {
      return Outcome.failed("cannot post to " + uri + ": " + e);
    } finally {
      if (connection != null) {
        connection.disconnect();
      }
    }
  }

  /** A 2xx reply may still say that the receiver dropped points. */
  private static Outcome partialSuccess(URI uri, byte[] reply) {
    try {
      ExportMetricsPartialSuccess partial =
          ExportMetricsServiceResponse.parseFrom(reply).getPartialSuccess();
      if (partial.getRejectedDataPoints() > 0) {
        return Outcome.failed(
            uri
                + " rejected "
                + partial.getRejectedDataPoints()
                + " data points: "
                + partial.getErrorMessage());
      }
      return Outcome.ok();
    } catch (InvalidProtocolBufferException e) {
      // Delivered; only the reply is not what OTLP prescribes.
      return Outcome.ok();
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    try (in) {
      return in.readNBytes(MAX_REPLY_BYTES);
    }
  }
}
