package sh.eraser.cri;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class CriEndpointTest {

  @Test
  void acceptsUnixUrlsAndBarePaths() {
    assertThat(CriEndpoint.parse("unix:///run/cri/cri.sock").socket())
        .isEqualTo(Path.of("/run/cri/cri.sock"));
    assertThat(CriEndpoint.parse("/run/containerd/containerd.sock").socket())
        .isEqualTo(Path.of("/run/containerd/containerd.sock"));
  }

  @Test
  void rejectsOtherSchemesNamingTheFlagAndValue() {
    assertThatThrownBy(() -> CriEndpoint.parse("tcp://10.0.0.1:1234"))
        .hasMessageContaining("--runtime-endpoint")
        .hasMessageContaining("tcp://10.0.0.1:1234")
        .hasMessageContaining("only unix://");
    assertThatThrownBy(() -> CriEndpoint.parse("")).hasMessageContaining("--runtime-endpoint");
    assertThatThrownBy(() -> CriEndpoint.parse("unix://relative")).hasMessageContaining("absolute");
    assertThatThrownBy(() -> CriEndpoint.parse("cri.sock"))
        .hasMessageContaining("\"cri.sock\" is neither an absolute path nor a unix:// URL");
  }
}
