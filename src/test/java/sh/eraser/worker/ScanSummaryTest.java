package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import sh.eraser.config.ScannerConfig.Severity;
import sh.eraser.scanner.Finding;
import sh.eraser.scanner.ImageScan;
import sh.eraser.scanner.ScanTarget;
import sh.eraser.scanner.ScanVerdict;

/** The scanner's termination message: counts, worst findings first, and a size Kubernetes keeps. */
class ScanSummaryTest {

  private static ImageScan vulnerable(String name, Severity severity) {
    Finding finding =
        new Finding("DEBIAN-CVE-2024-1", List.of("CVE-2024-1"), "openssl", "1", "2", severity);
    return new ImageScan(
        new ScanTarget("sha256:" + name, List.of(name)),
        ScanVerdict.VULNERABLE,
        "why",
        null,
        List.of(finding),
        true,
        5);
  }

  private static ImageScan failed(String name) {
    return new ImageScan(
        new ScanTarget("sha256:" + name, List.of(name)),
        ScanVerdict.FAILED,
        "layer missing",
        null,
        List.of(),
        true,
        5);
  }

  @Test
  void countsVerdictsAndPutsTheWorstFindingFirst() throws Exception {
    ScanSummary summary =
        ScanSummary.of(
            "node-1",
            false,
            List.of(
                vulnerable("docker.io/a:1", Severity.LOW),
                vulnerable("docker.io/b:1", Severity.CRITICAL),
                failed("docker.io/c:1")));

    JsonNode json = new ObjectMapper().readTree(summary.toBoundedJson());

    assertThat(json.get("scanned").asInt()).isEqualTo(3);
    assertThat(json.get("vulnerable").asInt()).isEqualTo(2);
    assertThat(json.get("scanFailed").asInt()).isEqualTo(1);
    assertThat(json.get("handedOver").asInt()).isEqualTo(3);
    assertThat(json.get("worst").get(0).asText())
        .isEqualTo("docker.io/b:1: CVE-2024-1 (CRITICAL, openssl)");
    assertThat(json.get("scanFailedImages").get(0).asText()).isEqualTo("docker.io/c:1");
  }

  @Test
  void aThousandVulnerableImagesStillFitTheTerminationMessage() throws Exception {
    List<ImageScan> scans = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      scans.add(vulnerable("registry.example.com/team/service-" + i + ":1.0." + i, Severity.HIGH));
    }

    String json = ScanSummary.of("node-1", false, scans).toBoundedJson();

    assertThat(json.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(WorkerSummary.MAX_BYTES);
    JsonNode parsed = new ObjectMapper().readTree(json);
    assertThat(parsed.get("vulnerable").asInt()).isEqualTo(1000);
    assertThat(parsed.get("moreImages").asInt() + parsed.get("worst").size()).isEqualTo(1000);
  }
}
