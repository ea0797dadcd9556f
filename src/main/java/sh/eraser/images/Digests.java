package sh.eraser.images;

import java.util.Optional;
import java.util.regex.Pattern;

/** Recognises and normalises content digests and image IDs. */
public final class Digests {

  static final String SHA256_PREFIX = "sha256:";

  private static final Pattern HEX64 = Pattern.compile("[a-f0-9]{64}");

  private Digests() {}

  /** Whether {@code text} is a {@code sha256:} digest followed by 64 lowercase hex digits. */
  public static boolean isDigest(String text) {
    return text != null
        && text.startsWith(SHA256_PREFIX)
        && HEX64.matcher(text.substring(SHA256_PREFIX.length())).matches();
  }

  /** The digest part of {@code repository@digest}; empty when there is no {@code @}. */
  public static Optional<String> digestOf(String repoDigest) {
    if (repoDigest == null) {
      return Optional.empty();
    }
    int at = repoDigest.lastIndexOf('@');
    return at < 0 ? Optional.empty() : Optional.of(repoDigest.substring(at + 1));
  }

  /**
   * An image ID in the form {@code sha256:<hex>}, from either that form or 64 bare hex digits;
   * empty for anything else.
   */
  public static Optional<String> normaliseId(String text) {
    if (isDigest(text)) {
      return Optional.of(text);
    }
    if (text != null && HEX64.matcher(text).matches()) {
      return Optional.of(SHA256_PREFIX + text);
    }
    return Optional.empty();
  }
}
