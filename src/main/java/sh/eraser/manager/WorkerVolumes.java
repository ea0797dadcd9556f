package sh.eraser.manager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import sh.eraser.config.EraserConfig;

/** The volumes of one job's worker pods, and the mounts each container gets. */
final class WorkerVolumes {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final EraserConfig config;
  private final WorkerJob job;
  private final List<Volume> scannerVolumes;

  WorkerVolumes(EraserConfig config, WorkerJob job) {
    this.config = config;
    this.job = job;
    this.scannerVolumes = scannerRuns() ? scannerVolumes(config) : List.of();
  }

  /** Every volume of the pod; the runtime socket first. */
  List<Volume> podVolumes() {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(runtimeSocket());
    if (job.mode() instanceof WorkerMode.Manual manual) {
      volumes.add(imageList(manual.imageListConfigMap()));
    } else {
      volumes.add(emptyDir(WorkerNames.SHARED_DATA_VOLUME));
    }
    volumes.add(emptyDir(WorkerNames.REMOVER_TMP_VOLUME));
    if (scannerRuns()) {
      volumes.add(configMap(WorkerNames.MANAGER_CONFIG_VOLUME, WorkerNames.MANAGER_CONFIG_MAP));
      volumes.addAll(scannerVolumes);
    }
    List<String> exclusions = job.exclusionConfigMaps();
    for (int i = 0; i < exclusions.size(); i++) {
      volumes.add(configMap(WorkerNames.EXCLUSION_VOLUME_PREFIX + i, exclusions.get(i)));
    }
    checkNamesDistinct(volumes);
    return volumes;
  }

  /**
   * Every exclusion list, read-only, in every container. The ConfigMaps are not optional: if one
   * disappears before the pod starts, the pod waits rather than run without that list.
   */
  List<VolumeMount> exclusionMounts() {
    List<String> exclusions = job.exclusionConfigMaps();
    List<VolumeMount> mounts = new ArrayList<>();
    for (int i = 0; i < exclusions.size(); i++) {
      String path = WorkerNames.exclusionMountPath(exclusions.get(i));
      mounts.add(mount(WorkerNames.EXCLUSION_VOLUME_PREFIX + i, path, true));
    }
    return mounts;
  }

  VolumeMount sharedData() {
    return mount(WorkerNames.SHARED_DATA_VOLUME, WorkerNames.SHARED_DATA_PATH, false);
  }

  /**
   * The remover's own mounts. Its root filesystem is read-only, but the JVM unpacks Netty's native
   * transport, which Unix sockets need, into {@code /tmp}, so that is a small writable volume.
   */
  List<VolumeMount> removerMounts() {
    VolumeMount input =
        job.mode() instanceof WorkerMode.Manual
            ? mount(WorkerNames.IMAGE_LIST_VOLUME, WorkerNames.IMAGE_LIST_DIR, true)
            : sharedData();
    return List.of(input, mount(WorkerNames.REMOVER_TMP_VOLUME, "/tmp", false));
  }

  /** Shared data, the manager's configuration, and every extra hostPath volume at its own path. */
  List<VolumeMount> scannerMounts() {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(sharedData());
    mounts.add(mount(WorkerNames.MANAGER_CONFIG_VOLUME, WorkerNames.MANAGER_CONFIG_DIR, true));
    for (Volume volume : scannerVolumes) {
      if (volume.getHostPath() != null) {
        mounts.add(mount(volume.getName(), volume.getHostPath().getPath(), true));
      }
    }
    return mounts;
  }

  private boolean scannerRuns() {
    return job.mode() instanceof WorkerMode.Scheduled && config.components().scanner().enabled();
  }

  /**
   * The node's CRI socket. Type Socket makes the kubelet refuse to start the pod when nothing is
   * there, rather than create a directory in its place on the node.
   */
  private Volume runtimeSocket() {
    return new VolumeBuilder()
        .withName(WorkerNames.RUNTIME_SOCKET_VOLUME)
        .withNewHostPath()
        .withPath(socketPath(config.manager().runtime().address()))
        .withType("Socket")
        .endHostPath()
        .build();
  }

  /** The path of a {@code unix://} address, the only kind a hostPath volume can carry. */
  static String socketPath(String address) {
    String path = URI.create(address).getPath();
    if (!address.startsWith("unix://") || path == null || path.isEmpty()) {
      throw new IllegalArgumentException(
          "manager.runtime.address: \"" + address + "\" is not a unix:// socket address");
    }
    return path;
  }

  /** Only the key the remover reads, whatever else the ConfigMap holds. */
  private static Volume imageList(String configMap) {
    return new VolumeBuilder()
        .withName(WorkerNames.IMAGE_LIST_VOLUME)
        .withNewConfigMap()
        .withName(configMap)
        .addNewItem()
        .withKey(WorkerNames.IMAGE_LIST_KEY)
        .withPath(WorkerNames.IMAGE_LIST_KEY)
        .endItem()
        .endConfigMap()
        .build();
  }

  private static Volume configMap(String volumeName, String configMap) {
    return new VolumeBuilder()
        .withName(volumeName)
        .withNewConfigMap()
        .withName(configMap)
        .endConfigMap()
        .build();
  }

  private static Volume emptyDir(String name) {
    return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
  }

  private static VolumeMount mount(String volume, String path, boolean readOnly) {
    return new VolumeMountBuilder()
        .withName(volume)
        .withMountPath(path)
        .withReadOnly(readOnly ? true : null)
        .build();
  }

  private static List<Volume> scannerVolumes(EraserConfig config) {
    List<JsonNode> nodes = config.components().scanner().volumes();
    List<Volume> volumes = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      try {
        volumes.add(JSON.treeToValue(nodes.get(i), Volume.class));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "components.scanner.volumes["
                + i
                + "] is not a Kubernetes Volume: "
                + e.getOriginalMessage(),
            e);
      }
    }
    return volumes;
  }

  private static void checkNamesDistinct(List<Volume> volumes) {
    Set<String> seen = new HashSet<>();
    for (Volume volume : volumes) {
      if (!seen.add(volume.getName())) {
        throw new IllegalArgumentException(
            "components.scanner.volumes: the name \""
                + volume.getName()
                + "\" is used by more than one worker pod volume");
      }
    }
  }
}
