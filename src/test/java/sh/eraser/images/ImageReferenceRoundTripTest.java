package sh.eraser.images;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class ImageReferenceRoundTripTest {

  @Property
  void parsingTheCanonicalFormGivesTheSameReference(@ForAll("references") String text) {
    ImageReference reference = ImageReference.parse(text);

    assertThat(ImageReference.parse(reference.toString())).isEqualTo(reference);
  }

  @Property
  void everyParsedReferenceNamesARegistryAndATagOrDigest(@ForAll("references") String text) {
    ImageReference reference = ImageReference.parse(text);

    assertThat(reference.repository()).contains("/");
    assertThat(reference.tag() != null || reference.digest() != null).isTrue();
  }

  @Provide
  Arbitrary<String> references() {
    Arbitrary<String> domain =
        Arbitraries.of("", "docker.io/", "index.docker.io/", "localhost/", "reg.example:5000/");
    Arbitrary<String> path =
        component().list().ofMinSize(1).ofMaxSize(3).map(p -> String.join("/", p));
    Arbitrary<String> tag =
        Arbitraries.strings()
            .withChars("abcXYZ019_.-")
            .ofMinLength(1)
            .ofMaxLength(10)
            .filter(t -> !t.startsWith(".") && !t.startsWith("-"))
            .map(t -> ":" + t)
            .injectNull(0.3)
            .map(t -> t == null ? "" : t);
    Arbitrary<String> digest =
        Arbitraries.strings()
            .withChars("0123456789abcdef")
            .ofLength(64)
            .map(hex -> "@sha256:" + hex)
            .injectNull(0.6)
            .map(d -> d == null ? "" : d);
    return Combinators.combine(domain, path, tag, digest).as((d, p, t, g) -> d + p + t + g);
  }

  private Arbitrary<String> component() {
    Arbitrary<String> word = Arbitraries.strings().withChars("abz09").ofMinLength(1).ofMaxLength(5);
    Arbitrary<String> separator = Arbitraries.of(".", "_", "__", "-", "--");
    return Combinators.combine(word, separator, word)
        .as((a, s, b) -> a + s + b)
        .injectDuplicates(0.1);
  }
}
