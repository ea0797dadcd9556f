package sh.eraser.manager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerReportTest {

  @Test
  void readsTheSummaryAWorkerWrote() {
    WorkerReport report = WorkerReport.parse(WorkerPods.REMOVER_SUMMARY);

    assertThat(report.component()).isEqualTo("remover");
    assertThat(report.removed()).isEqualTo(3);
    assertThat(report.excluded()).isEqualTo(1);
    assertThat(report.inUse()).isEqualTo(2);
    assertThat(report.notOnNode()).isEqualTo(1);
    assertThat(report.removedImages()).hasSize(3);
    assertThat(report.failedImages()).isEmpty();
    assertThat(report.moreImages()).isNull();
    assertThat(report.error()).isNull();
  }

  @Test
  void ignoresFieldsItDoesNotKnowAndDefaultsThoseMissing() {
    WorkerReport report = WorkerReport.parse("{\"component\":\"remover\",\"scanned\":12}");

    assertThat(report.removed()).isZero();
    assertThat(report.removedImages()).isEqualTo(List.of());
  }

  @Test
  void refusesAMessageLargerThanKubernetesKeeps() {
    String big = "{\"error\":\"" + "é".repeat(2100) + "\"}";

    assertThatThrownBy(() -> WorkerReport.parse(big))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the termination message is 4212 bytes, over the 4096 bytes Kubernetes keeps");
  }

  @Test
  void refusesJsonThatIsNotAnObject() {
    assertThatThrownBy(() -> WorkerReport.parse("[1, 2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the termination message is JSON but not an object");
  }

  @Test
  void refusesTextAndTrailingGarbage() {
    assertThatThrownBy(() -> WorkerReport.parse("removed 3 images"))
        .hasMessageStartingWith("the termination message is not a worker summary: ");
    assertThatThrownBy(() -> WorkerReport.parse(WorkerPods.REMOVER_SUMMARY + " and more"))
        .hasMessageStartingWith("the termination message is not a worker summary: ");
  }

  @Test
  void refusesAWrongTypeInACount() {
    assertThatThrownBy(() -> WorkerReport.parse("{\"removed\":\"three\"}"))
        .hasMessageStartingWith("the termination message is not a worker summary: ");
  }
}
