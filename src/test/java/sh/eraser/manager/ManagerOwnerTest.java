package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class ManagerOwnerTest {

  KubernetesClient client;

  @BeforeAll
  static void quiet() {
    MockApi.quiet();
  }

  @Test
  void followsThePodToItsReplicaSetAndOnToTheDeployment() {
    Deployment deployment = MockApi.managerDeployment(client);

    assertThat(ManagerOwner.find(client, MockApi.NAMESPACE, MockApi.MANAGER_POD))
        .hasValueSatisfying(
            ref -> {
              assertThat(ref.getApiVersion()).isEqualTo("apps/v1");
              assertThat(ref.getKind()).isEqualTo("Deployment");
              assertThat(ref.getName()).isEqualTo("eraser-controller-manager");
              assertThat(ref.getUid()).isEqualTo(deployment.getMetadata().getUid()).isNotBlank();
              assertThat(ref.getController()).isFalse();
              assertThat(ref.getBlockOwnerDeletion()).isFalse();
            });
  }

  @Test
  void withoutAPodNameThereIsNoOwner() {
    MockApi.managerDeployment(client);

    assertThat(ManagerOwner.find(client, MockApi.NAMESPACE, null)).isEmpty();
    assertThat(ManagerOwner.find(client, MockApi.NAMESPACE, "")).isEmpty();
  }

  @Test
  void aPodThatIsNotThereHasNoOwner() {
    assertThat(ManagerOwner.find(client, MockApi.NAMESPACE, "gone")).isEmpty();
  }

  @Test
  void aPodStartedByHandHasNoOwner() {
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName("by-hand")
                .withNamespace(MockApi.NAMESPACE)
                .endMetadata()
                .build())
        .create();

    assertThat(ManagerOwner.find(client, MockApi.NAMESPACE, "by-hand")).isEmpty();
  }

  @Test
  void aDeletedDeploymentOrReplicaSetEndsTheChain() {
    MockApi.managerDeployment(client);
    client.apps().deployments().inNamespace(MockApi.NAMESPACE).delete();

    assertThat(ManagerOwner.find(client, MockApi.NAMESPACE, MockApi.MANAGER_POD)).isEmpty();

    client.apps().replicaSets().inNamespace(MockApi.NAMESPACE).delete();

    assertThat(ManagerOwner.find(client, MockApi.NAMESPACE, MockApi.MANAGER_POD)).isEmpty();
  }
}
