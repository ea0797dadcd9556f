package sh.eraser.scanner;

import java.util.ArrayList;
import java.util.List;

/** An image handed to the scanner: its runtime ID and its names. */
public record ScanTarget(String imageId, List<String> names) {

  public ScanTarget {
    names = List.copyOf(names);
  }

  /**
   * The names to look the image up under in containerd, ID first: the CRI plugin keeps a record
   * under every image's ID, so that one works even for an image without a tag.
   */
  List<String> references() {
    List<String> references = new ArrayList<>();
    if (imageId != null && !imageId.isEmpty()) {
      references.add(imageId);
    }
    references.addAll(names);
    return references;
  }

  /** A name for people: the first tag, else the ID. */
  public String displayName() {
    return names.isEmpty() ? imageId : names.get(0);
  }
}
