package dev.rbacsynth.compact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.attributes.RequestAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Atom's written-out equals and hashCode keep the record's contract: every component counts. */
class AtomTest {

  private static final Atom LOGS =
      Atom.of(RequestAttributes.resource("get", "", "pods", "log", "shop", "web-0"), "get");

  @Test
  void equalComponentsAreEqualWithTheSameHash() {
    Atom same = new Atom(true, "shop", "", "pods/log", "web-0", "", "get");
    assertThat(same).isEqualTo(LOGS).hasSameHashCodeAs(LOGS);
    Atom withNulls = new Atom(false, null, null, null, null, "/metrics", "get");
    assertThat(withNulls)
        .isEqualTo(new Atom(false, null, null, null, null, "/metrics", "get"))
        .isNotEqualTo(Atom.of(RequestAttributes.nonResource("get", "/metrics"), "get"));
  }

  @Test
  void eachComponentMakesADifference() {
    List<Atom> others =
        List.of(
            new Atom(false, "shop", "", "pods/log", "web-0", "", "get"),
            LOGS.withNamespace("dev"),
            new Atom(true, "shop", "apps", "pods/log", "web-0", "", "get"),
            new Atom(true, "shop", "", "pods", "web-0", "", "get"),
            LOGS.withResourceName("web-1"),
            new Atom(true, "shop", "", "pods/log", "web-0", "/x", "get"),
            new Atom(true, "shop", "", "pods/log", "web-0", "", "list"));
    for (Atom other : others) {
      assertThat(other).as(other.toString()).isNotEqualTo(LOGS);
      assertThat(other.hashCode()).as(other.toString()).isNotEqualTo(LOGS.hashCode());
    }
  }
}
