package sh.eraser.images;

import java.util.List;

/**
 * One image as the container runtime lists it: its ID, its tags, its repository digests (as {@code
 * repository@sha256:…}) and whether the runtime pins it.
 */
public record NodeImage(String id, List<String> tags, List<String> digests, boolean pinned) {

  public NodeImage {
    tags = List.copyOf(tags);
    digests = List.copyOf(digests);
  }

  /** The name to show a person: the first tag, else the first digest, else the ID. */
  public String displayName() {
    if (!tags.isEmpty()) {
      return tags.get(0);
    }
    return digests.isEmpty() ? id : digests.get(0);
  }
}
