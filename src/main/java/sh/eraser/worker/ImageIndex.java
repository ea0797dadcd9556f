package sh.eraser.worker;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import sh.eraser.images.Digests;
import sh.eraser.images.ImageReference;
import sh.eraser.images.NodeImage;

/**
 * Finds the images a container or a runtime setting refers to, by ID, tag or digest, in any of the
 * spellings runtimes accept. Built once per inventory so that thousands of containers resolve in
 * linear time.
 */
final class ImageIndex {

  private final Set<String> ids = new LinkedHashSet<>();
  private final Map<String, Set<String>> byName = new HashMap<>();
  private final Map<String, Set<String>> byDigest = new HashMap<>();

  ImageIndex(Collection<NodeImage> images) {
    for (NodeImage image : images) {
      ids.add(image.id());
      for (String tag : image.tags()) {
        byName.computeIfAbsent(tag, k -> new LinkedHashSet<>()).add(image.id());
        normalised(tag)
            .ifPresent(n -> byName.computeIfAbsent(n, k -> new LinkedHashSet<>()).add(image.id()));
      }
      for (String repoDigest : image.digests()) {
        byName.computeIfAbsent(repoDigest, k -> new LinkedHashSet<>()).add(image.id());
        Digests.digestOf(repoDigest)
            .ifPresent(
                d -> byDigest.computeIfAbsent(d, k -> new LinkedHashSet<>()).add(image.id()));
      }
    }
  }

  /**
   * The IDs of every image the reference may mean. Resolution leans towards more images, never
   * fewer: the caller uses it to decide what must stay.
   */
  Set<String> resolve(String reference) {
    if (reference == null || reference.isBlank()) {
      return Set.of();
    }
    Set<String> found = new LinkedHashSet<>(byName.getOrDefault(reference, Set.of()));
    Optional<String> id = Digests.normaliseId(reference);
    if (id.isPresent()) {
      if (ids.contains(id.get())) {
        found.add(id.get());
      }
      found.addAll(byDigest.getOrDefault(id.get(), Set.of()));
      return found;
    }
    Digests.digestOf(reference).ifPresent(d -> found.addAll(byDigest.getOrDefault(d, Set.of())));
    normalised(reference).ifPresent(n -> found.addAll(byName.getOrDefault(n, Set.of())));
    return found;
  }

  private static Optional<String> normalised(String reference) {
    try {
      return Optional.of(ImageReference.parse(reference).toString());
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
