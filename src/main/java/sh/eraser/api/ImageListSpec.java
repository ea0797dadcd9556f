package sh.eraser.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** The images an ImageList asks to remove from every node where no container uses them. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImageListSpec {

  @Required
  @JsonPropertyDescription(
      "Images to remove from every node where no container uses them. Each entry is an image"
          + " reference (alpine, docker.io/library/alpine:3.19, repo@sha256:<digest>), a bare"
          + " digest (sha256:<digest>), an image ID, or \"*\" for every image that no container"
          + " uses. Removal is by image ID, so every tag of a listed image goes with it.")
  private List<String> images = new ArrayList<>();

  public ImageListSpec() {}

  public ImageListSpec(List<String> images) {
    setImages(images);
  }

  public List<String> getImages() {
    return images;
  }

  public void setImages(List<String> images) {
    this.images = images == null ? new ArrayList<>() : new ArrayList<>(images);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ImageListSpec other && images.equals(other.images);
  }

  @Override
  public int hashCode() {
    return Objects.hash(images);
  }

  @Override
  public String toString() {
    return "ImageListSpec{images=" + images + "}";
  }
}
