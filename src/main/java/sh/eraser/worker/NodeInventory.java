package sh.eraser.worker;

import java.util.List;
import java.util.Map;
import sh.eraser.images.NodeImage;

/**
 * What the runtime reported at one moment: every image, and why each image that must stay is in use
 * (keyed by image ID).
 */
public record NodeInventory(List<NodeImage> images, Map<String, String> inUse) {

  public NodeInventory {
    images = List.copyOf(images);
    inUse = Map.copyOf(inUse);
  }

  public boolean isInUse(String imageId) {
    return inUse.containsKey(imageId);
  }
}
