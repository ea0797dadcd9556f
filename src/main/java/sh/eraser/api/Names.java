package sh.eraser.api;

/**
 * The API group, object names, label keys and label values that the manager, the workers and the
 * chart share; naming has this one source.
 */
public final class Names {

  /** The API group of both custom resources. */
  public static final String GROUP = "eraser.sh";

  /** The only ImageList the manager acts on; ImageLists with any other name are ignored. */
  public static final String IMAGE_LIST = "imagelist";

  /** Label on an ImageJob naming the controller that started it. */
  public static final String JOB_OWNER_LABEL = "eraser.sh/job-owner";

  /** {@link #JOB_OWNER_LABEL} value of jobs started for the ImageList (manual mode). */
  public static final String JOB_OWNER_IMAGE_LIST = "imagelist-controller";

  /** {@link #JOB_OWNER_LABEL} value of jobs started by the timer (scheduled mode). */
  public static final String JOB_OWNER_COLLECTOR = "imagecollector";

  /** Label on worker pods saying which mode started them. */
  public static final String TYPE_LABEL = "eraser.sh/type";

  /** {@link #TYPE_LABEL} value of worker pods that only remove the ImageList's images. */
  public static final String TYPE_MANUAL = "manual";

  /** {@link #TYPE_LABEL} value of worker pods that collect, scan and remove. */
  public static final String TYPE_COLLECTOR = "collector";

  /**
   * Label that marks a ConfigMap in the eraser namespace as an exclusion list when its value is
   * {@code "true"}.
   */
  public static final String EXCLUDE_LIST_LABEL = "eraser.sh/exclude.list";

  /**
   * Node label that the node filter always selects on: nodes carrying it are skipped (filter type
   * exclude) or are the only ones cleaned (filter type include).
   */
  public static final String CLEANUP_FILTER_LABEL = "eraser.sh/cleanup.filter";

  private Names() {}
}
