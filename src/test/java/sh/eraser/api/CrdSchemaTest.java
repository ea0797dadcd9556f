package sh.eraser.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceColumnDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the committed CRDs in {@code crds/} promise to users and to the API server. */
class CrdSchemaTest {

  private static final String DEPRECATION_WARNING =
      "v1alpha1 of the eraser API has been deprecated. Please migrate to v1.";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void crdsDirectoryHoldsExactlyTheTwoEraserCrds() {
    assertThat(Crds.committed())
        .extracting(crd -> crd.getMetadata().getName())
        .containsExactlyInAnyOrder(Crds.IMAGE_LISTS, Crds.IMAGE_JOBS);
  }

  @Test
  void namesMatchTheOriginalApi() {
    CustomResourceDefinition lists = Crds.committed(Crds.IMAGE_LISTS);
    CustomResourceDefinition jobs = Crds.committed(Crds.IMAGE_JOBS);

    assertThat(lists.getSpec().getGroup()).isEqualTo("eraser.sh");
    assertThat(lists.getSpec().getNames().getKind()).isEqualTo("ImageList");
    assertThat(lists.getSpec().getNames().getPlural()).isEqualTo("imagelists");
    assertThat(lists.getSpec().getNames().getSingular()).isEqualTo("imagelist");
    assertThat(jobs.getSpec().getGroup()).isEqualTo("eraser.sh");
    assertThat(jobs.getSpec().getNames().getKind()).isEqualTo("ImageJob");
    assertThat(jobs.getSpec().getNames().getPlural()).isEqualTo("imagejobs");
  }

  @ParameterizedTest
  @ValueSource(strings = {Crds.IMAGE_LISTS, Crds.IMAGE_JOBS})
  void isClusterScopedWithAStatusSubresourceOnEveryVersion(String name) {
    CustomResourceDefinition crd = Crds.committed(name);

    assertThat(crd.getSpec().getScope()).isEqualTo("Cluster");
    assertThat(crd.getSpec().getVersions())
        .extracting(CustomResourceDefinitionVersion::getName)
        .containsExactlyInAnyOrder("v1", "v1alpha1");
    assertThat(crd.getSpec().getVersions())
        .allSatisfy(v -> assertThat(v.getSubresources().getStatus()).isNotNull());
  }

  @ParameterizedTest
  @ValueSource(strings = {Crds.IMAGE_LISTS, Crds.IMAGE_JOBS})
  void storesV1AndServesV1alpha1WithADeprecationWarning(String name) {
    CustomResourceDefinition crd = Crds.committed(name);
    CustomResourceDefinitionVersion v1 = Crds.version(crd, "v1");
    CustomResourceDefinitionVersion v1alpha1 = Crds.version(crd, "v1alpha1");

    assertThat(v1.getStorage()).isTrue();
    assertThat(v1.getServed()).isTrue();
    assertThat(v1.getDeprecated()).isNotEqualTo(Boolean.TRUE);
    assertThat(v1alpha1.getStorage()).isFalse();
    assertThat(v1alpha1.getServed()).isTrue();
    assertThat(v1alpha1.getDeprecated()).isTrue();
    assertThat(v1alpha1.getDeprecationWarning()).isEqualTo(DEPRECATION_WARNING);
  }

  @ParameterizedTest
  @ValueSource(strings = {Crds.IMAGE_LISTS, Crds.IMAGE_JOBS})
  void bothVersionsShareOneSchemaAndOneSetOfColumns(String name) {
    CustomResourceDefinition crd = Crds.committed(name);
    CustomResourceDefinitionVersion v1 = Crds.version(crd, "v1");
    CustomResourceDefinitionVersion v1alpha1 = Crds.version(crd, "v1alpha1");

    assertThat(v1alpha1.getSchema()).isEqualTo(v1.getSchema());
    assertThat(v1alpha1.getAdditionalPrinterColumns()).isEqualTo(v1.getAdditionalPrinterColumns());
  }

  @ParameterizedTest
  @ValueSource(strings = {Crds.IMAGE_LISTS, Crds.IMAGE_JOBS})
  void everyPropertyHasADescriptionForKubectlExplain(String name) {
    for (CustomResourceDefinitionVersion version : Crds.committed(name).getSpec().getVersions()) {
      List<String> undocumented = new ArrayList<>();
      collectUndocumented("", version.getSchema().getOpenAPIV3Schema(), undocumented);

      assertThat(undocumented).as("%s %s", name, version.getName()).isEmpty();
    }
  }

  @Test
  void imageListRequiresImagesAndImageJobHasNoSpec() {
    JSONSchemaProps list = schema(Crds.IMAGE_LISTS);
    JSONSchemaProps job = schema(Crds.IMAGE_JOBS);

    JSONSchemaProps spec = list.getProperties().get("spec");
    assertThat(spec.getRequired()).containsExactly("images");
    assertThat(spec.getProperties().get("images").getItems().getSchema().getType())
        .isEqualTo("string");
    assertThat(job.getProperties()).containsOnlyKeys("status");
  }

