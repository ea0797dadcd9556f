package sh.eraser.scanner;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the scanner keeps of one layer: the few OS files it reads, the packages each package
 * database in the layer lists, package databases it could not read, and what the layer deletes from
 * the layers below it. Paths are relative, without a leading slash.
 *
 * @param texts OS identification files by path
 * @param packageFiles installed packages by the path of the database file that lists them
 * @param unreadable package databases found but not readable, by path, with the reason
 * @param whiteouts paths this layer deletes from lower layers
 * @param opaqueDirs directories whose lower-layer contents this layer hides
 */
public record LayerContents(
    Map<String, String> texts,
    Map<String, List<InstalledPackage>> packageFiles,
    Map<String, String> unreadable,
    Set<String> whiteouts,
    Set<String> opaqueDirs) {

  public LayerContents {
    texts = Map.copyOf(texts);
    packageFiles = Map.copyOf(packageFiles);
    unreadable = Map.copyOf(unreadable);
    whiteouts = Set.copyOf(whiteouts);
    opaqueDirs = Set.copyOf(opaqueDirs);
  }
}
