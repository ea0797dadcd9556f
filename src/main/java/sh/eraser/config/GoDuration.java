package sh.eraser.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go duration strings ({@code 24h}, {@code 1m30s}, {@code 500ms}, {@code 0}) to and from Java. */
public final class GoDuration {

  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS_PER_UNIT =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "μs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDuration() {}

  /**
   * Parses a Go duration.
   *
   * @throws IllegalArgumentException naming the text when it is not one
   */
  public static Duration parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("\"\" is not a duration (expected e.g. 30s, 5m, 24h)");
    }
    String body = text.strip();
    boolean negative = body.startsWith("-");
    if (negative || body.startsWith("+")) {
      body = body.substring(1);
    }
    if (body.equals("0")) {
      return Duration.ZERO;
    }
    Matcher m = PART.matcher(body);
    BigDecimal nanos = BigDecimal.ZERO;
    int end = 0;
    while (m.find() && m.start() == end) {
      nanos =
          nanos.add(
              new BigDecimal(m.group(1))
                  .multiply(BigDecimal.valueOf(NANOS_PER_UNIT.get(m.group(2)))));
      end = m.end();
    }
    if (end == 0 || end != body.length()) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not a duration (expected e.g. 30s, 5m, 1h30m, 24h)");
    }
    Duration result;
    try {
      result = Duration.ofNanos(nanos.setScale(0, RoundingMode.DOWN).longValueExact());
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("\"" + text + "\" is too long a duration", e);
    }
    return negative ? result.negated() : result;
  }

  /**
   * Writes a duration the way Go prints one: {@code 24h0m0s}, {@code 1m30s}, {@code 1.5s}, {@code
   * 500ms}, {@code 0s}.
   */
  public static String format(Duration duration) {
    if (duration.isZero()) {
      return "0s";
    }
    if (duration.isNegative()) {
      return "-" + format(duration.negated());
    }
    long seconds = duration.getSeconds();
    int nanos = duration.getNano();
    if (seconds == 0) {
      return belowOneSecond(nanos);
    }
    StringBuilder text = new StringBuilder();
    long hours = seconds / 3600;
    long minutes = seconds % 3600 / 60;
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      text.append(minutes).append('m');
    }
    return text.append(decimal(seconds % 60, nanos, 9)).append('s').toString();
  }

  private static String belowOneSecond(int nanos) {
    if (nanos < 1_000) {
      return nanos + "ns";
    }
    if (nanos < 1_000_000) {
      return decimal(nanos / 1_000, nanos % 1_000, 3) + "µs";
    }
    return decimal(nanos / 1_000_000, nanos % 1_000_000, 6) + "ms";
  }

  /** {@code whole.fraction} with the fraction's {@code digits} digits, trailing zeros dropped. */
  private static String decimal(long whole, long fraction, int digits) {
    if (fraction == 0) {
      return Long.toString(whole);
    }
    String padded = String.format("%0" + digits + "d", fraction);
    return whole + "." + padded.replaceAll("0+$", "");
  }
}
