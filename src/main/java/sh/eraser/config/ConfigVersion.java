package sh.eraser.config;

import java.util.Arrays;
import java.util.Optional;

/** The apiVersions of EraserConfig, and where their schemas differ. */
enum ConfigVersion {
  V1ALPHA1("eraser.sh/v1alpha1"),
  V1ALPHA2("eraser.sh/v1alpha2"),
  V1ALPHA3("eraser.sh/v1alpha3");

  private final String apiVersion;

  ConfigVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  String apiVersion() {
    return apiVersion;
  }

  static Optional<ConfigVersion> of(String apiVersion) {
    return Arrays.stream(values()).filter(v -> v.apiVersion.equals(apiVersion)).findFirst();
  }

  /** The key of the remover under {@code components}: v1alpha1 still called it the eraser. */
  String removerKey() {
    return this == V1ALPHA1 ? "eraser" : "remover";
  }

  /** Whether {@code manager.runtime} is {@code {name, address}} rather than a plain name. */
  boolean runtimeIsObject() {
    return this == V1ALPHA3;
  }

  boolean hasAdditionalPodLabels() {
    return this == V1ALPHA3;
  }
}
