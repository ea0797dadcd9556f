package sh.eraser.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;

/**
 * The model against fabric8's mock API server in CRUD mode, with the CRDs from {@code crds/}
 * installed so that status is a subresource there as on a real API server.
 */
@EnableKubernetesMockClient(crud = true)
class StatusSubresourceTest {

  // The mock server logs every request through java.util.logging at INFO. JUL holds loggers
  // weakly, so keep this one or its level is lost.
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static KubernetesClient client;

  @BeforeAll
  static void installCrds() {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
    for (CustomResourceDefinition crd : Crds.committed()) {
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    }
  }

  @Test
  void imageListStatusWrittenThroughTheSubresourceReadsBackUnchanged() {
    ImageList created = client.resource(Examples.imageList(Names.IMAGE_LIST)).create();
    created.setStatus(Examples.finishedImageListStatus());

    client.resource(created).updateStatus();

    ImageList read = client.resources(ImageList.class).withName(Names.IMAGE_LIST).get();
    assertThat(read.getStatus()).isEqualTo(Examples.finishedImageListStatus());
    assertThat(read.getSpec()).isEqualTo(Examples.imageList(Names.IMAGE_LIST).getSpec());
  }

  @Test
  void createAndUpdateLeaveTheStatusAlone() {
    ImageList withStatus = Examples.imageList("with-status");
    withStatus.setStatus(Examples.finishedImageListStatus());

    ImageList created = client.resource(withStatus).create();
    created.setStatus(Examples.finishedImageListStatus());
    created.getSpec().setImages(List.of("redis:7"));
    client.resource(created).update();

    ImageList read = client.resources(ImageList.class).withName("with-status").get();
    assertThat(read.getStatus()).isNull();
    assertThat(read.getSpec().getImages()).containsExactly("redis:7");
  }

  @Test
  void imageJobStatusWithNodeResultsReadsBackUnchanged() {
    ImageJob job = Examples.imageJob(null);
    job.getMetadata().setGenerateName("imagejob-");
    ImageJob created = client.resource(job).create();
    created.setStatus(Examples.runningImageJobStatus());

    client.resource(created).updateStatus();

    String name = created.getMetadata().getName();
    ImageJob read = client.resources(ImageJob.class).withName(name).get();
    assertThat(read.getStatus()).isEqualTo(Examples.runningImageJobStatus());
    assertThat(read.getMetadata().getLabels())
        .containsEntry(Names.JOB_OWNER_LABEL, Names.JOB_OWNER_IMAGE_LIST);
  }

  @Test
  void imageJobIsStoredInTheWireFormatOfTheOriginal() {
    ImageJob created = client.resource(Examples.imageJob("imagejob-wire")).create();
    created.setStatus(Examples.runningImageJobStatus());
    client.resource(created).updateStatus();

    GenericKubernetesResource raw = imageJobs().withName("imagejob-wire").get();

    assertThat(raw.<Object>get("spec")).isNull();
    assertThat(raw.<String>get("status", "phase")).isEqualTo("Running");
    assertThat(raw.<Integer>get("status", "desired")).isEqualTo(4);
    assertThat(raw.<String>get("status", "deleteAfter")).isEqualTo("2026-03-01T10:25:30Z");
    assertThat(raw.<String>get("status", "nodes", 0, "result")).isEqualTo("Succeeded");
    assertThat(raw.<Integer>get("status", "nodes", 0, "inUse")).isEqualTo(1);
  }

  @Test
  void newImageJobHasTheEmptyPhase() {
    ImageJob created = client.resource(Examples.imageJob("imagejob-new")).create();
    created.setStatus(new ImageJobStatus());
    client.resource(created).updateStatus();

    GenericKubernetesResource raw = imageJobs().withName("imagejob-new").get();
    ImageJob read = client.resources(ImageJob.class).withName("imagejob-new").get();

    assertThat(raw.<String>get("status", "phase")).isEmpty();
    assertThat(read.getStatus().getPhase()).isEqualTo(JobPhase.NEW);
  }

  private static NonNamespaceOperation<
          GenericKubernetesResource,
          GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      imageJobs() {
    return client.genericKubernetesResources(
        new ResourceDefinitionContext.Builder()
            .withGroup(Names.GROUP)
            .withVersion("v1")
            .withKind("ImageJob")
            .withPlural("imagejobs")
            .withNamespaced(false)
            .build());
  }
}
