package sh.eraser.chart;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** The objects {@code helm template} printed, as JSON trees and as fabric8 objects. */
final class RenderedChart {

  static final String RELEASE = "eraser";
  static final String NAMESPACE = "eraser-system";
  static final String CHART = "charts/eraser";

  private static final YAMLMapper YAML = new YAMLMapper();
  private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization();

  private final List<JsonNode> objects;

  private RenderedChart(List<JsonNode> objects) {
    this.objects = objects;
  }

  /** The chart rendered with its defaults and then {@code valuesFiles}, in order. */
  static RenderedChart render(String... valuesFiles) {
    List<String> args = new ArrayList<>(List.of("template", RELEASE, CHART, "-n", NAMESPACE));
    for (String file : valuesFiles) {
      args.add("-f");
      args.add(file);
    }
    return parse(Helm.run(args.toArray(String[]::new)));
  }

  static RenderedChart parse(String yaml) {
    List<JsonNode> objects = new ArrayList<>();
    try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(yaml)) {
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && document.isObject()) {
          objects.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("helm printed YAML that does not parse", e);
    }
    return new RenderedChart(objects);
  }

  List<JsonNode> all() {
    return objects;
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).toList();
  }

  boolean has(String kind, String name) {
    return ofKind(kind).stream()
        .anyMatch(o -> name.equals(o.path("metadata").path("name").asText()));
  }

  JsonNode tree(String kind, String name) {
    List<JsonNode> found =
        ofKind(kind).stream()
            .filter(o -> name.equals(o.path("metadata").path("name").asText()))
            .toList();
    assertThat(found).as("rendered %s %s", kind, name).hasSize(1);
    return found.get(0);
  }

  <T extends HasMetadata> T get(Class<T> type, String kind, String name) {
    return KUBERNETES.convertValue(tree(kind, name), type);
  }

  /** The EraserConfig document in eraser-manager-config. */
  String managerConfig() {
    return get(ConfigMap.class, "ConfigMap", "eraser-manager-config")
        .getData()
        .get("controller_manager_config.yaml");
  }
}
