package sh.eraser.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.github.luben.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds OCI archives of images with layers chosen by the test, for the scanner: files such as
 * {@code etc/os-release} and {@code var/lib/dpkg/status}, symbolic links, whiteouts and opaque
 * directories, in gzip, zstd or plain tar layers, and multi-platform indexes.
 *
 * <pre>{@code
 * Layer base = Layer.gzip().file("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n");
 * LayeredImageArchive.builder()
 *     .image("docker.io/team/app:1", base, Layer.zstd().whiteout("var/lib/dpkg/status"))
 *     .write(tar);
 * }</pre>
 */
public final class LayeredImageArchive {

  static final String INDEX = "application/vnd.oci.image.index.v1+json";
  static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String CONFIG = "application/vnd.oci.image.config.v1+json";

  // Sorted keys: a Map.of iterates in an order that changes from one JVM to the next, and the
  // digests, image IDs included, must not.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final long MTIME_MILLIS = 1_704_067_200_000L;

  private final Map<String, byte[]> blobs = new LinkedHashMap<>();
  private final List<Map<String, Object>> entries = new ArrayList<>();
  private final Map<String, String> ids = new LinkedHashMap<>();

  private LayeredImageArchive() {}

  public static LayeredImageArchive builder() {
    return new LayeredImageArchive();
  }

  /** Adds a linux/amd64 image under {@code name}, with these layers, lowest first. */
  public LayeredImageArchive image(String name, Layer... layers) {
    Map<String, Object> manifest = manifest(name, "amd64", List.of(layers));
    entries.add(named(manifest, name));
    return this;
  }

  /**
   * Adds an index under {@code name} with one image per architecture (layers per architecture),
   * plus an attestation entry for {@code unknown/unknown} as BuildKit writes one.
   */
  public LayeredImageArchive multiPlatform(String name, Map<String, List<Layer>> byArch) {
    List<Map<String, Object>> manifests = new ArrayList<>();
    byArch.forEach(
        (arch, layers) -> {
          Map<String, Object> descriptor = manifest(name + "@" + arch, arch, layers);
          descriptor.put("platform", Map.of("os", "linux", "architecture", arch));
          manifests.add(descriptor);
        });
    Map<String, Object> attestation = manifest(name + "@attestation", "unknown", List.of());
    attestation.put("platform", Map.of("os", "unknown", "architecture", "unknown"));
    manifests.add(attestation);
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", INDEX);
    index.put("manifests", manifests);
    entries.add(named(descriptor(INDEX, put(json(index))), name));
    return this;
  }

  /** The image ID (config digest) given to {@code name}, or {@code name@arch} in an index. */
  public String id(String name) {
    return ids.get(name);
  }

