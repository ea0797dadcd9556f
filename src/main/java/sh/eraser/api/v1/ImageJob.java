package sh.eraser.api.v1;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn.Type;
import io.fabric8.crd.generator.annotation.SchemaSwap;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import sh.eraser.api.ImageJobStatus;
import sh.eraser.api.Names;

/**
 * An ImageJob in API version eraser.sh/v1, the version stored. One removal run over the cluster's
 * nodes; the manager creates it and only its status carries data.
 */
@Group(Names.GROUP)
@Version(value = "v1", storage = true, served = true)
@Kind("ImageJob")
@Plural("imagejobs")
@Singular("imagejob")
// An ImageJob has no spec: leave the property out of the schema rather than as an empty object.
@SchemaSwap(originalType = ImageJob.class, fieldName = "spec")
// Limitation: the generator orders columns by JSON path, not as declared here, so Age comes
// first.
@AdditionalPrinterColumn(
    name = "Phase",
    jsonPath = ".status.phase",
    getDescription = "Where the job is: Running, Completed or Failed.")
@AdditionalPrinterColumn(
    name = "Desired",
    jsonPath = ".status.desired",
    type = Type.INTEGER,
    getDescription = "Nodes in the cluster when the job started.")
@AdditionalPrinterColumn(
    name = "Succeeded",
    jsonPath = ".status.succeeded",
    type = Type.INTEGER,
    getDescription = "Nodes whose worker pod succeeded.")
@AdditionalPrinterColumn(
    name = "Failed",
    jsonPath = ".status.failed",
    type = Type.INTEGER,
    getDescription = "Nodes whose worker pod failed.")
@AdditionalPrinterColumn(
    name = "Skipped",
    jsonPath = ".status.skipped",
    type = Type.INTEGER,
    getDescription = "Nodes left out.")
@AdditionalPrinterColumn(
    name = "Age",
    jsonPath = ".metadata.creationTimestamp",
    type = Type.DATE,
    getDescription = "Time since the job was created.")
public class ImageJob extends CustomResource<Void, ImageJobStatus> {

  @Override
  @JsonPropertyDescription("Progress and outcome of the run, one result per node.")
  public ImageJobStatus getStatus() {
    return super.getStatus();
  }
}
