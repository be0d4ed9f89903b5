package dev.rbacsynth.compact;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Harness;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * audit2rbac's rule order: by the joined apiGroups, then by the rule's compact text (apiGroups,
 * resources, nonResourceURLs, resourceNames, verbs, each as a quoted list).
 */
class RuleOrderTest {

  private static PolicyRule rule(
      List<String> groups, List<String> resources, List<String> names, List<String> verbs) {
    return new PolicyRuleBuilder()
        .withApiGroups(groups)
        .withResources(resources)
        .withResourceNames(names)
        .withVerbs(verbs)
        .build();
  }

  @Test
  void theCompactTextListsEveryNonEmptyFieldInGoOrder() {
    assertThat(
            RuleOrder.compactString(
                rule(
                    List.of("", "apps"),
                    List.of("deployments", "deployments/scale"),
                    List.of("web"),
                    List.of("get", "patch"))))
        .isEqualTo(
            "{APIGroups:[\"\" \"apps\"], Resources:[\"deployments\" \"deployments/scale\"],"
                + " ResourceNames:[\"web\"], Verbs:[\"get\" \"patch\"]}");
    assertThat(
            RuleOrder.compactString(
                new PolicyRuleBuilder().withNonResourceURLs("/metrics").withVerbs("get").build()))
        .isEqualTo("{NonResourceURLs:[\"/metrics\"], Verbs:[\"get\"]}");
    assertThat(RuleOrder.compactString(new PolicyRule())).isEqualTo("{}");
  }

  @Test
  void rulesSortByGroupsThenByTheirCompactText() {
    PolicyRule urls =
        new PolicyRuleBuilder().withNonResourceURLs("/metrics").withVerbs("get").build();
    List<PolicyRule> expected =
        List.of(
            // "ResourceNames" sorts before "Verbs", and "pods\"" before "pods/log"
            rule(List.of(""), List.of("pods"), List.of("a"), List.of("get")),
            rule(List.of(""), List.of("pods"), List.of("b"), List.of("get")),
            rule(List.of(""), List.of("pods"), List.of(), List.of("get")),
            rule(List.of(""), List.of("pods"), List.of(), List.of("list")),
            rule(List.of(""), List.of("pods/log"), List.of(), List.of("get")),
            urls, // no groups joins to "" as [""] does; "NonResourceURLs" sorts after "APIGroups"
            rule(List.of("", "apps"), List.of("pods"), List.of(), List.of("get")),
            rule(List.of("apps"), List.of("deployments"), List.of(), List.of("get")),
            rule(List.of("batch"), List.of("cronjobs"), List.of(), List.of("get")));
    List<PolicyRule> shuffled = new ArrayList<>(expected);
    Collections.shuffle(shuffled, new Random(3));
    shuffled.sort(RuleOrder.INSTANCE);
    assertThat(shuffled.stream().map(Harness::text))
        .containsExactlyElementsOf(expected.stream().map(Harness::text).toList());
  }
}
