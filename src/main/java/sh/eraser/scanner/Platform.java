package sh.eraser.scanner;

import java.util.Locale;

/**
 * The operating system and CPU of a node, as OCI image indexes name them ({@code linux/amd64},
 * {@code linux/arm64/v8}).
 */
public record Platform(String os, String architecture, String variant) {

  /** The platform this JVM runs on, which in a worker pod is the node's. */
  public static Platform current() {
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    return switch (arch) {
      case "amd64", "x86_64" -> new Platform("linux", "amd64", "");
      case "aarch64", "arm64" -> new Platform("linux", "arm64", "");
      case "arm" -> new Platform("linux", "arm", "v7");
      default -> new Platform("linux", arch, "");
    };
  }

  /** Parses {@code os/arch[/variant]}. */
  public static Platform parse(String text) {
    String[] parts = text.split("/", -1);
    if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
      throw new IllegalArgumentException("\"" + text + "\" is not os/arch[/variant]");
    }
    return new Platform(parts[0], parts[1], parts.length == 3 ? parts[2] : "");
  }

  /**
   * Whether an index entry for {@code os/arch/variant} runs here. An entry without a variant
   * matches any; arm64 entries that say {@code v8} match a node that does not say.
   */
  boolean accepts(String os, String arch, String entryVariant) {
    if (!this.os.equals(os) || !architecture.equals(arch)) {
      return false;
    }
    if (entryVariant == null || entryVariant.isEmpty() || variant.isEmpty()) {
      return true;
    }
    return variant.equals(entryVariant);
  }

  @Override
  public String toString() {
    return variant.isEmpty() ? os + "/" + architecture : os + "/" + architecture + "/" + variant;
  }
}
