package sh.eraser.manager;

import org.slf4j.MDC;

/**
 * Puts a resource's identity into the MDC for code that runs outside a reconcile (informer
 * handlers), under the keys the operator framework uses while it reconciles, so the log pattern
 * prints both alike.
 */
final class LogContext {

  static final String API_VERSION = "resource.apiVersion";
  static final String KIND = "resource.kind";
  static final String NAMESPACE = "resource.namespace";
  static final String NAME = "resource.name";

  private LogContext() {}

  /** Runs {@code body} with the identity in the MDC, and removes it afterwards. */
  static void about(String apiVersion, String kind, String namespace, String name, Runnable body) {
    MDC.put(API_VERSION, apiVersion);
    MDC.put(KIND, kind);
    MDC.put(NAMESPACE, namespace);
    MDC.put(NAME, name);
    try {
      body.run();
    } finally {
      MDC.remove(API_VERSION);
      MDC.remove(KIND);
      MDC.remove(NAMESPACE);
      MDC.remove(NAME);
    }
  }
}
