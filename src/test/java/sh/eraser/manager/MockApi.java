package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;
import sh.eraser.api.v1.ImageJob;

/** What the manager tests do with fabric8's mock API server in CRUD mode. */
final class MockApi {

  static final String NAMESPACE = "eraser-system";

  /** The manager's pod in {@link #managerDeployment}'s chain. */
  static final String MANAGER_POD = "eraser-controller-manager-7d4b9c-x2k8q";

  // The mock server logs every request through java.util.logging at INFO. JUL holds loggers
  // weakly, so keep this one or its level is lost.
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  private MockApi() {}

  /** Keeps the mock server's request log out of the test output. */
  static void quiet() {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  /**
   * Creates the committed CRDs (Surefire runs in the project directory), so that status is a
   * subresource in the mock as on a real API server.
   */
  static void installCrds(KubernetesClient client) {
    try (Stream<Path> files = Files.list(Path.of("crds"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yml")).sorted().toList()) {
        try (InputStream in = Files.newInputStream(file)) {
          CustomResourceDefinition crd =
              client.getKubernetesSerialization().unmarshal(in, CustomResourceDefinition.class);
          client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the CRDs in crds/", e);
    }
  }

  /** The manager's ConfigMap holding {@code document}. */
  static ConfigMap managerConfig(String document) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(ConfigSource.DEFAULT_CONFIGMAP_NAME)
        .withNamespace(NAMESPACE)
        .endMetadata()
        .addToData(ConfigSource.CONFIG_KEY, document)
        .build();
  }

  /** The Events recorded in any namespace about the object named {@code name}. */
  static List<Event> eventsAbout(KubernetesClient client, String name) {
    return client.v1().events().inAnyNamespace().list().getItems().stream()
        .filter(e -> name.equals(e.getInvolvedObject().getName()))
        .toList();
  }

  /** The worker pods of one job, found by the job-name label. */
  static List<Pod> podsOf(KubernetesClient client, ImageJob job) {
    return client
        .pods()
        .inNamespace(NAMESPACE)
        .withLabel(Labels.JOB_NAME_LABEL, job.getMetadata().getName())
        .list()
        .getItems();
  }

  /** The ConfigMaps of one job, found by the job-name label. */
  static List<ConfigMap> configMapsOf(KubernetesClient client, ImageJob job) {
    return client
        .configMaps()
        .inNamespace(NAMESPACE)
        .withLabel(Labels.JOB_NAME_LABEL, job.getMetadata().getName())
        .list()
        .getItems();
  }

  /**
   * The manager's Deployment, with the ReplicaSet it controls and the pod {@link #MANAGER_POD} that
   * ReplicaSet controls, each linked to the next by a controller reference as the Deployment and
   * ReplicaSet controllers would link them.
   */
  static Deployment managerDeployment(KubernetesClient client) {
    Deployment deployment =
        client
            .resource(
                new DeploymentBuilder()
                    .withNewMetadata()
                    .withName("eraser-controller-manager")
                    .withNamespace(NAMESPACE)
                    .endMetadata()
                    .build())
            .create();
    ReplicaSet replicaSet =
        client
            .resource(
                new ReplicaSetBuilder()
                    .withNewMetadata()
                    .withName("eraser-controller-manager-7d4b9c")
                    .withNamespace(NAMESPACE)
                    .withOwnerReferences(ManualJob.controllerReference(deployment))
                    .endMetadata()
                    .build())
            .create();
    client
        .resource(
            new PodBuilder()
                .withNewMetadata()
                .withName(MANAGER_POD)
                .withNamespace(NAMESPACE)
                .withOwnerReferences(ManualJob.controllerReference(replicaSet))
                .endMetadata()
                .build())
        .create();
    return deployment;
  }

  /** A pod or ConfigMap labelled as an object of the job named {@code job}. */
  static <T extends HasMetadata> T labelledFor(T object, String name, String job) {
    object.setMetadata(
        new ObjectMetaBuilder()
            .withName(name)
            .withNamespace(NAMESPACE)
            .withLabels(Labels.jobSelector(job))
            .build());
    return object;
  }

  /** Writes a pod's status as the kubelet would. */
  static void setPodStatus(KubernetesClient client, Pod pod, PodStatus status) {
    client
        .pods()
        .inNamespace(NAMESPACE)
        .withName(pod.getMetadata().getName())
        .editStatus(
            current -> {
              current.setStatus(status);
              return current;
            });
  }

  /** A Linux node whose Ready condition has the given status. */
  static Node node(String name, String ready) {
    return new NodeBuilder()
        .withNewMetadata()
        .withName(name)
        .addToLabels("kubernetes.io/os", "linux")
        .endMetadata()
        .withNewStatus()
        .addNewCondition()
        .withType("Ready")
        .withStatus(ready)
        .endCondition()
        .endStatus()
        .build();
  }
}
