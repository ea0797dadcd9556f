package sh.eraser;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import sh.eraser.manager.WorkerReport;
import sh.eraser.worker.WorkerSummary;

/**
 * The manager reads what the workers write: checked here, in the entry point's package, because
 * neither the manager nor the worker package may import the other.
 */
class WorkerReportContractTest {

  @Test
  void managerReadsEveryFieldOfTheWorkersSummary() {
    WorkerSummary written =
        new WorkerSummary(
            "remover",
            "node-1",
            true,
            3,
            4,
            5,
            6,
            7,
            8,
            List.of("docker.io/library/alpine:3.7.3"),
            List.of("docker.io/library/redis:7.2"),
            null,
            "partly failed");

    WorkerReport read = WorkerReport.parse(written.toBoundedJson());

    assertThat(read)
        .isEqualTo(
            new WorkerReport(
                written.component(),
                written.node(),
                written.dryRun(),
                written.removed(),
                written.collected(),
                written.excluded(),
                written.inUse(),
                written.notOnNode(),
                written.failed(),
                written.removedImages(),
                written.failedImages(),
                written.moreImages(),
                written.error()));
  }

  @Test
  void managerReadsHowManyImageNamesTheWorkerLeftOut() {
    List<String> names =
        IntStream.range(0, 400)
            .mapToObj(i -> "registry.example.com/team/app-" + i + ":v1")
            .toList();
    WorkerSummary written =
        new WorkerSummary(
            "remover", "node-1", false, 400, 0, 0, 0, 0, 0, names, List.of(), null, null);

    WorkerReport read = WorkerReport.parse(written.toBoundedJson());

    assertThat(read.removed()).isEqualTo(400);
    assertThat(read.moreImages()).isPositive();
    assertThat(read.removedImages().size() + read.moreImages()).isEqualTo(400);
  }

  @Test
  void managerReadsAFailureSummary() {
    String json = WorkerSummary.failure("collector", "node-1", false, "no socket").toBoundedJson();

    WorkerReport read = WorkerReport.parse(json);

    assertThat(read.error()).isEqualTo("no socket");
    assertThat(read.component()).isEqualTo("collector");
    assertThat(read.moreImages()).isNull();
  }
}
