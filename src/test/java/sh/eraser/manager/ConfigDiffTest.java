package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.EraserConfigLoader;

class ConfigDiffTest {

  private final EraserConfigLoader loader = new EraserConfigLoader("test");

  @Test
  void namesTheChangedSettingsOneLevelBelowTheTop() {
    EraserConfig edited =
        loader
            .load(
                """
                apiVersion: eraser.sh/v1alpha3
                kind: EraserConfig
                manager: {scheduling: {repeatInterval: 1h}, pullSecrets: [regcred]}
                components: {scanner: {enabled: true}}
                """)
            .config();

    assertThat(ConfigDiff.changedKeys(loader.defaults(), edited))
        .containsExactly("manager.scheduling", "manager.pullSecrets", "components.scanner");
  }

  @Test
  void namesNothingWhenOnlyTheWritingDiffers() {
    EraserConfig v1alpha2 =
        loader
            .load(
                "apiVersion: eraser.sh/v1alpha2\nkind: EraserConfig\n"
                    + "manager: {runtime: containerd, scheduling: {repeatInterval: 24h}}\n")
            .config();

    assertThat(ConfigDiff.changedKeys(loader.defaults(), v1alpha2)).isEmpty();
  }
}
