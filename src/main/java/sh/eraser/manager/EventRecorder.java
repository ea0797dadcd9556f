package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records core v1 Events about objects, so that {@code kubectl describe} and {@code kubectl get
 * events} show what the manager thinks of them.
 */
final class EventRecorder {

  /** The component named in every Event's source. */
  static final String COMPONENT = "eraser-manager";

  /** Where Events about cluster-scoped objects (ImageLists, ImageJobs) go. */
  static final String CLUSTER_SCOPED_EVENTS_NAMESPACE = "default";

  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);

  private final KubernetesClient client;

  EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  /**
   * Records a Warning Event in the object's namespace. An Event that cannot be written is logged
   * and dropped: it reports a state, it never decides one.
   */
  void warning(ObjectReference involved, String reason, String message) {
    record(involved.getNamespace(), build(involved, "Warning", reason, message));
  }

  /**
   * Records an Event about a cluster-scoped object. Such an object has no namespace of its own, and
   * the API server accepts its Events only in {@value #CLUSTER_SCOPED_EVENTS_NAMESPACE} (as it does
   * for Nodes); {@code kubectl describe} finds them there.
   */
  void recordClusterScoped(
      ObjectReference involved, boolean warning, String reason, String message) {
    Event event = build(involved, warning ? "Warning" : "Normal", reason, message);
    event.getMetadata().setNamespace(CLUSTER_SCOPED_EVENTS_NAMESPACE);
    record(CLUSTER_SCOPED_EVENTS_NAMESPACE, event);
  }

  private void record(String namespace, Event event) {
    try {
      client.v1().events().inNamespace(namespace).resource(event).create();
    } catch (KubernetesClientException e) {
      log.warn(
          "cannot record the Event {} ({}): {}",
          event.getReason(),
          event.getMessage(),
          e.getMessage());
    }
  }

  static Event build(ObjectReference involved, String type, String reason, String message) {
    // Event times are RFC 3339 in whole seconds, as the API server writes them.
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
    return new EventBuilder()
        .withNewMetadata()
        .withGenerateName(involved.getName() + ".")
        .withNamespace(involved.getNamespace())
        .endMetadata()
        .withInvolvedObject(involved)
        .withType(type)
        .withReason(reason)
        .withMessage(message)
        .withCount(1)
        .withFirstTimestamp(now)
        .withLastTimestamp(now)
        .withNewSource()
        .withComponent(COMPONENT)
        .endSource()
        .withReportingComponent(COMPONENT)
        .build();
  }
}
