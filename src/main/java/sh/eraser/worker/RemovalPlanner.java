package sh.eraser.worker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import sh.eraser.images.ExclusionList;
import sh.eraser.images.ImageMatcher;
import sh.eraser.images.NodeImage;

/**
 * Decides, without touching the runtime, what happens to each image a request names: removed, kept
 * because it is in use, kept because an exclusion list names it, or not on this node.
 */
public final class RemovalPlanner {

  /** The request that means every image no container uses. */
  public static final String EVERY_UNUSED_IMAGE = "*";

  private final ExclusionList exclusions;

  public RemovalPlanner(ExclusionList exclusions) {
    this.exclusions = exclusions;
  }

  /**
   * Plans a request.
   *
   * @param requests references, IDs, digests, patterns or {@code "*"}; each was validated by the
   *     caller with {@link ImageMatcher#parse}
   * @return one decision per image concerned, and one per request that matched nothing
   */
  public List<ImageDecision> plan(NodeInventory inventory, List<ImageMatcher> requests) {
    Map<String, ImageDecision> byImage = new LinkedHashMap<>();
    List<ImageDecision> notOnNode = new ArrayList<>();
    Candidates candidates = new Candidates(inventory.images());
    for (ImageMatcher request : requests) {
      boolean matched = false;
      for (NodeImage image : candidates.of(request)) {
        if (request.matches(image)) {
          matched = true;
          byImage.computeIfAbsent(image.id(), id -> decide(inventory, image, request.text()));
        }
      }
      if (!matched && !request.isWildcard()) {
        notOnNode.add(
            new ImageDecision(null, request.text(), Verdict.NOT_ON_NODE, "no such image here"));
      }
    }
    List<ImageDecision> decisions = new ArrayList<>(byImage.values());
    decisions.addAll(notOnNode);
    return decisions;
  }

  /**
   * Narrows a request to the images it may name, so that a list of thousands of image IDs costs
   * linear time: wildcards consider every image, other requests only what the index resolves.
   */
  private static final class Candidates {
    private final List<NodeImage> all;
    private final Map<String, NodeImage> byId = new HashMap<>();
    private final ImageIndex index;

    Candidates(List<NodeImage> images) {
      this.all = images;
      images.forEach(i -> byId.put(i.id(), i));
      this.index = new ImageIndex(images);
    }

    List<NodeImage> of(ImageMatcher request) {
      if (request.isWildcard()) {
        return all;
      }
      return index.resolve(request.text()).stream().map(byId::get).toList();
    }
  }

  private ImageDecision decide(NodeInventory inventory, NodeImage image, String requested) {
    String inUse = inventory.inUse().get(image.id());
    if (inUse != null) {
      return new ImageDecision(image, requested, Verdict.IN_USE, inUse);
    }
    Optional<String> excluded = exclusions.excludedBy(image);
    if (excluded.isPresent()) {
      return new ImageDecision(image, requested, Verdict.EXCLUDED, excluded.get());
    }
    String why =
        EVERY_UNUSED_IMAGE.equals(requested)
            ? "unused, and every unused image was requested"
            : "unused, and requested as " + requested;
    return new ImageDecision(image, requested, Verdict.REMOVED, why);
  }
}
