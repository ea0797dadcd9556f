package sh.eraser.worker;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashSet;
import java.util.List;
import sh.eraser.images.Digests;
import sh.eraser.images.NodeImage;

/**
 * The record worker containers hand each other through the shared pipes: the runtime's image ID,
 * its tags, and the digests of its repository digests. Field names are those third-party scanner
 * images expect.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageRecord(
    @JsonProperty("image_id") String imageId,
    @JsonProperty("names") List<String> names,
    @JsonProperty("digests") List<String> digests) {

  public ImageRecord {
    names = names == null ? List.of() : List.copyOf(names);
    digests = digests == null ? List.of() : List.copyOf(digests);
  }

  public static ImageRecord of(NodeImage image) {
    LinkedHashSet<String> digests = new LinkedHashSet<>();
    image.digests().forEach(d -> Digests.digestOf(d).ifPresent(digests::add));
    return new ImageRecord(image.id(), image.tags(), List.copyOf(digests));
  }
}
