package sh.eraser.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import sh.eraser.config.EraserConfig.Components;
import sh.eraser.config.EraserConfig.Image;
import sh.eraser.config.EraserConfig.Resources;
import sh.eraser.config.EraserConfig.ScannerComponent;
import sh.eraser.config.EraserConfig.WorkerComponent;

/** Reads the {@code components} section of an EraserConfig document over its defaults. */
final class ComponentsReader {

  private ComponentsReader() {}

  static Components read(ConfigSection components, ConfigVersion version, Components defaults) {
    return new Components(
        worker(components.section("collector"), defaults.collector()),
        scanner(components.section("scanner"), defaults.scanner()),
        remover(components.section(version.removerKey()), defaults.remover()));
  }

  private static WorkerComponent worker(ConfigSection component, WorkerComponent fallback) {
    // The schema gives every component a config string; only the scanner's is used.
    component.ignore("config");
    return new WorkerComponent(
        component.bool("enabled", fallback.enabled()),
        image(component.section("image"), fallback.image()),
        resources(component.section("request"), fallback.request()),
        resources(component.section("limit"), fallback.limit()));
  }

  private static WorkerComponent remover(ConfigSection component, WorkerComponent fallback) {
    WorkerComponent read = worker(component, fallback);
    if (!read.enabled()) {
      component.warn("enabled", "ignored: the remover always runs");
    }
    return new WorkerComponent(true, read.image(), read.request(), read.limit());
  }

  private static ScannerComponent scanner(ConfigSection scanner, ScannerComponent fallback) {
    return new ScannerComponent(
        scanner.bool("enabled", fallback.enabled()),
        image(scanner.section("image"), fallback.image()),
        resources(scanner.section("request"), fallback.request()),
        resources(scanner.section("limit"), fallback.limit()),
        scannerConfig(scanner, fallback.config()),
        volumes(scanner, fallback.volumes()));
  }

  /** The scanner's YAML string, kept as written but checked now rather than at scan time. */
  private static String scannerConfig(ConfigSection scanner, String fallback) {
    JsonNode value = scanner.value("config");
    if (value != null && value.isObject()) {
      scanner.reject("config", value, "is not a string (write the settings as a block: config: |)");
      return fallback;
    }
    String text = scanner.string("config", fallback);
    ScannerConfig.read(text, scanner.path("config"), scanner.problems());
    return text;
  }

  private static List<JsonNode> volumes(ConfigSection scanner, List<JsonNode> fallback) {
    List<JsonNode> volumes = new ArrayList<>();
    List<JsonNode> items = scanner.list("volumes", fallback);
    for (int i = 0; i < items.size(); i++) {
      JsonNode volume = items.get(i);
      JsonNode name = volume.path("name");
      if (!volume.isObject() || !name.isTextual() || name.textValue().isEmpty()) {
        scanner.reject(
            "volumes[" + i + "]", volume, "is not a Kubernetes Volume (a mapping with a name)");
      } else {
        volumes.add(volume);
      }
    }
    return volumes;
  }

  private static Image image(ConfigSection image, Image fallback) {
    return new Image(
        nonEmpty(image, "repo", fallback.repo()), nonEmpty(image, "tag", fallback.tag()));
  }

  private static String nonEmpty(ConfigSection section, String key, String fallback) {
    String text = section.string(key, fallback);
    if (text.isBlank()) {
      section.reject(key, section.value(key), "is empty");
      return fallback;
    }
    return text;
  }

  private static Resources resources(ConfigSection resources, Resources fallback) {
    return new Resources(
        resources.scalar("mem", fallback.mem(), "quantity", Quantity::check),
        resources.scalar("cpu", fallback.cpu(), "quantity", Quantity::check));
  }
}
