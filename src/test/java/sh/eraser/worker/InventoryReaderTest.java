package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static sh.eraser.worker.Inventories.container;
import static sh.eraser.worker.Inventories.id;
import static sh.eraser.worker.Inventories.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import sh.eraser.cri.api.ContainerState;
import sh.eraser.images.NodeImage;

class InventoryReaderTest {

  @Test
  void containerCreatedFromAShortTagKeepsItsImage() {
    NodeImage app = image(id('a'), "docker.io/team/app:1");

    NodeInventory node =
        InventoryReader.inventory(
            List.of(app),
            List.of(container("app", "team/app:1", "", ContainerState.CONTAINER_CREATED)),
            List.of(),
            Optional.empty());

    assertThat(node.inUse()).containsKey(app.id());
  }

  @Test
  void exitedContainerKeepsItsImage() {
    NodeImage app = image(id('a'), "docker.io/team/app:1");

    NodeInventory node =
        InventoryReader.inventory(
            List.of(app),
            List.of(container("job", id('a'), id('a'), ContainerState.CONTAINER_EXITED)),
            List.of(),
            Optional.empty());

    assertThat(node.inUse().get(app.id())).contains("job").contains("exited");
  }

  @Test
  void containerReferringByRepoDigestKeepsItsImage() {
    String digest = "sha256:" + "e".repeat(64);
    NodeImage app =
        new NodeImage(id('a'), List.of(), List.of("docker.io/team/app@" + digest), false);

    NodeInventory node =
        InventoryReader.inventory(
            List.of(app),
            List.of(container("app", "team/app@" + digest, "", ContainerState.CONTAINER_RUNNING)),
            List.of(),
            Optional.empty());

    assertThat(node.inUse()).containsKey(app.id());
  }

  @Test
  void pinnedAndSandboxImagesAreInUse() {
    NodeImage pinned = new NodeImage(id('1'), List.of("docker.io/team/base:1"), List.of(), true);
    NodeImage pause = image(id('2'), "registry.k8s.io/pause:3.9");

    NodeInventory node =
        InventoryReader.inventory(
            List.of(pinned, pause), List.of(), List.of(), Optional.of("registry.k8s.io/pause:3.9"));

    assertThat(node.inUse())
        .containsEntry(pinned.id(), "pinned by the runtime")
        .containsKey(pause.id());
  }

  @Test
  void unknownSandboxImageFallsBackToKeepingPauseImages() {
    NodeImage pause = image(id('2'), "registry.example:5000/k8s/pause:3.9");
    NodeImage other = image(id('3'), "docker.io/team/app:1");

    NodeInventory node =
        InventoryReader.inventory(List.of(pause, other), List.of(), List.of(), Optional.empty());

    assertThat(node.inUse()).containsOnlyKeys(pause.id());
  }

  @Test
  void readsTheSandboxImageFromContainerdsVerboseStatus() {
    Map<String, String> info =
        Map.of("config", "{\"sandboxImage\":\"registry.k8s.io/pause:3.6\",\"other\":1}");

    assertThat(InventoryReader.sandboxImage(info)).contains("registry.k8s.io/pause:3.6");
    assertThat(InventoryReader.sandboxImage(Map.of("config", "not json"))).isEmpty();
  }
}
