package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;
import sh.eraser.images.NodeImage;

class ImageRecordTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void writesTheFieldsThirdPartyScannersRead() throws Exception {
    String digest = "sha256:" + "d".repeat(64);
    NodeImage image =
        new NodeImage(
            "sha256:" + "a".repeat(64),
            List.of("docker.io/team/app:1"),
            List.of("docker.io/team/app@" + digest, "quay.io/team/app@" + digest),
            false);

    String text = json.writeValueAsString(List.of(ImageRecord.of(image)));

    assertThat(text)
        .isEqualTo(
            "[{\"image_id\":\"sha256:"
                + "a".repeat(64)
                + "\",\"names\":[\"docker.io/team/app:1\"],\"digests\":[\""
                + digest
                + "\"]}]");
  }

  @Test
  void leavesOutEmptyNamesAndDigestsAndReadsRecordsWithoutThem() throws Exception {
    NodeImage untagged = new NodeImage("sha256:" + "b".repeat(64), List.of(), List.of(), false);

    String text = json.writeValueAsString(ImageRecord.of(untagged));
    List<ImageRecord> back =
        json.readValue(
            "[" + text + ", {\"image_id\":\"x\",\"extra\":1}]", new TypeReference<>() {});

    assertThat(text).isEqualTo("{\"image_id\":\"sha256:" + "b".repeat(64) + "\"}");
    assertThat(back)
        .extracting(ImageRecord::imageId)
        .containsExactly("sha256:" + "b".repeat(64), "x");
    assertThat(back.get(1).names()).isEmpty();
  }
}
