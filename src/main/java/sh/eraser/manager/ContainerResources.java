package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import sh.eraser.config.EraserConfig.Component;

/** A worker container's resources from its component's configuration. */
final class ContainerResources {

  private ContainerResources() {}

  /**
   * Requests for CPU and memory, a limit for memory only: {@code limit.cpu} is read but, as in the
   * original Eraser, not applied, so a busy node throttles no worker. A zero or empty quantity sets
   * nothing.
   */
  static ResourceRequirements of(Component component) {
    Map<String, Quantity> requests = new LinkedHashMap<>();
    putIfSet(requests, "cpu", component.request().cpu());
    putIfSet(requests, "memory", component.request().mem());
    Map<String, Quantity> limits = new LinkedHashMap<>();
    putIfSet(limits, "memory", component.limit().mem());
    return new ResourceRequirementsBuilder().withRequests(requests).withLimits(limits).build();
  }

  private static void putIfSet(Map<String, Quantity> resources, String name, String amount) {
    if (amount == null || amount.isBlank()) {
      return;
    }
    Quantity quantity = new Quantity(amount);
    if (quantity.getNumericalAmount().signum() != 0) {
      resources.put(name, quantity);
    }
  }
}
