package sh.eraser.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
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
  /** Jackson's message, without the nested location that names a redacted source. */
  private static String withoutSource(JsonProcessingException e) {
    return e.getOriginalMessage().replaceAll("\\s*\\(start marker at .*$", "").strip();
  }

  private static String where(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
  }

  static List<ImageMatcher> read(Path file) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (JsonProcessingException e) {
      throw new IOException(
          "--imagelist " + file + ": not valid JSON" + where(e) + ": " + withoutSource(e), e);
    } catch (IOException e) {
      throw new IOException("--imagelist " + file + ": cannot read it: " + e, e);
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
