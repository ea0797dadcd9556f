package sh.eraser.images;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The merged exclusion patterns that protect images from removal, each with where it came from. */
public final class ExclusionList {

  private static final ExclusionList EMPTY = new ExclusionList(List.of());

  private final List<Entry> entries;

  private ExclusionList(List<Entry> entries) {
    this.entries = entries;
  }

  /**
   * One exclusion pattern and its origin.
   *
   * @param matcher the parsed pattern
   * @param source where it was written, as {@code configmap/key}
   */
  public record Entry(ImageMatcher matcher, String source) {

    public Entry {
      Objects.requireNonNull(matcher, "matcher");
      Objects.requireNonNull(source, "source");
    }
  }

  /** A list that excludes nothing. */
  public static ExclusionList empty() {
    return EMPTY;
  }

  /** A list of the given entries, in order, with exact duplicates dropped. */
  public static ExclusionList of(List<Entry> entries) {
    return new ExclusionList(List.copyOf(new LinkedHashSet<>(entries)));
  }

  /**
   * Why {@code image} must be kept, naming the first pattern that covers any of its tags, digests
   * or its ID and where that pattern came from; empty when no pattern covers it.
   */
  public Optional<String> excludedBy(NodeImage image) {
    ImageNames names = ImageNames.of(image);
    return entries.stream()
        .filter(entry -> entry.matcher().matches(names))
        .findFirst()
        .map(entry -> "excluded by \"" + entry.matcher().text() + "\" in " + entry.source());
  }

  /** The entries, in the order they were given. */
  public List<Entry> entries() {
    return entries;
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }
}
