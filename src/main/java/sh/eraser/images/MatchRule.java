package sh.eraser.images;

/**
 * One way a user-written image pattern can select images; the forms {@link ImageMatcher} parses.
 */
sealed interface MatchRule {

  boolean matches(ImageNames image);

  /** {@code *}: every image. */
  record Everything() implements MatchRule {
    @Override
    public boolean matches(ImageNames image) {
      return true;
    }
  }

  /** {@code registry/path/*}: every repository below {@code prefix}, which ends in {@code /}. */
  record Below(String prefix) implements MatchRule {
    @Override
    public boolean matches(ImageNames image) {
      return image.references().stream().anyMatch(r -> r.repository().startsWith(prefix));
    }
  }

  /** {@code repository:*}: every tag and digest of exactly one repository. */
  record AnyTagOf(String repository) implements MatchRule {
    @Override
    public boolean matches(ImageNames image) {
      return image.references().stream().anyMatch(r -> r.repository().equals(repository));
    }
  }

  /**
   * A full reference. With a digest it selects the image holding that digest in that repository
   * (any tag written with it is ignored, as runtimes do when pulling); without, the tag must match.
   */
  record Exact(ImageReference reference) implements MatchRule {
    @Override
    public boolean matches(ImageNames image) {
      if (reference.digest() == null) {
        return image.references().contains(reference);
      }
      return image.references().stream()
          .anyMatch(
              r ->
                  reference.digest().equals(r.digest())
                      && reference.repository().equals(r.repository()));
    }
  }

  /** A bare digest: the image ID, or the digest part of any repository digest. */
  record ByDigest(String digest) implements MatchRule {
    @Override
    public boolean matches(ImageNames image) {
      return image.id().filter(digest::equals).isPresent() || image.digests().contains(digest);
    }
  }
}
