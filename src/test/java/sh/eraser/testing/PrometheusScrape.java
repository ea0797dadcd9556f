package sh.eraser.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of a Prometheus {@code /metrics} page, parsed from the text format: each sample by its
 * series, written {@code name{label="value",...}} with the labels sorted.
 */
public final class PrometheusScrape {

  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\d+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  private final Map<String, Double> samples;
  private final String contentType;
  private final String text;

  private PrometheusScrape(Map<String, Double> samples, String contentType, String text) {
    this.samples = samples;
    this.contentType = contentType;
    this.text = text;
  }

  /** Scrapes {@code http://address/metrics}; fails the test on any status but 200. */
  public static PrometheusScrape of(InetSocketAddress address) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + address.getPort() + "/metrics"))
            .build();
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new AssertionError("/metrics answered " + response.statusCode());
      }
      return parse(response.body(), response.headers().firstValue("Content-Type").orElse(""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static PrometheusScrape parse(String text, String contentType) {
    Map<String, Double> samples = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line.strip());
      if (!m.matches()) {
        throw new AssertionError("not a sample line: " + line);
      }
      samples.put(series(m.group(1), m.group(3)), value(m.group(4)));
    }
    return new PrometheusScrape(samples, contentType, text);
  }

  private static String series(String name, String labels) {
    if (labels == null || labels.isEmpty()) {
      return name;
    }
    Map<String, String> sorted = new TreeMap<>();
    Matcher m = LABEL.matcher(labels);
    while (m.find()) {
      sorted.put(m.group(1), m.group(2));
    }
    StringBuilder key = new StringBuilder(name).append('{');
    sorted.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
    key.setLength(key.length() - 1);
    return key.append('}').toString();
  }

  private static double value(String text) {
    return switch (text) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  /** The sample of a series, e.g. {@code value("runs_total", "mode", "manual")}. */
  public Optional<Double> value(String name, String... labels) {
    StringBuilder key = new StringBuilder(name);
    if (labels.length > 0) {
      Map<String, String> sorted = new TreeMap<>();
      for (int i = 0; i < labels.length; i += 2) {
        sorted.put(labels[i], labels[i + 1]);
      }
      key.append('{');
      sorted.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
      key.setLength(key.length() - 1);
      key.append('}');
    }
    return Optional.ofNullable(samples.get(key.toString()));
  }

  /** The sample of a series that must be there. */
  public double require(String name, String... labels) {
    return value(name, labels)
        .orElseThrow(
            () ->
                new AssertionError(
                    "no series " + name + " " + String.join(",", labels) + " in:\n" + text));
  }

  /** Every series name, labels included. */
  public Map<String, Double> samples() {
    return samples;
  }

  /** Whether any series of that metric name is there. */
  public boolean has(String name) {
    return samples.keySet().stream().anyMatch(s -> s.equals(name) || s.startsWith(name + "{"));
  }

  public String contentType() {
    return contentType;
  }
}
