package sh.eraser.scanner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.grpc.Deadline;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import sh.eraser.scanner.containerd.Descriptor;

/**
 * Finds an image in containerd's image store and reads its way down to the layers: index (picking
 * the node's platform), manifest, layer descriptors.
 */
final class ImageResolver {

  static final Set<String> INDEX_TYPES =
      Set.of(
          "application/vnd.oci.image.index.v1+json",
          "application/vnd.docker.distribution.manifest.list.v2+json");
  static final Set<String> MANIFEST_TYPES =
      Set.of(
          "application/vnd.oci.image.manifest.v1+json",
          "application/vnd.docker.distribution.manifest.v2+json");

  /** A manifest or index is a few KiB; anything far larger is not one. */
  private static final long MAX_MANIFEST_BYTES = 4L * 1024 * 1024;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ContainerdClient containerd;
  private final Platform platform;

  ImageResolver(ContainerdClient containerd, Platform platform) {
    this.containerd = containerd;
    this.platform = platform;
  }

  /**
   * Looks the image up under each reference in turn (image ID first: the CRI plugin records every
   * image under it) and reads its layer list.
   *
   * @return empty when containerd knows the image under none of the references (it is gone)
   * @throws IOException when the image is there but cannot be read
   */
  Optional<ImageLayers> resolve(List<String> references, Deadline deadline, Lease lease)
      throws IOException {
    for (String reference : references) {
      Optional<Descriptor> target = containerd.imageTarget(reference, deadline);
      if (target.isPresent()) {
        return Optional.of(layers(reference, target.get(), deadline, lease));
      }
    }
    return Optional.empty();
  }

  private ImageLayers layers(String reference, Descriptor target, Deadline deadline, Lease lease)
      throws IOException {
    Descriptor manifest = target;
    if (INDEX_TYPES.contains(target.getMediaType())) {
      manifest = pickPlatform(target, deadline, lease);
    } else if (!MANIFEST_TYPES.contains(target.getMediaType())) {
      throw new IOException(
          "image "
              + reference
              + " has media type "
              + target.getMediaType()
              + ", which is neither an image index nor an image manifest");
    }
    JsonNode json = readJson(manifest.getDigest(), deadline, lease);
    List<ImageLayers.Layer> layers = new ArrayList<>();
    for (JsonNode layer : json.path("layers")) {
      layers.add(
          new ImageLayers.Layer(
              layer.path("digest").asText(),
              layer.path("mediaType").asText(),
              layer.path("size").asLong()));
    }
    return new ImageLayers(reference, manifest.getDigest(), layers);
  }

  private Descriptor pickPlatform(Descriptor index, Deadline deadline, Lease lease)
      throws IOException {
    JsonNode json = readJson(index.getDigest(), deadline, lease);
    List<String> offered = new ArrayList<>();
    for (JsonNode entry : json.path("manifests")) {
      JsonNode p = entry.path("platform");
      String os = p.path("os").asText();
      String arch = p.path("architecture").asText();
      offered.add(os + "/" + arch);
      // Attestation manifests ride along as unknown/unknown entries.
      if (!platform.accepts(os, arch, p.path("variant").asText())) {
        continue;
      }
      String digest = entry.path("digest").asText();
      // An index lists every platform; only the node's was pulled, and only if it was.
      // Limitation: an image whose layers containerd discarded after unpacking
      // (discard_unpacked_layers) cannot be read from the content store and is "failed".
      if (containerd.hasBlob(digest, deadline)) {
        return Descriptor.newBuilder()
            .setDigest(digest)
            .setMediaType(entry.path("mediaType").asText())
            .setSize(entry.path("size").asLong())
            .build();
      }
    }
    throw new IOException(
        "the image index "
            + index.getDigest()
            + " has no manifest for "
            + platform
            + " in the content store (it offers "
            + String.join(", ", offered)
            + ")");
  }

  private JsonNode readJson(String digest, Deadline deadline, Lease lease) throws IOException {
    lease.protect(digest, deadline);
    byte[] bytes = containerd.readBlob(digest, MAX_MANIFEST_BYTES, deadline);
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new IOException("blob " + digest + " is not valid JSON", e);
    }
  }
}
