package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.attributes.RequestAttributes;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The {@code Covers} decomposition of a rule into atomic grants (semantics.md §5.8), and the one
 * concrete request that stands for a grant.
 */
class GrantTest {

  @Test
  void aRuleIsTheProductOfItsVerbsGroupsResourcesAndNames() {
    assertThat(
            Grant.of(
                    new PolicyRuleBuilder()
                        .withVerbs("get", "list", "get")
                        .withApiGroups("", "apps")
                        .withResources("pods")
                        .withResourceNames("a", "b")
                        .build())
                .stream()
                .map(Grant::describe))
        .containsExactly(
            "get pods a",
            "get pods b",
            "get pods.apps a",
            "get pods.apps b",
            "list pods a",
            "list pods b",
            "list pods.apps a",
            "list pods.apps b");
    assertThat(
            Grant.of(
                    new PolicyRuleBuilder()
                        .withVerbs("get", "head")
                        .withNonResourceURLs("/healthz", "/livez")
                        .build())
                .stream()
                .map(Grant::describe))
        .containsExactly("get /healthz", "get /livez", "head /healthz", "head /livez");
    assertThat(Grant.of(new PolicyRuleBuilder().withVerbs("get").build())).isEmpty();
  }

  @Test
  void aGrantAllowsWhatItsRuleAloneWouldAllow() {
    Grant named = Grant.resource("get", "apps", "deployments/scale", "web");
    assertThat(
            named.allows(
                RequestAttributes.resource("get", "apps", "deployments", "scale", "shop", "web")))
        .isTrue();
    assertThat(
            named.allows(
                RequestAttributes.resource("get", "apps", "deployments", "scale", "shop", "api")))
        .isFalse();
    assertThat(
            named.allows(
                RequestAttributes.resource("get", "apps", "deployments", "", "shop", "web")))
        .isFalse();
    assertThat(
            Grant.resource("get", "", "pods", "")
                .allows(RequestAttributes.resource("get", "", "pods", "", "shop", "any")))
        .as("no name: any name")
        .isTrue();
    Grant prefix = Grant.url("get", "/healthz/*");
    assertThat(prefix.isNonResource()).isTrue();
    assertThat(prefix.allows(RequestAttributes.nonResource("get", "/healthz/etcd"))).isTrue();
    assertThat(prefix.allows(RequestAttributes.nonResource("get", "/healthz"))).isFalse();
    assertThat(named.isNonResource()).isFalse();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "get    | apps | deployments/scale | web | get deployments/scale (apps) web -n shop",
        "list   | ''   | pods              | ''  | list pods -n shop",
        "*      | ''   | pods              | ''  | none",
        "get    | *    | pods              | ''  | none",
        "get    | ''   | *                 | ''  | none",
        "get    | ''   | */scale           | ''  | none",
        "get    | ''   | pods/*            | ''  | none",
      })
  void aGrantWithoutWildcardsHasOneRequestThatStandsForIt(
      String verb, String group, String resource, String name, String probe) {
    Optional<RequestAttributes> request = Grant.resource(verb, group, resource, name).probe("shop");
    assertThat(request.map(RequestAttributes::describe).orElse("none")).isEqualTo(probe);
  }

  @Test
  void aUrlGrantStandsForItsPathUnlessItIsAPrefix() {
    assertThat(Grant.url("get", "/metrics").probe("shop"))
        .contains(RequestAttributes.nonResource("get", "/metrics"));
    assertThat(Grant.url("get", "/healthz/*").probe("")).isEmpty();
    assertThat(Grant.url("*", "/metrics").probe("")).isEmpty();
  }

  @Test
  void theTargetIsWordedLikeKubectl() {
    assertThat(Grant.resource("get", "apps", "deployments/scale", "web").target())
        .isEqualTo("deployments.apps/scale web");
    assertThat(Grant.resource("get", "", "pods/log", "").target()).isEqualTo("pods/log");
    assertThat(Grant.resource("get", "", "pods", "").baseResource()).isEqualTo("pods");
    assertThat(Grant.resource("get", "", "pods/log", "").baseResource()).isEqualTo("pods");
    assertThat(Grant.url("get", "/metrics").target()).isEqualTo("/metrics");
  }
}
