package sh.eraser.scanner;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The kept files of an image as its container would see them: layers applied lowest first, each
 * layer's whiteouts and opaque directories removing what the layers below it put there before the
 * layer's own files are added (whiteouts never hide files of their own layer).
 */
final class ImageFiles {

  private final Map<String, String> texts = new TreeMap<>();
  private final Map<String, List<InstalledPackage>> packageFiles = new TreeMap<>();
  private final Map<String, String> unreadable = new TreeMap<>();

  static ImageFiles merge(List<LayerContents> layers) {
    ImageFiles files = new ImageFiles();
    layers.forEach(files::apply);
    return files;
  }

  private void apply(LayerContents layer) {
    for (Map<String, ?> map : List.of(texts, packageFiles, unreadable)) {
      map.keySet().removeIf(path -> hidden(path, layer));
    }
    texts.putAll(layer.texts());
    packageFiles.putAll(layer.packageFiles());
    unreadable.putAll(layer.unreadable());
  }

  private static boolean hidden(String path, LayerContents layer) {
    for (String gone : layer.whiteouts()) {
      if (path.equals(gone) || path.startsWith(gone + "/")) {
        return true;
      }
    }
    for (String dir : layer.opaqueDirs()) {
      if (dir.isEmpty() || path.startsWith(dir + "/")) {
        return true;
      }
    }
    return false;
  }

  Optional<String> text(String path) {
    return Optional.ofNullable(texts.get(path));
  }

  /** Every installed package that the image's package databases list. */
  List<InstalledPackage> packages() {
    List<InstalledPackage> all = new ArrayList<>();
    packageFiles.values().forEach(all::addAll);
    return all;
  }

  /** The package database files found, by path. */
  Map<String, List<InstalledPackage>> packageFiles() {
    return packageFiles;
  }

  Map<String, String> unreadable() {
    return unreadable;
  }
}
