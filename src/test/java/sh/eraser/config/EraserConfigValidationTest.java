package sh.eraser.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static sh.eraser.config.EraserConfigLoaderTest.v1alpha3;

import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class EraserConfigValidationTest {

  private final EraserConfigLoader loader = new EraserConfigLoader("v9.9.9");

  @Test
  void rejectsAnUnknownApiVersion() {
    rejecting("apiVersion: eraser.sh/v1\nkind: EraserConfig\n")
        .hasMessageStartingWith("apiVersion: \"eraser.sh/v1\" is not supported")
        .hasMessageContaining("eraser.sh/v1alpha1, eraser.sh/v1alpha2, eraser.sh/v1alpha3");
  }

  @Test
  void rejectsADocumentWithoutApiVersion() {
    rejecting("kind: EraserConfig\nmanager: {}\n").hasMessageStartingWith("apiVersion: missing");
  }

  @Test
  void rejectsAnotherKind() {
    rejecting("apiVersion: eraser.sh/v1alpha3\nkind: ConfigMap\n")
        .hasMessage("kind: \"ConfigMap\" is wrong (expected EraserConfig)");
  }

  @Test
  void rejectsBrokenYamlNamingTheLine() {
    rejecting(
            """
            apiVersion: eraser.sh/v1alpha3
            kind: EraserConfig
            manager:
              scheduling: {repeatInterval: 1h
            components: {}
            """)
        .hasMessageStartingWith("the document is not valid YAML at line 5");
  }

  @Test
  void rejectsAKeyGivenTwice() {
    rejecting(v1alpha3("manager: {logLevel: info}\nmanager: {logLevel: debug}\n"))
        .hasMessageContaining("line 4")
        .hasMessageContaining("manager");
  }

  @Test
  void rejectsAnEmptyDocument() {
    rejecting("  \n").hasMessage("the document is empty");
  }

  @Test
  void rejectsTextThatIsNotADuration() {
    rejecting(v1alpha3("manager: {scheduling: {repeatInterval: 300}}"))
        .hasMessageStartingWith(
            "manager.scheduling.repeatInterval: \"300\" is not a duration (expected e.g. 30s");
    rejecting(v1alpha3("manager: {imageJob: {cleanup: {delayOnFailure: 1d}}}"))
        .hasMessageStartingWith(
            "manager.imageJob.cleanup.delayOnFailure: \"1d\" is not a duration");
  }

  @Test
  void rejectsNegativeDurations() {
    rejecting(v1alpha3("manager: {scheduling: {repeatInterval: -1h}}"))
        .hasMessage(
            "manager.scheduling.repeatInterval: \"-1h\" is not allowed"
                + " (expected a duration of more than 0s)");
    rejecting(v1alpha3("manager: {imageJob: {cleanup: {delayOnSuccess: -5m}}}"))
        .hasMessage(
            "manager.imageJob.cleanup.delayOnSuccess: \"-5m\" is not allowed"
                + " (expected a duration of 0s or more)");
  }

  @Test
  void rejectsARepeatIntervalOfZero() {
    rejecting(v1alpha3("manager: {scheduling: {repeatInterval: 0s}}"))
        .hasMessageStartingWith("manager.scheduling.repeatInterval: \"0s\" is not allowed");
  }

  @Test
  void rejectsAnUnknownRuntime() {
    rejecting(v1alpha3("manager: {runtime: {name: docker}}"))
        .hasMessage(
            "manager.runtime.name: \"docker\" is not a runtime"
                + " (expected containerd, dockershim or crio)");
    rejecting("apiVersion: eraser.sh/v1alpha2\nkind: EraserConfig\nmanager: {runtime: cri-o}")
        .hasMessageStartingWith("manager.runtime: \"cri-o\" is not a runtime");
  }

  @Test
  void rejectsARuntimeObjectBeforeV1alpha3AndAPlainNameInIt() {
    rejecting(
            "apiVersion: eraser.sh/v1alpha2\nkind: EraserConfig\nmanager: {runtime: {name: crio}}")
        .hasMessageContaining("manager.runtime: {\"name\":\"crio\"} is not a runtime")
        .hasMessageContaining("needs apiVersion eraser.sh/v1alpha3");
    rejecting(v1alpha3("manager: {runtime: crio}"))
        .hasMessage("manager.runtime: \"crio\" is not a mapping (write {name: crio})");
  }

  @Test
  void rejectsARuntimeAddressThatIsNotAUnixSocket() {
    for (String address : new String[] {"tcp://10.0.0.1:2375", "http://localhost/run.sock"}) {
      rejecting(v1alpha3("manager: {runtime: {name: containerd, address: '" + address + "'}}"))
          .hasMessageStartingWith(
              "manager.runtime.address: \"" + address + "\" is not a Unix socket address");
    }
    rejecting(v1alpha3("manager: {runtime: {name: crio, address: /run/crio/crio.sock}}"))
        .hasMessageStartingWith("manager.runtime.address: \"/run/crio/crio.sock\" is not a Unix");
  }

  @Test
  void rejectsARuntimeAddressWithoutAName() {
    rejecting(v1alpha3("manager: {runtime: {address: 'unix:///run/k3s/containerd.sock'}}"))
        .hasMessage(
            "manager.runtime.address: \"unix:///run/k3s/containerd.sock\""
                + " is given without a runtime name");
  }

  @Test
  void rejectsASuccessRatioOutsideZeroToOne() {
    for (String ratio : new String[] {"1.5", "-0.1"}) {
      rejecting(v1alpha3("manager: {imageJob: {successRatio: " + ratio + "}}"))
          .hasMessage(
              "manager.imageJob.successRatio: \"" + ratio + "\" is not a ratio (expected 0 to 1)");
    }
    rejecting(v1alpha3("manager: {imageJob: {successRatio: high}}"))
        .hasMessage("manager.imageJob.successRatio: \"high\" is not a number");
  }

  @Test
  void rejectsAProfilePortOutsideTheTcpRange() {
    for (String port : new String[] {"0", "65536"}) {
      rejecting(v1alpha3("manager: {profile: {port: " + port + "}}"))
          .hasMessage("manager.profile.port: \"" + port + "\" is not a port (expected 1 to 65535)");
    }
    rejecting(v1alpha3("manager: {profile: {port: 60.5}}"))
        .hasMessage("manager.profile.port: \"60.5\" is not an integer");
  }

  @Test
  void rejectsANodeFilterTypeOtherThanIncludeOrExclude() {
    rejecting(v1alpha3("manager: {nodeFilter: {type: all}}"))
        .hasMessage(
            "manager.nodeFilter.type: \"all\" is not a filter type (expected include or exclude)");
  }

  @Test
  void rejectsASelectorThatIsNotALabelSelector() {
    rejecting(v1alpha3("manager: {nodeFilter: {selectors: [kubernetes.io/os=windows, a b]}}"))
        .hasMessageStartingWith(
            "manager.nodeFilter.selectors[1]: \"a b\" is not a label selector: ");
  }

  @Test
  void rejectsAnInvalidPodLabel() {
    rejecting(v1alpha3("manager: {additionalPodLabels: {Team.Example/x: a}}"))
        .hasMessageStartingWith(
            "manager.additionalPodLabels[\"Team.Example/x\"]: \"Team.Example/x\""
                + " is not a valid label key");
    rejecting(v1alpha3("manager: {additionalPodLabels: {team: 'a b'}}"))
        .hasMessageStartingWith(
            "manager.additionalPodLabels[\"team\"]: \"a b\" is not a valid label value");
    rejecting(v1alpha3("manager: {additionalPodLabels: {version: 2}}"))
        .hasMessage("manager.additionalPodLabels[\"version\"]: \"2\" is not a string (quote it)");
  }

  @Test
  void rejectsTextThatIsNotAQuantity() {
    rejecting(v1alpha3("components: {collector: {request: {mem: 25 Mi}}}"))
        .hasMessage(
            "components.collector.request.mem: \"25 Mi\" is not a quantity"
                + " (expected e.g. 25Mi, 100m, 1.5, 2Gi, 0)");
    rejecting(v1alpha3("components: {scanner: {limit: {cpu: lots}}}"))
        .hasMessageStartingWith("components.scanner.limit.cpu: \"lots\" is not a quantity");
    rejecting(v1alpha3("components: {remover: {limit: {mem: -30Mi}}}"))
        .hasMessage("components.remover.limit.mem: \"-30Mi\" is negative");
  }

  @Test
  void rejectsAValueOfTheWrongType() {
    rejecting(v1alpha3("components: {collector: {enabled: 'yes'}}"))
        .hasMessage(
            "components.collector.enabled: \"yes\" is not a boolean (expected true or false)");
    rejecting(v1alpha3("manager: {scheduling: {beginImmediately: 'true'}}"))
        .hasMessageStartingWith("manager.scheduling.beginImmediately: \"true\" is not a boolean");
    rejecting(v1alpha3("manager: {pullSecrets: regcred}"))
        .hasMessage("manager.pullSecrets: \"regcred\" is not a list");
    rejecting(v1alpha3("manager: {scheduling: daily}"))
        .hasMessage("manager.scheduling: \"daily\" is not a mapping");
    rejecting(v1alpha3("components: {remover: {image: {tag: 1.10}}}"))
        .hasMessage("components.remover.image.tag: \"1.10\" is not a string (quote it)");
    rejecting(v1alpha3("components: {scanner: {config: {cacheDir: /tmp}}}"))
        .hasMessageStartingWith(
            "components.scanner.config: {\"cacheDir\":\"/tmp\"} is not a string");
  }

  @Test
  void rejectsAnEmptyImageRepository() {
    rejecting(v1alpha3("components: {scanner: {image: {repo: ''}}}"))
        .hasMessage("components.scanner.image.repo: \"\" is empty");
  }

  @Test
  void rejectsAVolumeWithoutAName() {
    rejecting(v1alpha3("components: {scanner: {volumes: [{hostPath: {path: /x}}]}}"))
        .hasMessageStartingWith("components.scanner.volumes[0]: {\"hostPath\":{\"path\":\"/x\"}}");
  }

  @Test
  void rejectsABadScannerConfigUnderItsFullKeyPath() {
    rejecting(v1alpha3("components: {scanner: {config: 'timeout: {perImage: soon}'}}"))
        .hasMessageStartingWith(
            "components.scanner.config.timeout.perImage: \"soon\" is not a duration");
    rejecting(v1alpha3("components: {scanner: {config: 'timeout: [1h'}}"))
        .hasMessageStartingWith(
            "components.scanner.config: the embedded document is not valid YAML at line 1");
  }

  @Test
  void reportsEveryProblemInOneMessage() {
    InvalidConfigException e =
        catchInvalid(
            v1alpha3(
                """
                manager:
                  scheduling: {repeatInterval: 300}
                  imageJob: {successRatio: 2}
                components:
                  collector: {enabled: 1}
                """));

    assertThat(e.problems())
        .hasSize(3)
        .anySatisfy(p -> assertThat(p).startsWith("manager.scheduling.repeatInterval: \"300\""))
        .anySatisfy(p -> assertThat(p).startsWith("manager.imageJob.successRatio: \"2\""))
        .anySatisfy(p -> assertThat(p).startsWith("components.collector.enabled: \"1\""));
    assertThat(e.getMessage()).isEqualTo(String.join("; ", e.problems()));
  }

  private AbstractThrowableAssert<?, ? extends Throwable> rejecting(String document) {
    return assertThatThrownBy(() -> loader.load(document))
        .isInstanceOf(InvalidConfigException.class);
  }

  private InvalidConfigException catchInvalid(String document) {
    InvalidConfigException e =
        catchThrowableOfType(InvalidConfigException.class, () -> loader.load(document));
    assertThat(e).as("the document was rejected").isNotNull();
    return e;
  }
}