  @Test
  void phasesAreTheOriginalOnes() {
    JSONSchemaProps jobStatus = schema(Crds.IMAGE_JOBS).getProperties().get("status");

    assertThat(jobStatus.getProperties().get("phase").getEnum())
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrder("", "Running", "Completed", "Failed");
    assertThat(jobStatus.getRequired())
        .containsExactlyInAnyOrder("desired", "succeeded", "failed", "skipped", "phase");
  }

  @Test
  void imageListColumnsShowTheLastRunAtAGlance() {
    assertThat(columns(Crds.IMAGE_LISTS))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Phase", ".status.phase",
                "Succeeded", ".status.success",
                "Failed", ".status.failed",
                "Skipped", ".status.skipped",
                "Removed", ".status.removed",
                "Age", ".metadata.creationTimestamp"));
  }

  @Test
  void imageJobColumnsShowProgressAtAGlance() {
    assertThat(columns(Crds.IMAGE_JOBS))
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "Phase", ".status.phase",
                "Desired", ".status.desired",
                "Succeeded", ".status.succeeded",
                "Failed", ".status.failed",
                "Skipped", ".status.skipped",
                "Age", ".metadata.creationTimestamp"));
  }

  @Test
  void populatedImageListFitsTheSchema() throws IOException {
    var list = Examples.imageList(Names.IMAGE_LIST);
    list.setStatus(Examples.finishedImageListStatus());

    assertThat(violations(list, Crds.IMAGE_LISTS)).isEmpty();
  }

  @Test
  void populatedImageJobFitsTheSchema() throws IOException {
    var job = Examples.imageJob("imagejob-x7k2p");
    job.setStatus(Examples.runningImageJobStatus());

    assertThat(violations(job, Crds.IMAGE_JOBS)).isEmpty();
  }

  @Test
  void newImageJobFitsTheSchema() throws IOException {
    var job = Examples.imageJob("imagejob-x7k2p");
    job.setStatus(new ImageJobStatus());

    assertThat(violations(job, Crds.IMAGE_JOBS)).isEmpty();
  }

  @Test
  void schemaCheckRejectsWhatTheApiServerWould() throws IOException {
    JsonNode status =
        JSON.readTree(
            "{\"phase\": \"Done\", \"desired\": \"4\", \"extra\": 1,"
                + " \"deleteAfter\": 1772360130}");

    List<String> violations =
        SchemaCheck.violations(
            "status", status, schema(Crds.IMAGE_JOBS).getProperties().get("status"));

    assertThat(violations)
        .anyMatch(v -> v.startsWith("status.phase:"))
        .anyMatch(v -> v.startsWith("status.desired:"))
        .anyMatch(v -> v.startsWith("status.extra:"))
        .anyMatch(v -> v.startsWith("status.deleteAfter:"))
        .anyMatch(v -> v.startsWith("status.succeeded:"));
  }

  private static void collectUndocumented(String path, JSONSchemaProps schema, List<String> out) {
    schema
        .getProperties()
        .forEach(
            (name, property) -> {
              String here = path + "." + name;
              if (property.getDescription() == null || property.getDescription().isBlank()) {
                out.add(here);
              }
              collectUndocumented(here, property, out);
            });
    if (schema.getItems() != null && schema.getItems().getSchema() != null) {
      collectUndocumented(path + "[]", schema.getItems().getSchema(), out);
    }
  }

  private static JSONSchemaProps schema(String crd) {
    return Crds.version(Crds.committed(crd), "v1").getSchema().getOpenAPIV3Schema();
  }

  /** Name to JSON path of the columns that plain {@code kubectl get} shows. */
  private static Map<String, String> columns(String crd) {
    Map<String, String> byName = new LinkedHashMap<>();
    for (CustomResourceColumnDefinition column :
        Crds.version(Crds.committed(crd), "v1").getAdditionalPrinterColumns()) {
      if (column.getPriority() == null || column.getPriority() == 0) {
        byName.put(column.getName(), column.getJsonPath());
      }
    }
    return byName;
  }

  /** Checks the JSON that the client sends, parsed back, against the v1 schema. */
  private static List<String> violations(HasMetadata resource, String crd) throws IOException {
    JsonNode json = JSON.readTree(SERIALIZATION.asJson(resource));
    List<String> violations = new ArrayList<>();
    json.fieldNames()
        .forEachRemaining(
            field -> {
              if (!List.of("apiVersion", "kind", "metadata").contains(field)) {
                JSONSchemaProps property = schema(crd).getProperties().get(field);
                if (property == null) {
                  violations.add(field + ": not in the schema");
                } else {
                  violations.addAll(SchemaCheck.violations(field, json.get(field), property));
                }
              }
            });
    return violations;
  }
}
