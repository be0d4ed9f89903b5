package dev.rbacsynth.attributes;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The written-out equals and hashCode keep the record's contract: every component counts. */
class RequestAttributesTest {

  private static final RequestAttributes EXEC =
      RequestAttributes.resource("create", "", "pods", "exec", "shop", "web-0");

  @Test
  void equalComponentsAreEqualWithTheSameHash() {
    RequestAttributes same =
        new RequestAttributes(true, "create", "", "pods", "exec", "shop", "web-0", null);
    assertThat(same).isEqualTo(EXEC).hasSameHashCodeAs(EXEC);
    assertThat(RequestAttributes.nonResource("get", "/metrics"))
        .isEqualTo(new RequestAttributes(false, "get", null, null, null, null, null, "/metrics"))
        .hasSameHashCodeAs(RequestAttributes.nonResource("get", "/metrics"));
  }

  @Test
  void eachComponentMakesADifference() {
    List<RequestAttributes> others =
        List.of(
            new RequestAttributes(false, "create", "", "pods", "exec", "shop", "web-0", ""),
            EXEC.withVerb("get"),
            RequestAttributes.resource("create", "apps", "pods", "exec", "shop", "web-0"),
            RequestAttributes.resource("create", "", "services", "exec", "shop", "web-0"),
            RequestAttributes.resource("create", "", "pods", "attach", "shop", "web-0"),
            EXEC.withNamespace("dev"),
            EXEC.withName("web-1"),
            new RequestAttributes(true, "create", "", "pods", "exec", "shop", "web-0", "/x"));
    for (RequestAttributes other : others) {
      assertThat(other).as(other.describe()).isNotEqualTo(EXEC);
      assertThat(other.hashCode()).as(other.describe()).isNotEqualTo(EXEC.hashCode());
    }
    assertThat(EXEC).isNotEqualTo(null).isNotEqualTo("create pods/exec");
  }
}
