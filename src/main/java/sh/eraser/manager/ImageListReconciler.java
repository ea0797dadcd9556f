package sh.eraser.manager;

import io.fabric8.kubernetes.api.model.Condition;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sh.eraser.api.ImageListStatus;
import sh.eraser.api.Names;
import sh.eraser.api.v1.ImageList;

/**
 * Reconciles ImageLists (manual mode): the one named {@value Names#IMAGE_LIST} is accepted, every
 * other one is marked as ignored in its status.
 */
@ControllerConfiguration(name = Names.JOB_OWNER_IMAGE_LIST)
public final class ImageListReconciler implements Reconciler<ImageList> {

  static final String IGNORED = "Ignored";
  static final String REASON_NOT_NAMED_IMAGELIST = "NotNamedImagelist";
  static final String IGNORED_MESSAGE =
      "only the ImageList named \"" + Names.IMAGE_LIST + "\" is acted on";

  static final String ACCEPTED = "Accepted";
  static final String REASON_ACCEPTED = "NamedImagelist";
  static final String ACCEPTED_MESSAGE =
      "accepted; this version of the manager does not start removal runs yet";

  private static final Logger log = LoggerFactory.getLogger(ImageListReconciler.class);

  @Override
  public UpdateControl<ImageList> reconcile(ImageList imageList, Context<ImageList> context) {
    if (!Names.IMAGE_LIST.equals(imageList.getMetadata().getName())) {
      return record(imageList, ignored(imageList));
    }

    // Limitation: runs are not started yet. The ImageList is only acknowledged (generation and
    // condition); creating the ImageJob and its worker pods comes with the job controller.
    return record(imageList, accepted(imageList));
  }

  private static Condition ignored(ImageList imageList) {
    return Conditions.of(
        IGNORED,
        Conditions.TRUE,
        REASON_NOT_NAMED_IMAGELIST,
        IGNORED_MESSAGE,
        imageList.getMetadata().getGeneration());
  }

  private static Condition accepted(ImageList imageList) {
    return Conditions.of(
        ACCEPTED,
        Conditions.TRUE,
        REASON_ACCEPTED,
        ACCEPTED_MESSAGE,
        imageList.getMetadata().getGeneration());
  }

  /** Writes the generation and the condition, unless the status says so already. */
  private static UpdateControl<ImageList> record(ImageList imageList, Condition condition) {
    Long generation = imageList.getMetadata().getGeneration();
    ImageListStatus status =
        imageList.getStatus() == null ? new ImageListStatus() : imageList.getStatus();
    if (generation.equals(status.getObservedGeneration())
        && Conditions.holds(status.getConditions(), condition)) {
      return UpdateControl.noUpdate();
    }

    status.setObservedGeneration(generation);
    status.setConditions(Conditions.with(status.getConditions(), condition));
    imageList.setStatus(status);
    log.info(
        "condition {}={} ({}) at generation {}",
        condition.getType(),
        condition.getStatus(),
        condition.getReason(),
        generation);
    return UpdateControl.patchStatus(imageList);
  }
}
