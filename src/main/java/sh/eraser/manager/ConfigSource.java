package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.EraserConfigLoader;
import sh.eraser.config.InvalidConfigException;
import sh.eraser.config.ParsedConfig;

/**
 * The manager's active configuration: either fixed at start (from {@code --config}) or read from
 * the {@code eraser-manager-config} ConfigMap and replaced, as a whole, on every valid edit. An
 * invalid edit leaves the previous configuration in force and is reported in a Warning Event on the
 * ConfigMap.
 */
public final class ConfigSource implements AutoCloseable {

  /** The ConfigMap key that holds the EraserConfig document, as the original names it. */
  public static final String CONFIG_KEY = "controller_manager_config.yaml";

  /** The default name of the ConfigMap, used unless {@code ERASER_CONFIGMAP_NAME} says else. */
  public static final String DEFAULT_CONFIGMAP_NAME = "eraser-manager-config";

  /** Event reason for an edit that was rejected. */
  static final String REASON_INVALID = "InvalidConfig";

  /** Event reason for a missing ConfigMap at start. */
  static final String REASON_MISSING = "ConfigMapMissing";

  private static final Logger log = LoggerFactory.getLogger(ConfigSource.class);

  /** Receives every configuration that replaces the active one. */
  @FunctionalInterface
  public interface Listener {

    /** Called after {@code current} has become active; must not block. */
    void configChanged(EraserConfig previous, EraserConfig current);
  }

  private final AtomicReference<EraserConfig> active;
  private final List<Listener> listeners = new CopyOnWriteArrayList<>();
  private final Watched watched;

  private ConfigSource(EraserConfig initial, Watched watched) {
    this.active = new AtomicReference<>(initial);
    this.watched = watched;
  }

  /** A source that always answers {@code config}: the {@code --config FILE} case. */
  public static ConfigSource fixed(EraserConfig config) {
    return new ConfigSource(Objects.requireNonNull(config), null);
  }

  /**
   * A source that follows a ConfigMap once {@link #start()} is called. Until then, and for as long
   * as the ConfigMap does not exist, it answers {@code loader}'s code defaults.
   *
   * @param namespace the manager's namespace, where the ConfigMap lives
   * @param name the ConfigMap's name
   */
  public static ConfigSource watching(
      KubernetesClient client, String namespace, String name, EraserConfigLoader loader) {
    return new ConfigSource(
        loader.defaults(), new Watched(client, namespace, name, loader, new EventRecorder(client)));
  }

  /** The configuration in force now. Callers read it once per run and keep that snapshot. */
  public EraserConfig current() {
    return active.get();
  }

  /** Registers a listener for later replacements; it is not called for the current config. */
  public void addListener(Listener listener) {
    listeners.add(Objects.requireNonNull(listener));
  }

  /**
   * Reads the ConfigMap and starts following it; returns once the first state is applied. Does
   * nothing for a fixed source.
   *
   * @throws InvalidConfigException when the ConfigMap exists but holds no valid configuration: with
   *     no earlier valid configuration to keep, the manager does not start
   * @throws KubernetesClientException when the ConfigMap cannot be read or watched
   */
  public void start() {
    if (watched == null) {
      return;
    }
    watched.start(this);
  }

  /** Stops following the ConfigMap. */
  @Override
  public void close() {
    if (watched != null) {
      watched.close();
    }
  }

  /** Whether this source follows a ConfigMap (rather than a file read once). */
  public boolean isWatching() {
    return watched != null;
  }

  /** Makes {@code next} the active configuration, first at start, then on each valid edit. */
  private void replace(EraserConfig next, boolean atStart) {
    EraserConfig previous = active.getAndSet(next);
    List<String> changed = ConfigDiff.changedKeys(previous, next);
    if (atStart) {
      log.info("configuration read; differs from the defaults in: {}", listed(changed));
      return;
    }
    if (changed.isEmpty()) {
      log.debug("configuration applied; no setting changed");
      return;
    }
    log.info("configuration applied; changed: {}", listed(changed));
    for (Listener listener : listeners) {
      try {
        listener.configChanged(previous, next);
      } catch (RuntimeException e) {
        // One broken listener must not keep the others on the old configuration.
        log.error("a configuration listener failed", e);
      }
    }
  }

  private static String listed(List<String> keys) {
    return keys.isEmpty() ? "nothing" : String.join(", ", keys);
  }

