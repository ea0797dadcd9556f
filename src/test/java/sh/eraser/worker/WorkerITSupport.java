package sh.eraser.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import sh.eraser.cri.api.Image;
import sh.eraser.testing.LocalContainerd;
import sh.eraser.testing.OciArchive;

/** Shared steps of the worker integration tests: images in, lists written, images read back. */
final class WorkerITSupport {

  private WorkerITSupport() {}

  /** Imports the archive's images and returns their IDs by variant. */
  static Map<String, String> importImages(LocalContainerd containerd, OciArchive.Builder images) {
    Path tar = containerd.directory().resolve("images-" + System.nanoTime() + ".tar");
    Map<String, String> ids = images.write(tar);
    containerd.importArchive(tar);
    return ids;
  }

  static Set<String> imageIds(LocalContainerd containerd) {
    return containerd.listImages().stream().map(Image::getId).collect(Collectors.toSet());
  }

  static Set<String> tags(LocalContainerd containerd) {
    return containerd.listImages().stream()
        .flatMap(i -> i.getRepoTagsList().stream())
        .collect(Collectors.toSet());
  }

  static Path imageList(Path dir, String json) {
    return write(dir.resolve("imagelist-" + System.nanoTime() + ".json"), json);
  }

  /**
   * Writes an exclusion ConfigMap as the kubelet mounts it: keys as symlinks into a timestamped
   * directory behind {@code ..data}.
   */
  static void exclusionConfigMap(Path root, String name, Map<String, String> keys) {
    Path cm = root.resolve("exclude-" + name);
    Path data = cm.resolve("..2026_12_04_00_00_00.000000001");
    try {
      Files.createDirectories(data);
      Files.createSymbolicLink(cm.resolve("..data"), data.getFileName());
      for (var key : keys.entrySet()) {
        write(data.resolve(key.getKey()), key.getValue());
        Files.createSymbolicLink(cm.resolve(key.getKey()), Path.of("..data", key.getKey()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String excluded(String... patterns) {
    return List.of(patterns).stream()
        .map(p -> "\"" + p + "\"")
        .collect(Collectors.joining(", ", "{\"excluded\": [", "]}"));
  }

  private static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
