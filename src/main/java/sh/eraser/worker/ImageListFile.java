package sh.eraser.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import sh.eraser.images.ImageMatcher;

/** Reads the remover's {@code --imagelist} file: a JSON array of image references or "*". */
final class ImageListFile {

  private static final ObjectMapper JSON = new ObjectMapper();

  private ImageListFile() {}

  /**
   * Reads and validates every entry; one bad entry rejects the whole list, so nothing is removed on
   * a misread request.
   */
  static List<ImageMatcher> read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new IOException(
          "--imagelist " + file + ": cannot read a JSON array: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new IOException("--imagelist " + file + ": expected a JSON array of image references");
    }
    List<ImageMatcher> requests = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      if (!entry.isTextual()) {
        throw new IOException(
            "--imagelist " + file + ": entry " + i + " (" + entry + ") is not a string");
      }
      try {
        requests.add(ImageMatcher.parse(entry.asText()));
      } catch (IllegalArgumentException e) {
        throw new IOException("--imagelist " + file + ": entry " + i + ": " + e.getMessage(), e);
      }
    }
    return requests;
  }
}
