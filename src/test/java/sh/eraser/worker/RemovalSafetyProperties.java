package sh.eraser.worker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import sh.eraser.cri.api.Container;
import sh.eraser.cri.api.ContainerState;
import sh.eraser.images.ExclusionList;
import sh.eraser.images.ImageMatcher;
import sh.eraser.images.NodeImage;

/**
 * For random nodes, exclusion lists and requests: nothing in use or excluded is ever planned for
 * removal, and a "*" request removes everything else.
 */
class RemovalSafetyProperties {

  private static final List<String> REPOSITORIES =
      List.of(
          "docker.io/team/app",
          "docker.io/team/app-old",
          "docker.io/team/application",
          "docker.io/library/alpine",
          "reg.example:5000/x/y",
          "registry.eraser.test/pause");
  private static final List<String> TAGS = List.of("1", "2", "latest");
  private static final String SANDBOX_IMAGE = "registry.eraser.test/pause:1";

  /** A random node: images, then containers and exclusion patterns drawn from those images. */
  record Scenario(
      List<NodeImage> images,
      List<Container> containers,
      List<String> exclusions,
      List<String> requests) {}

  @Property(tries = 500)
  void neverPlansToRemoveAnImageInUseOrExcluded(@ForAll("scenarios") Scenario s) {
    List<ImageDecision> decisions = plan(s);

    for (ImageDecision d : decisions) {
      if (d.verdict() == Verdict.REMOVED) {
        assertThat(inUse(s, d.image())).as("in use: %s", d.image()).isFalse();
        assertThat(excluded(s, d.image())).as("excluded: %s", d.image()).isFalse();
      }
    }
  }

  @Property(tries = 300)
  void everyImageThatIsFreeGoesUnderPrune(@ForAll("scenarios") Scenario s) {
    Scenario prune = new Scenario(s.images(), s.containers(), s.exclusions(), List.of("*"));

    Set<String> removed = new HashSet<>();
    plan(prune).stream()
        .filter(d -> d.verdict() == Verdict.REMOVED)
        .forEach(d -> removed.add(d.image().id()));

    for (NodeImage image : s.images()) {
      boolean free = !inUse(s, image) && !excluded(s, image);
      assertThat(removed.contains(image.id())).as("%s free=%s", image, free).isEqualTo(free);
    }
  }

  private static List<ImageDecision> plan(Scenario s) {
    NodeInventory node =
        InventoryReader.inventory(
            s.images(), s.containers(), List.of(), Optional.of(SANDBOX_IMAGE));
    List<ExclusionList.Entry> entries = new ArrayList<>();
    s.exclusions()
        .forEach(p -> entries.add(new ExclusionList.Entry(ImageMatcher.parse(p), "cm/key")));
    return new RemovalPlanner(ExclusionList.of(entries))
        .plan(node, s.requests().stream().map(ImageMatcher::parse).toList());
  }

  /** The oracle for "in use", written independently of the code under test. */
  private static boolean inUse(Scenario s, NodeImage image) {
    if (image.tags().contains(SANDBOX_IMAGE)) {
      return true;
    }
    for (Container c : s.containers()) {
      String ref = c.getImage().getImage();
      if (ref.equals(image.id())
          || image.tags().contains(ref)
          || c.getImageRef().equals(image.id())) {
        return true;
      }
    }
    return false;
  }

  /** The oracle for "excluded": exact tags and IDs, "repo:*" and "path/*" by plain prefixes. */
  private static boolean excluded(Scenario s, NodeImage image) {
    for (String pattern : s.exclusions()) {
      if (pattern.equals(image.id()) || image.tags().contains(pattern)) {
        return true;
      }
      if (pattern.endsWith("*")) {
        String prefix = pattern.substring(0, pattern.length() - 1);
        if (image.tags().stream().anyMatch(t -> t.startsWith(prefix))) {
          return true;
        }
      }
    }
    return false;
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<List<NodeImage>> images = nodeImages();
    return images.flatMap(
        imgs ->
            Combinators.combine(containers(imgs), exclusions(imgs), requests(imgs))
                .as((c, e, r) -> new Scenario(imgs, c, e, r)));
  }

  private static Arbitrary<List<NodeImage>> nodeImages() {
    List<String> allTags = new ArrayList<>();
    REPOSITORIES.forEach(r -> TAGS.forEach(t -> allTags.add(r + ":" + t)));
    // Each tag goes to at most one image: assign every tag an image slot, or none (-1).
    return Arbitraries.integers()
        .between(-1, 7)
        .list()
        .ofSize(allTags.size())
        .map(
            slots -> {
              List<NodeImage> result = new ArrayList<>();
              for (int i = 0; i < 8; i++) {
                List<String> tags = new ArrayList<>();
                for (int t = 0; t < allTags.size(); t++) {
                  if (slots.get(t) == i) {
                    tags.add(allTags.get(t));
                  }
                }
                result.add(
                    new NodeImage(
                        "sha256:" + Integer.toHexString(i).repeat(64), tags, List.of(), false));
              }
              return result;
            });
  }

  private static Arbitrary<List<Container>> containers(List<NodeImage> images) {
    Arbitrary<Container> one =
        Combinators.combine(
                Arbitraries.of(images),
                Arbitraries.of(
                    ContainerState.CONTAINER_CREATED,
                    ContainerState.CONTAINER_RUNNING,
                    ContainerState.CONTAINER_EXITED),
                Arbitraries.of(true, false))
            .as(
                (image, state, byTag) -> {
                  String ref = byTag && !image.tags().isEmpty() ? image.tags().get(0) : image.id();
                  return Inventories.container("c", ref, byTag ? "" : image.id(), state);
                });
    return one.list().ofMaxSize(4);
  }

  private static Arbitrary<List<String>> exclusions(List<NodeImage> images) {
    List<String> choices =
        new ArrayList<>(
            List.of("docker.io/library/*", "docker.io/team/app:*", "reg.example:5000/x/*"));
    images.forEach(i -> choices.add(i.id()));
    images.forEach(i -> choices.addAll(i.tags()));
    return Arbitraries.of(choices).list().ofMaxSize(3);
  }

  private static Arbitrary<List<String>> requests(List<NodeImage> images) {
    List<String> choices = new ArrayList<>(List.of("*"));
    images.forEach(i -> choices.add(i.id()));
    images.forEach(i -> choices.addAll(i.tags()));
    return Arbitraries.of(choices).list().ofMinSize(1).ofMaxSize(5);
  }
}
