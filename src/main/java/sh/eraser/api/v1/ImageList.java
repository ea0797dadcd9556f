package sh.eraser.api.v1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import java.util.List;
import sh.eraser.api.ImageListSpec;
import sh.eraser.api.ImageListStatus;
import sh.eraser.api.Names;

/**
 * The ImageList in API version eraser.sh/v1, the version stored. Cluster-scoped; the manager acts
 * only on the one named {@value Names#IMAGE_LIST}.
 */
@Group(Names.GROUP)
@Version(value = "v1", storage = true, served = true)
@Kind("ImageList")
@Plural("imagelists")
@Singular("imagelist")
// Limitation: the generator orders columns by JSON path, not as declared here, so Age comes
// first.
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    getDescription = "Phase of the last run.")
@AdditionalPrinterColumn(
    name = "Succeeded",
    jsonPath = ".status.success",
    type = Type.INTEGER,
    getDescription = "Nodes where the last run succeeded.")
@AdditionalPrinterColumn(
    name = "Failed",
    jsonPath = ".status.failed",
    type = Type.INTEGER,
    getDescription = "Nodes where the last run failed.")
@AdditionalPrinterColumn(
    name = "Skipped",
    jsonPath = ".status.skipped",
    type = Type.INTEGER,
    getDescription = "Nodes the last run left out.")
@AdditionalPrinterColumn(
    name = "Removed",
    jsonPath = ".status.removed",
    type = Type.INTEGER,
    getDescription = "Images the last run removed, over all nodes.")
@AdditionalPrinterColumn(
    name = "Job",
    jsonPath = ".status.lastJob",
    priority = 1,
    getDescription = "ImageJob of the last run.")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = Type.DATE,
    getDescription = "Time since the ImageList was created.")
public class ImageList extends CustomResource<ImageListSpec, ImageListStatus> {

  public ImageList() {}

  /** An ImageList with the given name asking to remove the given images. */
  public ImageList(String name, List<String> images) {
    setMetadata(new ObjectMetaBuilder().withName(name).build());
    setSpec(new ImageListSpec(images));
  }

  @Override
  @JsonPropertyDescription("Which images to remove.")
  public ImageListSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonPropertyDescription(
      "Outcome of the last run, written by the manager through the status subresource.")
  public ImageListStatus getStatus() {
    return super.getStatus();
  }
}
