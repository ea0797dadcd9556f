package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.HttpURLConnection;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the manager's own Deployment, by following the controller owner references from its pod to
 * the ReplicaSet and on to the Deployment, so that the objects of a run can be owned by it.
 */
final class ManagerOwner {

  private static final Logger log = LoggerFactory.getLogger(ManagerOwner.class);

  private ManagerOwner() {}

  /**
   * A reference to the Deployment that runs the pod {@code podName} in {@code namespace}; empty
   * when the pod name is unknown or a link of the chain is missing. It neither controls its
   * dependents nor blocks the Deployment's deletion: it is there only so that the garbage collector
   * deletes them with the Deployment.
   */
  static Optional<OwnerReference> find(KubernetesClient client, String namespace, String podName) {
    Optional<OwnerReference> owner = Optional.empty();
    try {
      owner = deploymentOf(client, namespace, podName);
    } catch (KubernetesClientException e) {
      if (e.getCode() != HttpURLConnection.HTTP_FORBIDDEN) {
        throw new KubernetesClientException("cannot find the manager's Deployment", e);
      }
      log.warn("cannot read the manager's pod, ReplicaSet or Deployment: {}", e.getMessage());
    }
    if (owner.isEmpty()) {
      log.info("running outside a Deployment: runs are owned by their ImageJob");
    } else {
      log.info("runs are owned by the Deployment {}", owner.get().getName());
    }
    return owner;
  }

  private static Optional<OwnerReference> deploymentOf(
      KubernetesClient client, String namespace, String podName) {
    if (podName == null || podName.isBlank()) {
      return Optional.empty();
    }
    Pod pod = client.pods().inNamespace(namespace).withName(podName).get();
    Optional<String> replicaSet = controller(pod, "ReplicaSet");
    if (replicaSet.isEmpty()) {
      return Optional.empty();
    }
    ReplicaSet set =
        client.apps().replicaSets().inNamespace(namespace).withName(replicaSet.get()).get();
    Optional<String> deployment = controller(set, "Deployment");
    if (deployment.isEmpty()) {
      return Optional.empty();
    }
    Deployment found =
        client.apps().deployments().inNamespace(namespace).withName(deployment.get()).get();
    return Optional.ofNullable(found).map(ManagerOwner::reference);
  }

  /** The name of the object's controller of {@code kind}; empty without one or without object. */
  private static Optional<String> controller(HasMetadata object, String kind) {
    if (object == null) {
      return Optional.empty();
    }
    return object.getMetadata().getOwnerReferences().stream()
        .filter(ref -> Boolean.TRUE.equals(ref.getController()) && kind.equals(ref.getKind()))
        .map(OwnerReference::getName)
        .findFirst();
  }

  private static OwnerReference reference(Deployment deployment) {
    return new OwnerReferenceBuilder()
        .withApiVersion("apps/v1")
        .withKind("Deployment")
        .withName(deployment.getMetadata().getName())
        .withUid(deployment.getMetadata().getUid())
        .withController(false)
        .withBlockOwnerDeletion(false)
        .build();
  }
}
