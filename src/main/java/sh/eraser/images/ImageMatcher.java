package sh.eraser.images;

import java.util.Optional;

/**
 * An image pattern as a user writes it in an ImageList or an exclusion list, and the test of
 * whether it selects a node image.
 *
 * <p>The forms are a reference ({@code alpine:3.19}, {@code team/app@sha256:...}), a bare digest or
 * image ID ({@code sha256:...}), everything below a path ({@code registry/path/*}), every tag of
 * one repository ({@code repository:*}) and every image ({@code *}). References are normalised
 * before comparing, so {@code alpine} selects {@code docker.io/library/alpine:latest}.
 */
public final class ImageMatcher {

  private static final String EVERYTHING = "*";
  private static final String BELOW_SUFFIX = "/*";
  private static final String ANY_TAG_SUFFIX = ":*";
  private static final String WILDCARD_FORMS =
      "a wildcard must be \"*\" alone, \"registry/path/*\" or \"repository:*\"";

  private final String text;
  private final MatchRule rule;

  private ImageMatcher(String text, MatchRule rule) {
    this.text = text;
    this.rule = rule;
  }

  /**
   * Parses a pattern.
   *
   * @throws InvalidImageReferenceException if {@code text} is none of the supported forms
   */
  public static ImageMatcher parse(String text) {
    return new ImageMatcher(text, ruleFor(text));
  }

  /** Whether the image's ID, any of its tags or any of its digests is selected. */
  public boolean matches(NodeImage image) {
    return matches(ImageNames.of(image));
  }

  boolean matches(ImageNames image) {
    // A name the runtime reports that we cannot parse still matches when written identically.
    return rule.matches(image) || image.hasLiteral(text);
  }

  /** The pattern exactly as the user wrote it. */
  public String text() {
    return text;
  }

  /** Whether the pattern can select more than one repository or tag. */
  public boolean isWildcard() {
    return rule instanceof MatchRule.Everything
        || rule instanceof MatchRule.Below
        || rule instanceof MatchRule.AnyTagOf;
  }

  private static MatchRule ruleFor(String text) {
    if (text == null || text.isEmpty()) {
      throw new InvalidImageReferenceException(String.valueOf(text), "it must not be empty");
    }
    if (text.equals(EVERYTHING)) {
      return new MatchRule.Everything();
    }
    Optional<String> id = Digests.normaliseId(text);
    if (id.isPresent()) {
      return new MatchRule.ByDigest(id.get());
    }
    if (text.startsWith(Digests.SHA256_PREFIX)) {
      throw new InvalidImageReferenceException(
          text, "a digest must be sha256: followed by 64 lowercase hexadecimal digits");
    }
    return text.contains(EVERYTHING)
        ? wildcardRule(text)
        : new MatchRule.Exact(ImageReference.parse(text));
  }

  private static MatchRule wildcardRule(String text) {
    boolean below = text.endsWith(BELOW_SUFFIX);
    if (!below && !text.endsWith(ANY_TAG_SUFFIX)) {
      throw new InvalidImageReferenceException(text, WILDCARD_FORMS);
    }
    String head = text.substring(0, text.length() - 2);
    if (head.contains(EVERYTHING)) {
      throw new InvalidImageReferenceException(text, WILDCARD_FORMS);
    }
    if (head.contains("@")) {
      throw new InvalidImageReferenceException(text, "a wildcard cannot follow a digest");
    }
    return below ? new MatchRule.Below(RepositoryName.prefix(text, head)) : anyTagRule(text, head);
  }

  private static MatchRule anyTagRule(String text, String repository) {
    if (ImageReference.tagSeparator(repository) >= 0) {
      throw new InvalidImageReferenceException(
          text, "\":*\" must follow a repository name without a tag");
    }
    return new MatchRule.AnyTagOf(RepositoryName.parse(text, repository).repository());
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ImageMatcher matcher && matcher.text.equals(text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return text;
  }
}
