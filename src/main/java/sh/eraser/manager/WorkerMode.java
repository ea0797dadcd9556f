package sh.eraser.manager;

import sh.eraser.api.Names;

/** Why a job runs, which decides the containers of its worker pods. */
public sealed interface WorkerMode {

  /** The {@link Names#TYPE_LABEL} value of pods in this mode. */
  String typeLabel();

  /**
   * Remove what the ImageList names: the remover alone, reading the list from a ConfigMap.
   *
   * @param imageListConfigMap the ConfigMap in the manager's namespace whose key {@code images}
   *     holds the ImageList's images as a JSON array
   */
  record Manual(String imageListConfigMap) implements WorkerMode {

    /** Requires the ConfigMap's name. */
    public Manual {
      if (imageListConfigMap == null || imageListConfigMap.isBlank()) {
        throw new IllegalArgumentException("a manual job needs the name of its image list");
      }
    }

    @Override
    public String typeLabel() {
      return Names.TYPE_MANUAL;
    }
  }

  /** Collect unused images, scan them when the scanner is enabled, and remove them. */
  record Scheduled() implements WorkerMode {

    @Override
    public String typeLabel() {
      return Names.TYPE_COLLECTOR;
    }
  }
}
