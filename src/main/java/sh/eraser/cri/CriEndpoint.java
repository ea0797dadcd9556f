package sh.eraser.cri;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;

/** Where the container runtime's CRI socket lives: a {@code unix://} URL or a bare path. */
public record CriEndpoint(Path socket) {

  public static final String DEFAULT = "unix:///run/cri/cri.sock";

  /**
   * Parses {@code unix:///path} or {@code /path}. Other schemes are rejected: the workers reach the
   * runtime through a hostPath-mounted socket, so a TCP address could never work.
   */
  public static CriEndpoint parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("--runtime-endpoint: empty; expected unix:///path");
    }
    if (text.startsWith("/")) {
      return new CriEndpoint(Path.of(text));
    }
    if (!text.contains("://")) {
      throw new IllegalArgumentException(
          "--runtime-endpoint: \"" + text + "\" is neither an absolute path nor a unix:// URL");
    }
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--runtime-endpoint: \"" + text + "\" is not a URL: " + e.getMessage(), e);
    }
    if (!"unix".equals(uri.getScheme())) {
      throw new IllegalArgumentException(
          "--runtime-endpoint: \""
              + text
              + "\" uses scheme \""
              + uri.getScheme()
              + "\"; only unix:// sockets are supported");
    }
    String path = uri.getPath();
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "--runtime-endpoint: \"" + text + "\" has no absolute socket path");
    }
    return new CriEndpoint(Path.of(path));
  }

  @Override
  public String toString() {
    return "unix://" + socket;
  }
}