  /** The ConfigMap side: the informer, and what is done with each version of the ConfigMap. */
  private static final class Watched implements ResourceEventHandler<ConfigMap> {

    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final EraserConfigLoader loader;
    private final EventRecorder events;
    private ConfigSource source;
    private SharedIndexInformer<ConfigMap> informer;
    // The last resourceVersion looked at, valid or not: a relist delivers it again.
    private String seenVersion;

    Watched(
        KubernetesClient client,
        String namespace,
        String name,
        EraserConfigLoader loader,
        EventRecorder events) {
      this.client = client;
      this.namespace = namespace;
      this.name = name;
      this.loader = loader;
      this.events = events;
    }

    /**
     * Holds the lock from the first list until the first state is applied: the informer's own
     * notifications wait, and then find that version already seen.
     */
    synchronized void start(ConfigSource source) {
      this.source = source;
      try {
        // inform() returns after the first list, so the cache below holds the current state.
        informer = client.configMaps().inNamespace(namespace).withName(name).inform(this, 0);
      } catch (KubernetesClientException e) {
        throw new KubernetesClientException(
            "cannot watch ConfigMap " + namespace + "/" + name + ": " + e.getMessage(), e);
      }
      try {
        ConfigMap present = informer.getStore().getByKey(namespace + "/" + name);
        identified(() -> applyAtStart(present));
      } catch (RuntimeException e) {
        informer.close();
        throw e;
      }
    }

    void close() {
      if (informer != null) {
        informer.close();
      }
    }

    @Override
    public void onAdd(ConfigMap configMap) {
      onChange(configMap);
    }

    @Override
    public void onUpdate(ConfigMap previous, ConfigMap configMap) {
      onChange(configMap);
    }

    @Override
    public void onDelete(ConfigMap configMap, boolean finalStateUnknown) {
      identified(() -> log.warn("ConfigMap deleted; the last valid configuration stays in force"));
    }

    private void reportMissing() {
      String message =
          "ConfigMap " + namespace + "/" + name + " not found; using the built-in defaults";
      log.warn("{}", message);
      events.warning(reference(null), REASON_MISSING, message);
    }

    /** Applies the state found at start: the ConfigMap, or null when there is none. */
    private void applyAtStart(ConfigMap configMap) {
      if (configMap == null) {
        reportMissing();
        return;
      }
      seenVersion = configMap.getMetadata().getResourceVersion();
      try {
        source.replace(parse(configMap), true);
      } catch (InvalidConfigException e) {
        events.warning(reference(configMap), REASON_INVALID, e.getMessage());
        throw new InvalidConfigException(
            List.of("ConfigMap " + namespace + "/" + name + ": " + e.getMessage()));
      }
    }

    private synchronized void onChange(ConfigMap configMap) {
      String version = configMap.getMetadata().getResourceVersion();
      if (Objects.equals(version, seenVersion)) {
        return;
      }
      seenVersion = version;
      identified(() -> apply(configMap));
    }

    private void apply(ConfigMap configMap) {
      try {
        source.replace(parse(configMap), false);
      } catch (InvalidConfigException e) {
        log.warn("configuration rejected, the previous one stays in force: {}", e.getMessage());
        events.warning(reference(configMap), REASON_INVALID, e.getMessage());
      }
    }

    private EraserConfig parse(ConfigMap configMap) {
      String document = configMap.getData() == null ? null : configMap.getData().get(CONFIG_KEY);
      if (document == null) {
        throw new InvalidConfigException(CONFIG_KEY + ": missing from the ConfigMap's data");
      }
      ParsedConfig<EraserConfig> parsed = loader.load(document);
      parsed.warnings().forEach(warning -> log.warn("configuration: {}", warning));
      return parsed.config();
    }

    private ObjectReference reference(ConfigMap configMap) {
      ObjectReferenceBuilder ref =
          new ObjectReferenceBuilder()
              .withApiVersion("v1")
              .withKind("ConfigMap")
              .withNamespace(namespace)
              .withName(name);
      if (configMap != null) {
        ref.withUid(configMap.getMetadata().getUid())
            .withResourceVersion(configMap.getMetadata().getResourceVersion());
      }
      return ref.build();
    }

    private void identified(Runnable body) {
      LogContext.about("v1", "ConfigMap", namespace, name, body);
    }
  }
}
