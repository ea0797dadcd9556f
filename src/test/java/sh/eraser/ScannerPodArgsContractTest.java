package sh.eraser;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.EraserConfigLoader;
import sh.eraser.manager.WorkerJob;
import sh.eraser.manager.WorkerMode;
import sh.eraser.manager.WorkerPodBuilder;

/** The arguments the manager gives the scanner container are ones {@code eraser scanner} takes. */
class ScannerPodArgsContractTest {

  @Test
  void scheduledScannerArgumentsParse() {
    EraserConfig config =
        new EraserConfigLoader("v9")
            .load(
                "apiVersion: eraser.sh/v1alpha3\nkind: EraserConfig\n"
                    + "components:\n  scanner:\n    enabled: true\n")
            .config();
    WorkerJob job =
        new WorkerJob(
            new OwnerReferenceBuilder().withName("imagejob-abcde").build(),
            "eraser-system",
            new WorkerMode.Scheduled(),
            List.of());
    Pod pod = new WorkerPodBuilder(config, job).podFor("node-1");

    Container scanner =
        pod.getSpec().getContainers().stream()
            .filter(c -> c.getName().equals("trivy-scanner"))
            .findFirst()
            .orElseThrow();
    ParseResult parsed =
        new CommandLine(new Main()).parseArgs(scanner.getArgs().toArray(String[]::new));

    assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("scanner");
    assertThat(parsed.subcommand().hasMatchedOption("--config")).isTrue();
  }
}
