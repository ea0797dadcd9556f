package sh.eraser.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Builds an OCI image-layout tar of small test images that {@code ctr images import} accepts.
 *
 * <p>All images share one gzip layer holding {@code /pause} and {@code /exit} from {@link TinyElf};
 * each image (a "variant") has its own config, made unique by the label {@value #VARIANT_LABEL},
 * and so its own image ID. The archive is deterministic: a variant name always gives the same image
 * ID, in every archive and every run.
 *
 * <pre>{@code
 * Map<String, String> ids = OciArchive.builder()
 *     .image("app", "docker.io/team/app:1", "quay.io/team/app:1")   // one ID, two repositories
 *     .image("old")
 *     .digestReference("old", "docker.io/team/old")                // no tag, one repo digest
 *     .write(tar);                                                 // {app=sha256:…, old=sha256:…}
 * }</pre>
 *
 * <p>The config runs {@code /pause} as its entrypoint, so a container of any of these images sleeps
 * until stopped, and {@code /exit} is there for a container that should exit at once.
 */
public final class OciArchive {

  /** Config label whose value is the variant name; it is what makes every image ID distinct. */
  public static final String VARIANT_LABEL = "test.eraser.sh/variant";

  /** Index annotation holding the full image name; containerd imports the image under it. */
  public static final String IMAGE_NAME_ANNOTATION = "io.containerd.image.name";

  /** Index annotation holding the tag, as the OCI image layout specification defines it. */
  public static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";

  /**
   * Images whose variant starts with this run {@code /exit} (they end at once with status 0, as a
   * worker that finished would); every other image runs {@code /pause} until it is stopped.
   */
  public static final String EXITING_VARIANT_PREFIX = "exiting-";

  static final String INDEX_MEDIA_TYPE = "application/vnd.oci.image.index.v1+json";
  static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
  static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";
  static final String LAYER_MEDIA_TYPE = "application/vnd.oci.image.layer.v1.tar+gzip";

  // Sorted keys: a Map.of iterates in an order that changes from one JVM to the next, and the
  // digests, image IDs included, must not.
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

  /** Every file in the archive and in the layer gets this modification time (2024-01-01). */
  private static final long MTIME_MILLIS = 1_704_067_200_000L;

  private final Map<String, List<String>> namesByVariant;

  private OciArchive(Map<String, List<String>> namesByVariant) {
    this.namesByVariant = namesByVariant;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects the variants, in order, each with the full image names it is imported under. */
  public static final class Builder {
    private final Map<String, List<String>> namesByVariant = new LinkedHashMap<>();

    private Builder() {}

    /**
     * Adds an image. {@code names} are full references with a registry and a tag, such as {@code
     * docker.io/team/app:1}; containerd stores them verbatim. With no names the index entry has no
     * annotations, and {@code ctr images import} skips it: use {@link
     * LocalContainerd#importUntagged} for an image without a name.
     */
    public Builder image(String variant, String... names) {
      if (namesByVariant.containsKey(variant)) {
        throw new IllegalArgumentException("variant added twice: " + variant);
      }
      for (String name : names) {
        requireTaggedName(name);
      }
      namesByVariant.put(variant, new ArrayList<>(List.of(names)));
      return this;
    }

    /**
     * Also names an image added before by its manifest digest in {@code repository}, as {@code
     * repository@sha256:…}; the CRI lists such a name among the image's repository digests, as it
     * does for an image pulled by digest.
     */
    public Builder digestReference(String variant, String repository) {
      List<String> names = namesByVariant.get(variant);
      if (names == null) {
        throw new IllegalArgumentException("no variant " + variant + " added yet");
      }
      String name = repository + "@" + manifestDigest(variant);
      requireRegistry(name);
      names.add(name);
      return this;
    }

    public OciArchive build() {
      Map<String, List<String>> copy = new LinkedHashMap<>();
      namesByVariant.forEach((variant, names) -> copy.put(variant, List.copyOf(names)));
      return new OciArchive(copy);
    }

    /** Shorthand for {@code build().write(tar)}. */
    public Map<String, String> write(Path tar) {
      return build().write(tar);
    }
  }

  /** The image ID ({@code sha256:…} of the config) that a variant gets in any archive. */
  public static String imageId(String variant) {
    return configBlob(variant).digest;
  }

  /** The manifest digest ({@code sha256:…}) that a variant gets in any archive. */
  public static String manifestDigest(String variant) {
    return manifestBlob(configBlob(variant)).digest;
  }

  /**
   * Writes the archive to {@code tar}.
   *
   * @return the image ID of each variant, keyed by variant name
   */
  public Map<String, String> write(Path tar) {
    Map<String, Blob> blobs = new LinkedHashMap<>();
    Blob layer = Layer.INSTANCE.blob;
    blobs.put(layer.digest, layer);
    Map<String, String> ids = new LinkedHashMap<>();
    List<Map<String, Object>> entries = new ArrayList<>();
    namesByVariant.forEach(
        (variant, names) -> {
          Blob config = configBlob(variant);
          Blob manifest = manifestBlob(config);
          blobs.put(config.digest, config);
          blobs.put(manifest.digest, manifest);
          ids.put(variant, config.digest);
          entries.addAll(indexEntries(manifest, names));
        });
    Map<String, Object> index = new LinkedHashMap<>();
    index.put("schemaVersion", 2);
    index.put("mediaType", INDEX_MEDIA_TYPE);
    index.put("manifests", entries);
    writeTar(tar, json(index), blobs.values());
    return ids;
  }

  /**
   * The names ({@value #IMAGE_NAME_ANNOTATION}) in the index of an OCI archive, written here or
   * elsewhere: the names {@code ctr images import} will create.
   */
  public static Set<String> imageNames(Path tar) {
    try (InputStream file = Files.newInputStream(tar);
        TarArchiveInputStream in = new TarArchiveInputStream(file)) {
      for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
        if (e.getName().equals("index.json")) {
          Set<String> names = new LinkedHashSet<>();
          for (JsonNode entry : JSON.readTree(in.readAllBytes()).path("manifests")) {
            String name = entry.path("annotations").path(IMAGE_NAME_ANNOTATION).asText();
            if (!name.isEmpty()) {
              names.add(name);
            }
          }
          return names;
        }
      }
      throw new IllegalArgumentException("no index.json in " + tar);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + tar, e);
    }
  }

  private static List<Map<String, Object>> indexEntries(Blob manifest, List<String> names) {
    if (names.isEmpty()) {
      return List.of(descriptor(MANIFEST_MEDIA_TYPE, manifest));
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    for (String name : names) {
      Map<String, Object> entry = descriptor(MANIFEST_MEDIA_TYPE, manifest);
      Map<String, String> annotations = new LinkedHashMap<>();
      annotations.put(IMAGE_NAME_ANNOTATION, name);
      if (!name.contains("@")) {
        annotations.put(REF_NAME_ANNOTATION, name.substring(name.lastIndexOf(':') + 1));
      }
      entry.put("annotations", annotations);
      entries.add(entry);
    }
    return entries;
  }

  private static Blob configBlob(String variant) {
    return new Blob(config(variant, Layer.INSTANCE.diffId));
  }

  private static Blob manifestBlob(Blob config) {
    return new Blob(manifest(config, Layer.INSTANCE.blob));
  }

  private static byte[] config(String variant, String diffId) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("architecture", "amd64");
    config.put("os", "linux");
    config.put(
        "config",
        Map.of(
            "Entrypoint",
            List.of(variant.startsWith(EXITING_VARIANT_PREFIX) ? "/exit" : "/pause"),
            "Labels",
            Map.of(VARIANT_LABEL, variant)));
    config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(diffId)));
    return json(config);
  }

  private static byte[] manifest(Blob config, Blob layer) {
    Map<String, Object> manifest = new LinkedHashMap<>();
    manifest.put("schemaVersion", 2);
    manifest.put("mediaType", MANIFEST_MEDIA_TYPE);
    manifest.put("config", descriptor(CONFIG_MEDIA_TYPE, config));
    manifest.put("layers", List.of(descriptor(LAYER_MEDIA_TYPE, layer)));
    return json(manifest);
  }

  private static Map<String, Object> descriptor(String mediaType, Blob blob) {
    Map<String, Object> descriptor = new LinkedHashMap<>();
    descriptor.put("mediaType", mediaType);
    descriptor.put("digest", blob.digest);
    descriptor.put("size", blob.bytes.length);
    return descriptor;
  }

  private static void writeTar(Path tar, byte[] index, Iterable<Blob> blobs) {
    try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
      byte[] layout = "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8);
      addFile(out, "oci-layout", layout, 0644);
      addFile(out, "index.json", index, 0644);
      addDirectory(out, "blobs/");
      addDirectory(out, "blobs/sha256/");
      for (Blob blob : blobs) {
        addFile(out, "blobs/sha256/" + blob.hex(), blob.bytes, 0644);
      }
      out.finish();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write OCI archive " + tar, e);
    }
  }

  private static void addFile(TarArchiveOutputStream out, String name, byte[] content, int mode)
      throws IOException {
    TarArchiveEntry entry = entry(name);
    entry.setSize(content.length);
    entry.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
    out.putArchiveEntry(entry);
    out.write(content);
    out.closeArchiveEntry();
  }

  private static void addDirectory(TarArchiveOutputStream out, String name) throws IOException {
    out.putArchiveEntry(entry(name));
    out.closeArchiveEntry();
  }

  /** An entry owned by root, with a fixed time, whoever runs the build. */
  private static TarArchiveEntry entry(String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setModTime(MTIME_MILLIS);
    entry.setIds(0, 0);
    entry.setNames("", "");
    return entry;
  }

  private static void requireTaggedName(String name) {
    requireRegistry(name);
    if (name.contains("@") || name.lastIndexOf(':') < name.indexOf('/')) {
      throw new IllegalArgumentException("image name has no tag: " + name);
    }
  }

  /** containerd stores names verbatim, so only a name with a registry is what the CRI shows. */
  private static void requireRegistry(String name) {
    int slash = name.indexOf('/');
    String registry = slash < 0 ? "" : name.substring(0, slash);
    if (!registry.contains(".") && !registry.contains(":") && !registry.equals("localhost")) {
      throw new IllegalArgumentException(
          "image name must start with a registry, such as docker.io/: " + name);
    }
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Content-addressed bytes. */
  private static final class Blob {
    final byte[] bytes;
    final String digest;

    Blob(byte[] bytes) {
      this.bytes = bytes;
      this.digest = "sha256:" + HexFormat.of().formatHex(sha256(bytes));
    }

    String hex() {
      return digest.substring("sha256:".length());
    }
  }

  /** The one layer every image shares: {@code /pause} and {@code /exit}, mode 0755. */
  private static final class Layer {
    static final Layer INSTANCE = new Layer();

    final Blob blob;
    final String diffId;

    private Layer() {
      byte[] tar = layerTar();
      this.diffId = "sha256:" + HexFormat.of().formatHex(sha256(tar));
      this.blob = new Blob(gzip(tar));
    }

    private static byte[] layerTar() {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes)) {
        addFile(out, "pause", TinyElf.pauseProgram(), 0755);
        addFile(out, "exit", TinyElf.exitProgram(), 0755);
        out.finish();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    private static byte[] gzip(byte[] data) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      // GZIPOutputStream writes a zero modification time, so the same input gives the same blob.
      try (OutputStream out = new GZIPOutputStream(bytes)) {
        out.write(data);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }
}
