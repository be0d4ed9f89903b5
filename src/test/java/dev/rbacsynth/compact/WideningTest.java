package dev.rbacsynth.compact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.attributes.RequestAttributes;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The synthesizer records which expansion widened each request, and on what evidence. */
class WideningTest {
  private static final RequestAttributes GET_A =
      RequestAttributes.resource("get", "", "configmaps", "", "shop", "a");
  private static final RequestAttributes GET_B =
      RequestAttributes.resource("get", "", "configmaps", "", "web", "b");
  private static final RequestAttributes LIST =
      RequestAttributes.resource("list", "", "pods", "", "shop", "");
  private static final RequestAttributes URL = RequestAttributes.nonResource("get", "/healthz");

  @Test
  void eachExpansionIsRecordedWithItsEvidence() {
    GeneratedPolicy p =
        new RuleSynthesizer(GenerateOptions.DEFAULTS).synthesize(List.of(GET_A, GET_B, LIST, URL));
    Widening a = p.widening(GET_A);
    assertThat(a).isEqualTo(new Widening(2, 2, List.of()));
    assertThat(a.kinds()).containsExactly("namespaces", "names");
    assertThat(a.describe())
        .isEqualTo(
            "namespaces (seen in 2, granted cluster-wide); names (seen on 2, granted for any name)");
    Widening list = p.widening(LIST);
    assertThat(list.kinds()).containsExactly("verbs");
    assertThat(list.describe()).isEqualTo("verbs (+get, watch)");
    assertThat(p.widening(URL)).isEqualTo(Widening.NONE);
    assertThat(Widening.NONE.kinds()).isEmpty();
    assertThat(Widening.NONE.describe()).isEmpty();
  }

  @Test
  void exactWidensNothing() {
    GeneratedPolicy p =
        new RuleSynthesizer(GenerateOptions.EXACT).synthesize(List.of(GET_A, GET_B, LIST));
    assertThat(p.widenings()).isEmpty();
  }
}
