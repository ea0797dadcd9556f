package sh.eraser.scanner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Which entries of an image index run on a node. */
class PlatformTest {

  @Test
  void anEntryMatchesOnOsAndArchitectureAndOnTheVariantWhenBothSayOne() {
    Platform arm64 = Platform.parse("linux/arm64");
    Platform armV7 = Platform.parse("linux/arm/v7");

    assertThat(arm64.accepts("linux", "arm64", "v8")).isTrue();
    assertThat(arm64.accepts("linux", "amd64", "")).isFalse();
    assertThat(arm64.accepts("unknown", "unknown", "")).isFalse();
    assertThat(armV7.accepts("linux", "arm", "v6")).isFalse();
    assertThat(armV7.accepts("linux", "arm", "v7")).isTrue();
    assertThat(armV7).hasToString("linux/arm/v7");
  }

  @Test
  void aMalformedPlatformIsRejected() {
    assertThatThrownBy(() -> Platform.parse("amd64")).hasMessageContaining("os/arch");
  }
}
