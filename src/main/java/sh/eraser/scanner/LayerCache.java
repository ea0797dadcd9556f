package sh.eraser.scanner;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What each layer held, by layer digest, for the length of one run: images on a node share most of
 * their base layers, and each is read once.
 */
final class LayerCache {

  private final Map<String, LayerContents> byDigest = new ConcurrentHashMap<>();

  Optional<LayerContents> get(String digest) {
    return Optional.ofNullable(byDigest.get(digest));
  }

  void put(String digest, LayerContents contents) {
    byDigest.put(digest, contents);
  }

  int size() {
    return byDigest.size();
  }
}
