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
import sh.eraser.manager.WorkerJob;
import sh.eraser.manager.WorkerMode;
import sh.eraser.manager.WorkerPodBuilder;

/** The arguments the manager gives worker containers are ones the worker commands accept. */
class WorkerPodArgsContractTest {

  private static final EraserConfig CONFIG = EraserConfig.defaults("v9");

  @Test
  void manualRemoverArgumentsParse() {
    Pod pod = pod(new WorkerMode.Manual("imagelist-abcde"));

    ParseResult remover = parse(pod.getSpec().getContainers().get(0));

    assertThat(remover.subcommand().commandSpec().name()).isEqualTo("remover");
    Object imageList = remover.subcommand().matchedOptionValue("--imagelist", null);
    assertThat(imageList).hasToString("/run/eraser.sh/imagelist/images");
  }

  @Test
  void scheduledCollectorAndRemoverArgumentsParse() {
    Pod pod = pod(new WorkerMode.Scheduled());

    List<Container> containers = pod.getSpec().getContainers();
    assertThat(parse(containers.get(0)).subcommand().commandSpec().name()).isEqualTo("collector");
    assertThat(parse(containers.get(0)).subcommand().hasMatchedOption("--scan-disabled")).isTrue();
    assertThat(parse(containers.get(1)).subcommand().commandSpec().name()).isEqualTo("remover");
  }

  private static ParseResult parse(Container container) {
    return new CommandLine(new Main()).parseArgs(container.getArgs().toArray(String[]::new));
  }

  private static Pod pod(WorkerMode mode) {
    WorkerJob job =
        new WorkerJob(
            new OwnerReferenceBuilder().withName("imagejob-abcde").build(),
            "eraser-system",
            mode,
            List.of());
    return new WorkerPodBuilder(CONFIG, job).podFor("node-1");
  }
}