  /** Writes the archive and returns it. */
  public Path write(Path tar) {
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", INDEX);
    index.put("manifests", entries);
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      addFile(out, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
      addFile(out, "index.json", json(index));
      for (Map.Entry<String, byte[]> blob : blobs.entrySet()) {
        addFile(out, "blobs/sha256/" + blob.getKey().substring(7), blob.getValue());
      }
      out.finish();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tar;
  }

  private Map<String, Object> manifest(String name, String arch, List<Layer> layers) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", arch);
    config.put("os", arch.equals("unknown") ? "unknown" : "linux");
    config.put("config", Map.of("Labels", Map.of("test.eraser.sh/image", name)));
    config.put(
        "rootfs",
        Map.of("type", "layers", "diff_ids", layers.stream().map(Layer::diffId).toList()));
    String configDigest = put(json(config));
    ids.put(name, configDigest);
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST);
    manifest.put("config", descriptor(CONFIG, configDigest));
    List<Map<String, Object>> layerDescriptors = new ArrayList<>();
    for (Layer layer : layers) {
      layerDescriptors.add(descriptor(layer.mediaType(), put(layer.blob())));
    }
    manifest.put("layers", layerDescriptors);
    return descriptor(MANIFEST, put(json(manifest)));
  }

  private static Map<String, Object> named(Map<String, Object> descriptor, String name) {
    Map<String, Object> entry = new LinkedHashMap<>(descriptor);
    entry.put(
        "annotations",
        Map.of(
            OciArchive.IMAGE_NAME_ANNOTATION,
            name,
            OciArchive.REF_NAME_ANNOTATION,
            name.substring(name.lastIndexOf(':') + 1)));
    return entry;
  }

  private Map<String, Object> descriptor(String mediaType, String digest) {
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", digest);
    descriptor.put("size", blobs.get(digest).length);
    return descriptor;
  }

  private String put(byte[] bytes) {
    String digest = digest(bytes);
    blobs.put(digest, bytes);
    return digest;
  }

  static String digest(byte[] bytes) {
    try {
      return "sha256:"
          + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void addFile(TarArchiveOutputStream out, String name, byte[] content)
      throws IOException {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setModTime(MTIME_MILLIS);
    entry.setSize(content.length);
    out.putArchiveEntry(entry);
    out.write(content);
    out.closeArchiveEntry();
  }

  /** How a layer's tar is compressed. */
  public enum Compression {
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    ZSTD("application/vnd.oci.image.layer.v1.tar+zstd"),
    NONE("application/vnd.oci.image.layer.v1.tar");

    final String mediaType;

    Compression(String mediaType) {
      this.mediaType = mediaType;
    }
  }

  /** One layer: its entries in order, and how it is compressed. */
  public static final class Layer {
    private final Compression compression;
    private final List<TarArchiveEntry> entries = new ArrayList<>();
    private final List<byte[]> contents = new ArrayList<>();
    private byte[] corruptBlob;

    private Layer(Compression compression) {
      this.compression = compression;
    }

    public static Layer gzip() {
      return new Layer(Compression.GZIP);
    }

    public static Layer zstd() {
      return new Layer(Compression.ZSTD);
    }

    public static Layer plain() {
      return new Layer(Compression.NONE);
    }

    /**
     * A gzip layer whose stream breaks off halfway: containerd stores it (the digest is that of
     * these bytes), but it cannot be read to its end.
     */
    public static Layer truncatedGzip(String seed) {
      Layer whole = gzip().file("var/tmp/" + seed, seed.repeat(20000));
      byte[] blob = whole.blob();
      Layer broken = new Layer(Compression.GZIP);
      broken.corruptBlob = java.util.Arrays.copyOf(blob, blob.length / 2);
      return broken;
    }

    public Layer file(String path, String content) {
      return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public Layer file(String path, byte[] content) {
      TarArchiveEntry entry = new TarArchiveEntry(path);
      entry.setSize(content.length);
      add(entry, content);
      return this;
    }

    public Layer directory(String path) {
      add(new TarArchiveEntry(path.endsWith("/") ? path : path + "/"), new byte[0]);
      return this;
    }

    public Layer symlink(String path, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(path, TarArchiveEntry.LF_SYMLINK);
      entry.setLinkName(target);
      add(entry, new byte[0]);
      return this;
    }

    /** Deletes {@code path} of the layers below. */
    public Layer whiteout(String path) {
      int slash = path.lastIndexOf('/');
      return file(path.substring(0, slash + 1) + ".wh." + path.substring(slash + 1), new byte[0]);
    }

    /** Hides everything the layers below put in {@code dir}. */
    public Layer opaque(String dir) {
      return file((dir.endsWith("/") ? dir : dir + "/") + ".wh..wh..opq", new byte[0]);
    }

    private void add(TarArchiveEntry entry, byte[] content) {
      entry.setModTime(MTIME_MILLIS);
      entry.setIds(0, 0);
      entries.add(entry);
      contents.add(content);
    }

    byte[] tar() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        for (int i = 0; i < entries.size(); i++) {
          out.putArchiveEntry(entries.get(i));
          out.write(contents.get(i));
          out.closeArchiveEntry();
        }
        out.finish();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    String diffId() {
      return LayeredImageArchive.digest(corruptBlob != null ? corruptBlob : tar());
    }

    String mediaType() {
      return compression.mediaType;
    }

    /** The layer as stored: compressed as chosen. */
    public byte[] blob() {
      if (corruptBlob != null) {
        return corruptBlob;
      }
      byte[] tar = tar();
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (OutputStream out = compressor(bytes)) {
        out.write(tar);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    /** The digest under which the content store keeps this layer. */
    public String digest() {
      return LayeredImageArchive.digest(blob());
    }

    private OutputStream compressor(ByteArrayOutputStream bytes) throws IOException {
      return switch (compression) {
        case GZIP -> new GZIPOutputStream(bytes);
        case ZSTD -> new ZstdOutputStream(bytes);
        case NONE -> bytes;
      };
    }
  }
}
