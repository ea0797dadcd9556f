package sh.eraser.images;

import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The names of one node image prepared for matching: every tag and digest as written by the
 * runtime, and those of them that parse as references.
 */
record ImageNames(
    NodeImage image, List<ImageReference> references, List<String> digests, Optional<String> id) {

  static ImageNames of(NodeImage image) {
    List<ImageReference> references =
        Stream.concat(image.tags().stream(), image.digests().stream())
            .map(ImageReference::tryParse)
            .flatMap(Optional::stream)
            .toList();
    List<String> digests =
        image.digests().stream().map(Digests::digestOf).flatMap(Optional::stream).toList();
    return new ImageNames(image, references, digests, Digests.normaliseId(image.id()));
  }

  /** Whether the runtime reports {@code text} verbatim as the ID, a tag or a digest. */
  boolean hasLiteral(String text) {
    return text.equals(image.id()) || image.tags().contains(text) || image.digests().contains(text);
  }
}
