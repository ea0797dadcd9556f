package sh.eraser.scanner;

import java.util.List;

/**
 * What the scanner reads of one image: the manifest it resolved to and its layers, bottom first.
 *
 * @param reference the name under which containerd found the image
 * @param manifestDigest the digest of the platform's manifest
 * @param layers the layer blobs, lowest first
 */
public record ImageLayers(String reference, String manifestDigest, List<Layer> layers) {

  public ImageLayers {
    layers = List.copyOf(layers);
  }

  /** One layer blob of a manifest. */
  public record Layer(String digest, String mediaType, long size) {}
}
