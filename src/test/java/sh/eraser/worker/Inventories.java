package sh.eraser.worker;

import java.util.List;
import java.util.Optional;
import sh.eraser.cri.api.Container;
import sh.eraser.cri.api.ContainerMetadata;
import sh.eraser.cri.api.ContainerState;
import sh.eraser.cri.api.ImageSpec;
import sh.eraser.images.NodeImage;

/** Builds runtime replies for tests of decisions that need no runtime. */
final class Inventories {

  private Inventories() {}

  static NodeImage image(String id, String... tags) {
    return new NodeImage(id, List.of(tags), List.of(), false);
  }

  static String id(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  /** A container as containerd lists it: the reference it was created from, and the image ID. */
  static Container container(
      String name, String createdFrom, String imageId, ContainerState state) {
    return Container.newBuilder()
        .setId(name + "-id")
        .setMetadata(ContainerMetadata.newBuilder().setName(name))
        .setImage(ImageSpec.newBuilder().setImage(createdFrom))
        .setImageRef(imageId)
        .setState(state)
        .build();
  }

  static NodeInventory inventory(List<NodeImage> images, List<Container> containers) {
    return InventoryReader.inventory(
        images, containers, List.of(), Optional.of("registry.eraser.test/pause:3.9"));
  }
}
