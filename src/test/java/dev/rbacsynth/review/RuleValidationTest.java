package dev.rbacsynth.review;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@link ExistingRbac#ruleProblem}: the rule checks of the apiserver's ValidatePolicyRule
 * (kubernetes/kubernetes:pkg/apis/rbac/validation/validation.go), on flannel's nodes/status rule
 * and the default system:discovery rule.
 */
class RuleValidationTest {

  private static PolicyRuleBuilder nodesStatus() {
    return new PolicyRuleBuilder().withApiGroups("").withResources("nodes/status");
  }

  private static PolicyRuleBuilder discovery() {
    return new PolicyRuleBuilder().withNonResourceURLs("/api", "/api/*", "/version");
  }

  @Test
  void validRulesPass() {
    assertThat(ExistingRbac.ruleProblem(nodesStatus().withVerbs("patch").build(), true)).isNull();
    assertThat(ExistingRbac.ruleProblem(discovery().withVerbs("get").build(), false)).isNull();
  }

  @Test
  void eachRefusalIsWordedAsTheApiserverDoes() {
    assertThat(ExistingRbac.ruleProblem(nodesStatus().build(), false))
        .isEqualTo("verbs must not be empty");
    assertThat(ExistingRbac.ruleProblem(discovery().withVerbs("get").build(), true))
        .isEqualTo("namespaced rules cannot apply to non-resource URLs");
    PolicyRule mixed = nodesStatus().withVerbs("patch").withNonResourceURLs("/healthz").build();
    assertThat(ExistingRbac.ruleProblem(mixed, false))
        .isEqualTo("rules cannot apply to both regular resources and non-resource URLs");
    assertThat(
            ExistingRbac.ruleProblem(
                new PolicyRuleBuilder().withResources("pods").withVerbs("get").build(), true))
        .isEqualTo("resource rules must supply at least one api group");
    assertThat(
            ExistingRbac.ruleProblem(
                new PolicyRuleBuilder().withApiGroups("").withVerbs("get").build(), true))
        .isEqualTo("resource rules must supply at least one resource");
  }
}
