package sh.eraser.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import sh.eraser.config.LabelSelector.Operator;
import sh.eraser.config.LabelSelector.Requirement;

class LabelSelectorTest {

  private static final Map<String, String> WINDOWS_SPOT =
      Map.of("kubernetes.io/os", "windows", "pool", "spot");
  private static final Map<String, String> LINUX_BATCH =
      Map.of("kubernetes.io/os", "linux", "pool", "batch", "eraser.sh/cleanup.filter", "");

  @Test
  void readsEveryFormOfRequirement() {
    LabelSelector selector =
        LabelSelector.parse("a, !b, c=1, d==2, e!=3, f in (x, y), g notin (z)");

    assertThat(selector.requirements())
        .containsExactly(
            new Requirement("a", Operator.EXISTS, List.of()),
            new Requirement("b", Operator.DOES_NOT_EXIST, List.of()),
            new Requirement("c", Operator.EQUALS, List.of("1")),
            new Requirement("d", Operator.EQUALS, List.of("2")),
            new Requirement("e", Operator.NOT_EQUALS, List.of("3")),
            new Requirement("f", Operator.IN, List.of("x", "y")),
            new Requirement("g", Operator.NOT_IN, List.of("z")));
  }

  @Test
  void printsACanonicalFormThatReadsBack() {
    LabelSelector selector = LabelSelector.parse("tier in (web,api) ,  !canary,os==linux");

    assertThat(selector).hasToString("tier in (api,web),!canary,os=linux");
    assertThat(LabelSelector.parse(selector.toString())).isEqualTo(selector);
  }

  @Test
  void acceptsAnEmptyValueAfterEquals() {
    LabelSelector selector = LabelSelector.parse("eraser.sh/cleanup.filter=");

    assertThat(selector.matches(LINUX_BATCH)).isTrue();
    assertThat(selector.matches(WINDOWS_SPOT)).isFalse();
  }

  @Test
  void matchesEqualityAndExistence() {
    assertThat(LabelSelector.parse("kubernetes.io/os=windows").matches(WINDOWS_SPOT)).isTrue();
    assertThat(LabelSelector.parse("kubernetes.io/os=windows").matches(LINUX_BATCH)).isFalse();
    assertThat(LabelSelector.parse("eraser.sh/cleanup.filter").matches(LINUX_BATCH)).isTrue();
    assertThat(LabelSelector.parse("eraser.sh/cleanup.filter").matches(WINDOWS_SPOT)).isFalse();
    assertThat(LabelSelector.parse("!eraser.sh/cleanup.filter").matches(WINDOWS_SPOT)).isTrue();
    assertThat(LabelSelector.parse("!eraser.sh/cleanup.filter").matches(LINUX_BATCH)).isFalse();
  }

  @Test
  void negationsMatchNodesThatLackTheLabel() {
    assertThat(LabelSelector.parse("zone!=a").matches(Map.of())).isTrue();
    assertThat(LabelSelector.parse("zone notin (a,b)").matches(Map.of())).isTrue();
    assertThat(LabelSelector.parse("zone in (a,b)").matches(Map.of())).isFalse();
    assertThat(LabelSelector.parse("zone notin (a,b)").matches(Map.of("zone", "b"))).isFalse();
  }

  @Test
  void matchesSetMembership() {
    LabelSelector selector = LabelSelector.parse("pool in (spot,preemptible)");

    assertThat(selector.matches(WINDOWS_SPOT)).isTrue();
    assertThat(selector.matches(LINUX_BATCH)).isFalse();
  }

  @Test
  void needsEveryRequirementToHold() {
    LabelSelector selector = LabelSelector.parse("kubernetes.io/os=linux,pool notin (spot)");

    assertThat(selector.matches(LINUX_BATCH)).isTrue();
    assertThat(selector.matches(WINDOWS_SPOT)).isFalse();
    assertThat(selector.matches(Map.of("kubernetes.io/os", "linux", "pool", "spot"))).isFalse();
  }

  @Test
  void rejectsTextThatIsNotASelectorSayingWhy() {
    assertRejected("a b", "expected an operator (=, ==, !=, in, notin) or ',' after \"a\"");
    assertRejected("key in (a", "missing ')'");
    assertRejected("=v", "expected a key, found \"=\"");
    assertRejected("key in ()", "expected a value, found \")\"");
    assertRejected("key notin a", "expected '(', found \"a\"");
    assertRejected("a=b=c", "expected ',' or the end, found \"=\"");
    assertRejected("a,", "expected a key at the end");
    assertRejected("!", "expected a key after '!' at the end");
    assertRejected("", "it is empty");
    assertRejected("cpu>4", "found \">\"");
  }

  @Test
  void rejectsInvalidKeysAndValues() {
    assertRejected("Example.com/os=linux", "\"Example.com/os\" is not a valid label key");
    assertRejected("-os=linux", "\"-os\" is not a valid label key");
    assertRejected("a/b/c", "\"a/b/c\" is not a valid label key");
    assertRejected("os=linux_", "\"linux_\" is not a valid label value");
    assertRejected("os=" + "x".repeat(64), "is not a valid label value");
  }

  private static void assertRejected(String text, String why) {
    assertThatThrownBy(() -> LabelSelector.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("\"" + text + "\" is not a label selector: ")
        .hasMessageContaining(why);
  }
}
