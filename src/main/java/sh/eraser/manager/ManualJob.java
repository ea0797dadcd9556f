package sh.eraser.manager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageJob;
import sh.eraser.api.v1.ImageList;

/**
 * The objects of one manual run, built from the ImageList: the ImageJob and the ConfigMap that
 * hands the images to the workers. Pure; the API calls are {@link ImageJobs}'.
 */
final class ManualJob {

  /** Annotation on an ImageJob: the ImageList generation the run acts on. */
  static final String GENERATION_ANNOTATION = "eraser.sh/imagelist-generation";

  /** Annotation on an ImageJob: when pods still unfinished stop being waited for. */
  static final String DEADLINE_ANNOTATION = "eraser.sh/deadline";

  /**
   * How long a run waits for its worker pods. Not configurable: the upstream configuration has no
   * key for it, and a remover that takes longer than this on one node is stuck, not slow.
   */
  static final Duration RUN_DEADLINE = Duration.ofHours(1);

  static final String JOB_GENERATE_NAME = "imagejob-";
  static final String CONFIG_MAP_GENERATE_NAME = "imagelist-";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ManualJob() {}

  /** The ImageJob of a run of {@code list}, started now, owned by the list. */
  static ImageJob imageJob(ImageList list, Instant deadline) {
    ImageJob job = new ImageJob();
    job.setMetadata(
        new ObjectMetaBuilder()
            .withGenerateName(JOB_GENERATE_NAME)
            .withLabels(Map.of(Names.JOB_OWNER_LABEL, Names.JOB_OWNER_IMAGE_LIST))
            .withAnnotations(
                Map.of(
                    GENERATION_ANNOTATION,
                    String.valueOf(list.getMetadata().getGeneration()),
                    DEADLINE_ANNOTATION,
                    deadline.toString()))
            .withOwnerReferences(controllerReference(list))
            .build());
    return job;
  }

  /**
   * The immutable ConfigMap holding the list's images as a JSON array, labelled with the job and
   * owned by {@code owner}: the manager's Deployment, or the job (a namespaced object may have a
   * cluster-scoped owner).
   */
  static ConfigMap imageListConfigMap(
      ImageList list, ImageJob job, OwnerReference owner, String namespace) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withGenerateName(CONFIG_MAP_GENERATE_NAME)
        .withNamespace(namespace)
        .withLabels(Labels.jobSelector(job.getMetadata().getName()))
        .withOwnerReferences(owner)
        .endMetadata()
        .withImmutable(true)
        .addToData(WorkerNames.IMAGE_LIST_KEY, imagesJson(list))
        .build();
  }

  /** A controller reference to {@code owner}, which blocks the owner's foreground deletion. */
  static OwnerReference controllerReference(HasMetadata owner) {
    return new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(owner.getMetadata().getUid())
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build();
  }

  /** Whether {@code job} is a run of {@code list}: it names the list's UID as an owner. */
  static boolean ownedBy(ImageJob job, ImageList list) {
    String uid = list.getMetadata().getUid();
    return job.getMetadata().getOwnerReferences().stream()
        .anyMatch(ref -> uid != null && uid.equals(ref.getUid()));
  }

  /** The ImageList generation the run acts on; 0 when the annotation is missing or mangled. */
  static long generation(ImageJob job) {
    try {
      return Long.parseLong(annotation(job, GENERATION_ANNOTATION).orElse("0"));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The run's deadline. A missing or mangled annotation means the deadline has passed, so that the
   * job ends rather than waits for ever.
   */
  static Instant deadline(ImageJob job) {
    try {
      return annotation(job, DEADLINE_ANNOTATION).map(Instant::parse).orElse(Instant.EPOCH);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private static Optional<String> annotation(ImageJob job, String key) {
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    return annotations == null ? Optional.empty() : Optional.ofNullable(annotations.get(key));
  }

  private static String imagesJson(ImageList list) {
    try {
      return JSON.writeValueAsString(list.getSpec().getImages());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the images as JSON", e);
    }
  }
}
