package sh.eraser.manager;

/**
 * Names and paths inside worker pods: containers, volumes and where they are mounted. The worker
 * commands read the same paths by default, so the pod passes as few flags as possible.
 */
public final class WorkerNames {

  public static final String COLLECTOR = "collector";
  public static final String REMOVER = "remover";

  /** The first argument that makes the one image run the scanner. */
  public static final String SCANNER_COMMAND = "scanner";

  /** The scanner container's name, fixed even for a custom scanner image. */
  public static final String SCANNER = "trivy-scanner";

  /** The ServiceAccount worker pods run as; it needs no permissions. */
  public static final String SERVICE_ACCOUNT = "eraser-imagejob-pods";

  /** The manager's ConfigMap, which the scanner reads its own settings from. */
  public static final String MANAGER_CONFIG_MAP = "eraser-manager-config";

  public static final String MANAGER_CONFIG_KEY = "controller_manager_config.yaml";

  /** The ImageList ConfigMap's key holding the images as a JSON array. */
  public static final String IMAGE_LIST_KEY = "images";

  static final String RUNTIME_SOCKET_VOLUME = "runtime-sock-volume";
  static final String SHARED_DATA_VOLUME = "shared-data";
  static final String IMAGE_LIST_VOLUME = "imagelist";
  static final String MANAGER_CONFIG_VOLUME = "eraser-config";
  static final String REMOVER_TMP_VOLUME = "remover-tmp";
  static final String EXCLUSION_VOLUME_PREFIX = "exclusion-list-";

  /** Where every container finds the node's CRI socket: the workers' default endpoint. */
  static final String RUNTIME_SOCKET_PATH = "/run/cri/cri.sock";

  /** The pipes between containers: the workers' default {@code --shared-dir}. */
  static final String SHARED_DATA_PATH = "/run/eraser.sh/shared-data";

  /** Parent of one {@code exclude-<configmap>} directory per list: the default exclusion dir. */
  static final String EXCLUSION_DIR = "/run/eraser.sh/exclude";

  static final String IMAGE_LIST_DIR = "/run/eraser.sh/imagelist";
  static final String MANAGER_CONFIG_DIR = "/config";
  static final String TERMINATION_MESSAGE_PATH = "/dev/termination-log";

  private WorkerNames() {}

  /**
   * The prefix of a worker pod's name; the API server appends a random suffix, cutting the prefix
   * short when the name would be too long.
   */
  public static String podGenerateName(String nodeName) {
    return "eraser-" + nodeName + "-";
  }

  /** Where an exclusion ConfigMap is mounted; the workers take its name from the directory. */
  static String exclusionMountPath(String configMap) {
    return EXCLUSION_DIR + "/exclude-" + configMap;
  }

  /** The file the remover reads the ImageList from. */
  static String imageListFile() {
    return IMAGE_LIST_DIR + "/" + IMAGE_LIST_KEY;
  }

  static String managerConfigFile() {
    return MANAGER_CONFIG_DIR + "/" + MANAGER_CONFIG_KEY;
  }
}
