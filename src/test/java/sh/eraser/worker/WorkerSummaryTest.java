package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import sh.eraser.images.NodeImage;

class WorkerSummaryTest {

  @Test
  void manyRemovalsStillFitInATerminationMessageWithAllCounts() throws Exception {
    List<ImageDecision> decisions =
        IntStream.range(0, 500)
            .mapToObj(
                i ->
                    new ImageDecision(
                        new NodeImage(
                            "sha256:" + String.format("%064x", i),
                            List.of(
                                "registry.example.com/a/rather/long/repository/name-" + i + ":v1"),
                            List.of(),
                            false),
                        "*",
                        Verdict.REMOVED,
                        "unused"))
            .toList();

    String json = WorkerSummary.of("remover", "node-1", false, decisions).toBoundedJson();

    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThan(4096);
    JsonNode node = new ObjectMapper().readTree(json);
    assertThat(node.get("removed").asInt()).isEqualTo(500);
    assertThat(node.get("removedImages").size() + node.get("moreImages").asInt()).isEqualTo(500);
    assertThat(node.get("removedImages").get(0).asText()).endsWith("name-0:v1");
  }

  @Test
  void failureCarriesTheErrorAndNoCounts() throws Exception {
    String json = WorkerSummary.failure("collector", "n", true, "x".repeat(10_000)).toBoundedJson();

    assertThat(json.getBytes(StandardCharsets.UTF_8).length).isLessThan(4096);
    JsonNode node = new ObjectMapper().readTree(json);
    assertThat(node.get("error").asText()).startsWith("xxx");
    assertThat(node.get("dryRun").asBoolean()).isTrue();
  }
}
