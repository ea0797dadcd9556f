package sh.eraser.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {

  @Test
  void readsGoDurations() {
    assertThat(GoDuration.parse("24h")).isEqualTo(Duration.ofHours(24));
    assertThat(GoDuration.parse("1m30s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(GoDuration.parse("1.5h")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("0s")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("-2m")).isEqualTo(Duration.ofMinutes(-2));
  }

  @Test
  void writesDurationsAsGoDoes() {
    assertThat(GoDuration.format(Duration.ofHours(24))).isEqualTo("24h0m0s");
    assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GoDuration.format(Duration.ofMinutes(1))).isEqualTo("1m0s");
    assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDuration.format(Duration.ofMillis(500))).isEqualTo("500ms");
    assertThat(GoDuration.format(Duration.ofNanos(1_500_000))).isEqualTo("1.5ms");
    assertThat(GoDuration.format(Duration.ofNanos(2_500))).isEqualTo("2.5µs");
    assertThat(GoDuration.format(Duration.ofNanos(42))).isEqualTo("42ns");
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDuration.format(Duration.ofMinutes(-90))).isEqualTo("-1h30m0s");
    assertThat(GoDuration.format(Duration.ofHours(1).plusNanos(1))).isEqualTo("1h0m0.000000001s");
  }

  @Test
  void readsBackWhatItWrites() {
    for (String text : new String[] {"24h0m0s", "1m30s", "0s", "500ms", "1.5s", "2.5µs", "7ns"}) {
      assertThat(GoDuration.format(GoDuration.parse(text))).isEqualTo(text);
    }
    for (Duration duration :
        new Duration[] {
          Duration.ofDays(400), Duration.ofMillis(61_001), Duration.ofNanos(999_999_999)
        }) {
      assertThat(GoDuration.parse(GoDuration.format(duration))).isEqualTo(duration);
    }
  }

  @Test
  void rejectsWhatGoRejectsNamingTheValue() {
    for (String bad : new String[] {"", "5", "5 m", "1d", "m", "1h-5m", "abc"}) {
      assertThatThrownBy(() -> GoDuration.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + bad + "\"");
    }
  }
}
