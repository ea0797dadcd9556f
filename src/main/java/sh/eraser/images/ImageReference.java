package sh.eraser.images;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference in the normalised form that containerd and Docker store: registry
 * domain, repository path, and a tag, a digest or both.
 *
 * @param domain the registry, such as {@code docker.io} or {@code reg.example:5000}
 * @param path the repository path below the registry, such as {@code library/alpine}
 * @param tag the tag, or {@code null} when the reference names only a digest
 * @param digest the manifest digest ({@code sha256:...}), or {@code null}
 */
public record ImageReference(String domain, String path, String tag, String digest) {

  private static final String DEFAULT_TAG = "latest";
  private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");

  public ImageReference {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(path, "path");
  }

  /**
   * Parses and normalises {@code text}: {@code alpine} becomes {@code
   * docker.io/library/alpine:latest}, {@code team/app} becomes {@code docker.io/team/app:latest}; a
   * reference with a digest gets no default tag.
   *
   * @throws InvalidImageReferenceException if {@code text} is not a valid reference
   */
  public static ImageReference parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidImageReferenceException(String.valueOf(text), "it must not be empty");
    }
    int at = text.indexOf('@');
    String name = at < 0 ? text : text.substring(0, at);
    String digest = at < 0 ? null : checkDigest(text, text.substring(at + 1));
    int colon = tagSeparator(name);
    String tag = colon < 0 ? null : checkTag(text, name.substring(colon + 1));
    RepositoryName repository =
        RepositoryName.parse(text, colon < 0 ? name : name.substring(0, colon));
    if (tag == null && digest == null) {
      tag = DEFAULT_TAG;
    }
    return new ImageReference(repository.domain(), repository.path(), tag, digest);
  }

  /** Like {@link #parse} but empty instead of throwing, for names reported by a runtime. */
  static Optional<ImageReference> tryParse(String text) {
    try {
      return Optional.of(parse(text));
    } catch (InvalidImageReferenceException e) {
      return Optional.empty();
    }
  }

  /** The registry domain and path, such as {@code docker.io/library/alpine}. */
  public String repository() {
    return domain + "/" + path;
  }

  /** The canonical form {@code repository[:tag][@digest]}. */
  @Override
  public String toString() {
    StringBuilder text = new StringBuilder(repository());
    if (tag != null) {
      text.append(':').append(tag);
    }
    if (digest != null) {
      text.append('@').append(digest);
    }
    return text.toString();
  }

  /** The colon before the tag: the last one after the last slash (earlier ones are a port). */
  static int tagSeparator(String name) {
    int colon = name.lastIndexOf(':');
    return colon > name.lastIndexOf('/') ? colon : -1;
  }

  private static String checkTag(String input, String tag) {
    if (!TAG.matcher(tag).matches()) {
      throw new InvalidImageReferenceException(
          input,
          "tag \""
              + tag
              + "\" must be 1 to 128 letters, digits, '_', '.' or '-', not starting with '.' or"
              + " '-'");
    }
    return tag;
  }

  private static String checkDigest(String input, String digest) {
    if (!Digests.isDigest(digest)) {
      throw new InvalidImageReferenceException(
          input,
          "digest \"" + digest + "\" must be sha256: followed by 64 lowercase hexadecimal digits");
    }
    return digest;
  }
}
