package sh.eraser.api.v1alpha1;

/** The warning the API server returns to every client that uses eraser.sh/v1alpha1. */
final class Deprecation {

  static final String WARNING =
      "v1alpha1 of the eraser API has been deprecated. Please migrate to v1.";

  private Deprecation() {}
}
