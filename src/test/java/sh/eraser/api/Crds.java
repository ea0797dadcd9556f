package sh.eraser.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The committed CRD files in {@code crds/}, as tests read them. */
final class Crds {

  /** Surefire runs in the project directory. */
  static final Path COMMITTED = Path.of("crds");

  static final String IMAGE_LISTS = "imagelists.eraser.sh";
  static final String IMAGE_JOBS = "imagejobs.eraser.sh";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private Crds() {}

  /** The YAML files in a directory, sorted by name. */
  static List<Path> yamlFiles(Path directory) {
    try (Stream<Path> files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".yml")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory, e);
    }
  }

  static List<CustomResourceDefinition> committed() {
    return yamlFiles(COMMITTED).stream().map(Crds::read).toList();
  }

  static CustomResourceDefinition committed(String name) {
    return committed().stream()
        .filter(crd -> crd.getMetadata().getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no CRD " + name + " in " + COMMITTED));
  }

  static CustomResourceDefinitionVersion version(CustomResourceDefinition crd, String name) {
    return crd.getSpec().getVersions().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(crd.getMetadata().getName() + " has no " + name));
  }

  private static CustomResourceDefinition read(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return SERIALIZATION.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }
}
