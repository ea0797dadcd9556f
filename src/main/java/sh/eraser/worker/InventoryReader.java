package sh.eraser.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.cri.CriClient;
import sh.eraser.cri.api.Container;
import sh.eraser.cri.api.Image;
import sh.eraser.cri.api.PodSandbox;
import sh.eraser.images.NodeImage;

/**
 * Asks the runtime for its images, containers, pod sandboxes and sandbox image, and works out which
 * images are in use. Any failed call fails the whole read: nothing is decided on a partial picture.
 */
public final class InventoryReader {

  private static final Logger log = LoggerFactory.getLogger(InventoryReader.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private InventoryReader() {}

  public static NodeInventory read(CriClient cri) {
    List<NodeImage> images = cri.listImages().stream().map(InventoryReader::toNodeImage).toList();
    List<Container> containers = cri.listContainers();
    List<PodSandbox> sandboxes = cri.listPodSandboxes();
    Optional<String> sandboxImage = sandboxImage(cri.statusInfo());
    return inventory(images, containers, sandboxes, sandboxImage);
  }

  /** Decides what is in use from what the runtime reported; pure, so it can be tested alone. */
  static NodeInventory inventory(
      List<NodeImage> images,
      List<Container> containers,
      List<PodSandbox> sandboxes,
      Optional<String> sandboxImage) {
    ImageIndex index = new ImageIndex(images);
    Map<String, String> inUse = new LinkedHashMap<>();
    for (NodeImage image : images) {
      if (image.pinned()) {
        inUse.put(image.id(), "pinned by the runtime");
      }
    }
    sandboxImage.ifPresentOrElse(
        name -> markSandboxImage(index, name, inUse), () -> markLikelyPauseImages(images, inUse));
    for (Container container : containers) {
      String reason = "used by container " + describe(container);
      for (String reference : references(container)) {
        index.resolve(reference).forEach(id -> inUse.putIfAbsent(id, reason));
      }
    }
    log.debug(
        "{} images, {} containers, {} sandboxes, {} in use",
        images.size(),
        containers.size(),
        sandboxes.size(),
        inUse.size());
    return new NodeInventory(images, inUse);
  }

  private static void markSandboxImage(ImageIndex index, String name, Map<String, String> inUse) {
    index.resolve(name).forEach(id -> inUse.putIfAbsent(id, "the runtime's sandbox image " + name));
  }

  // Limitation: when the runtime does not report its sandbox image (containerd does; other
  // runtimes may not), images whose repository ends in "/pause" are kept instead.
  private static void markLikelyPauseImages(List<NodeImage> images, Map<String, String> inUse) {
    log.warn("the runtime does not report its sandbox image; keeping every */pause image");
    for (NodeImage image : images) {
      boolean pause =
          image.tags().stream().anyMatch(t -> t.contains("/pause:") || t.startsWith("pause:"));
      if (pause) {
        inUse.putIfAbsent(image.id(), "looks like a sandbox (pause) image");
      }
    }
  }

  private static List<String> references(Container container) {
    List<String> references = new ArrayList<>(3);
    references.add(container.getImage().getImage());
    references.add(container.getImageRef());
    references.add(container.getImageId());
    return references;
  }

  private static String describe(Container container) {
    String state =
        switch (container.getState()) {
          case CONTAINER_CREATED -> "created";
          case CONTAINER_RUNNING -> "running";
          case CONTAINER_EXITED -> "exited";
          default -> "state unknown";
        };
    String name = container.getMetadata().getName();
    String id =
        container.getId().length() > 12 ? container.getId().substring(0, 12) : container.getId();
    return (name.isEmpty() ? id : name + " " + id) + " (" + state + ")";
  }

  static NodeImage toNodeImage(Image image) {
    return new NodeImage(
        image.getId(), image.getRepoTagsList(), image.getRepoDigestsList(), image.getPinned());
  }

  /**
   * containerd puts its CRI configuration, sandboxImage included, under "config" in verbose status.
   */
  static Optional<String> sandboxImage(Map<String, String> info) {
    String config = info.get("config");
    if (config == null) {
      return Optional.empty();
    }
    try {
      JsonNode node = JSON.readTree(config).path("sandboxImage");
      return node.isTextual() && !node.asText().isBlank()
          ? Optional.of(node.asText())
          : Optional.empty();
    } catch (JsonProcessingException e) {
      log.warn("cannot read the runtime's configuration from its status: {}", e.getMessage());
      return Optional.empty();
    }
  }
}
