package sh.eraser.scanner;

import io.grpc.Deadline;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the kept files of an image from containerd's content store, under a lease, layer by layer,
 * taking layers already read in this run from the cache.
 */
final class ImageReader {

  private static final Logger log = LoggerFactory.getLogger(ImageReader.class);

  /** How long a lease outlives the scanner should it die mid-image. */
  private static final Duration LEASE_SLACK = Duration.ofMinutes(10);

  private final ContainerdClient containerd;
  private final ImageResolver resolver;
  private final LayerCache cache;
  private final LayerReader reader;

  ImageReader(
      ContainerdClient containerd, Platform platform, LayerCache cache, LayerReader reader) {
    this.containerd = containerd;
    this.resolver = new ImageResolver(containerd, platform);
    this.cache = cache;
    this.reader = reader;
  }

  /**
   * The image's kept files, or empty when containerd knows none of the references any more.
   *
   * @param budget how long the lease must last at most
   */
  Optional<ImageFiles> read(List<String> references, Deadline deadline, Duration budget)
      throws IOException {
    try (Lease lease = Lease.create(containerd, budget.plus(LEASE_SLACK))) {
      Optional<ImageLayers> image = resolver.resolve(references, deadline, lease);
      if (image.isEmpty()) {
        return Optional.empty();
      }
      List<LayerContents> layers = new ArrayList<>();
      for (ImageLayers.Layer layer : image.get().layers()) {
        layers.add(layer(layer, deadline, lease));
      }
      return Optional.of(ImageFiles.merge(layers));
    }
  }

  private LayerContents layer(ImageLayers.Layer layer, Deadline deadline, Lease lease)
      throws IOException {
    Optional<LayerContents> cached = cache.get(layer.digest());
    if (cached.isPresent()) {
      return cached.get();
    }
    lease.protect(layer.digest(), deadline);
    LayerContents contents;
    try (InputStream blob = containerd.openBlob(layer.digest(), deadline)) {
      contents = reader.read(blob, layer.digest(), deadline);
    }
    log.debug("read layer {} ({} bytes)", layer.digest(), layer.size());
    cache.put(layer.digest(), contents);
    return contents;
  }
}
