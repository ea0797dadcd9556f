package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import sh.eraser.api.ImageListStatus;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageList;

@EnableKubernetesMockClient(crud = true)
class ImageListReconcilerTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  KubernetesClient client;

  private Operator operator;

  @BeforeAll
  static void quiet() {
    MockApi.quiet();
  }

  @BeforeEach
  void startOperator() {
    MockApi.installCrds(client);
    operator =
        new Operator(
            o ->
                o.withKubernetesClient(client)
                    .withCloseClientOnStop(false)
                    .withUseSSAToPatchPrimaryResource(false));
    operator.register(new ImageListReconciler());
    operator.start();
  }

  @AfterEach
  void stopOperator() {
    operator.stop();
  }

  @Test
  void anImageListWithAnotherNameIsMarkedIgnoredAndNothingElse() {
    client.resource(new ImageList("my-list", List.of("docker.io/library/alpine:3.18"))).create();

    ImageListStatus status = awaitStatus("my-list");

    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Ignored");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getReason()).isEqualTo("NotNamedImagelist");
              assertThat(c.getMessage())
                  .isEqualTo("only the ImageList named \"imagelist\" is acted on");
              assertThat(c.getObservedGeneration()).isEqualTo(1L);
              assertThat(c.getLastTransitionTime()).isNotBlank();
            });
    assertThat(status.getPhase()).isNull();
    assertThat(status.getLastJob()).isNull();
    assertThat(client.resources(sh.eraser.api.v1.ImageJob.class).list().getItems()).isEmpty();
  }

  @Test
  void theImageListNamedImagelistIsAcceptedWithItsGeneration() {
    client.resource(new ImageList(Names.IMAGE_LIST, List.of("alpine"))).create();

    ImageListStatus status = awaitStatus(Names.IMAGE_LIST);

    assertThat(status.getObservedGeneration()).isEqualTo(1L);
    assertThat(status.getConditions())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.getType()).isEqualTo("Accepted");
              assertThat(c.getStatus()).isEqualTo("True");
              assertThat(c.getObservedGeneration()).isEqualTo(1L);
            });
  }

  @Test
  void aSpecEditIsObservedAndKeepsTheTransitionTime() {
    client.resource(new ImageList(Names.IMAGE_LIST, List.of("alpine"))).create();
    Condition first = awaitStatus(Names.IMAGE_LIST).getConditions().get(0);

    client
        .resources(ImageList.class)
        .withName(Names.IMAGE_LIST)
        .edit(
            list -> {
              list.getSpec().setImages(List.of("alpine", "redis:7"));
              return list;
            });

    await()
        .atMost(WAIT)
        .until(() -> Long.valueOf(2).equals(read(Names.IMAGE_LIST).getObservedGeneration()));
    Condition second = read(Names.IMAGE_LIST).getConditions().get(0);
    assertThat(second.getObservedGeneration()).isEqualTo(2L);
    assertThat(second.getLastTransitionTime()).isEqualTo(first.getLastTransitionTime());
  }

  private ImageListStatus awaitStatus(String name) {
    await().atMost(WAIT).until(() -> read(name) != null);
    return read(name);
  }

  private ImageListStatus read(String name) {
    ImageList list = client.resources(ImageList.class).withName(name).get();
    return list == null ? null : list.getStatus();
  }
}
