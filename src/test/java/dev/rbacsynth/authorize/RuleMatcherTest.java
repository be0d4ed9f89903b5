package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.attributes.RequestAttributes;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One rule against one request, field by field, as {@code RuleAllows} decides (semantics.md §5.3).
 */
class RuleMatcherTest {

  /** A resource rule on every verb and group: only {@code resources} decides. */
  private static PolicyRule resources(String... resources) {
    return new PolicyRuleBuilder()
        .withVerbs("*")
        .withApiGroups("*")
        .withResources(resources)
        .build();
  }

  /** A rule on every verb: only {@code nonResourceURLs} decides. */
  private static PolicyRule urls(String... urls) {
    return new PolicyRuleBuilder().withVerbs("*").withNonResourceURLs(urls).build();
  }

  /** {@code get} on pods in any group, restricted to {@code names} ({@code null}: no list). */
  private static PolicyRule names(List<String> names) {
    return new PolicyRuleBuilder()
        .withVerbs("get", "list")
        .withApiGroups("")
        .withResources("pods")
        .withResourceNames(names)
        .build();
  }

  private static RequestAttributes deployment(String sub) {
    return RequestAttributes.resource("get", "apps", "deployments", sub, "shop", "web");
  }

  @ParameterizedTest
  @CsvSource({
    "*, scale, true",
    "*, '', true",
    "*/scale, scale, true",
    "*/scale, '', false",
    "*/scale, status, false",
    "*/scale, cale, false",
    "*/scale, xscale, false",
    "*/, '', false",
    "deployments/*, scale, false",
    "deployments/*, '', false",
    "*/*, scale, false",
    "deployments, '', true",
    "deployments, scale, false",
    "deployments/scale, scale, true",
    "deployments/scale, '', false",
  })
  void resourcesAreStarExactOrStarSlashSubresource(String rule, String sub, boolean allowed) {
    assertThat(RuleMatcher.allows(resources(rule), deployment(sub))).isEqualTo(allowed);
  }

  @Test
  void aSubresourceNamedStarIsOnlyMatchedLiterally() {
    assertThat(RuleMatcher.allows(resources("deployments/*"), deployment("*"))).isTrue();
  }

  @ParameterizedTest
  @CsvSource({
    "/healthz*, /healthz, true",
    "/healthz*, /healthzfoo, true",
    "/healthz*, /healthz/etcd, true",
    "/healthz*, /health, false",
    "/healthz/*, /healthz, false",
    "/healthz/*, /healthz/etcd, true",
    "/logs**, /logs, true",
    "/logs**, /logs/x, true",
    "/logs**, /log, false",
    "**, /anything, true",
    "/api/*/v1, /api/x/v1, false",
    "/api/*/v1, /api/*/v1, true",
    "/version, /version, true",
    "/version, /version/, false",
    "*, /debug/pprof, true",
  })
  void urlsAreExactOrATrailingStarPrefixWithEveryTrailingStarRemoved(
      String rule, String path, boolean allowed) {
    assertThat(RuleMatcher.allows(urls(rule), RequestAttributes.nonResource("get", path)))
        .isEqualTo(allowed);
  }

  @Test
  void resourceNamesEmptyAllowsEveryNameAndAnEmptyNameOnlyNamelessRequests() {
    RequestAttributes named = RequestAttributes.resource("get", "", "pods", "", "shop", "web-0");
    RequestAttributes nameless = RequestAttributes.resource("list", "", "pods", "", "shop", "");
    assertThat(RuleMatcher.allows(names(null), named)).isTrue();
    assertThat(RuleMatcher.allows(names(null), nameless)).isTrue();
    assertThat(RuleMatcher.allows(names(List.of()), nameless)).isTrue();
    assertThat(RuleMatcher.allows(names(List.of("web-0")), named)).isTrue();
    assertThat(RuleMatcher.allows(names(List.of("web-0")), nameless)).isFalse();
    assertThat(RuleMatcher.allows(names(List.of("web-1", "*")), named)).isFalse();
    assertThat(RuleMatcher.allows(names(List.of("")), named)).isFalse();
    assertThat(RuleMatcher.allows(names(List.of("")), nameless))
        .as("[\"\"] matches nameless requests (never emit it)")
        .isTrue();
  }

  @Test
  void verbsAndGroupsAreStarOrExactAndOnlyStarMatchesTheEmptyVerb() {
    PolicyRule get =
        new PolicyRuleBuilder().withVerbs("get").withApiGroups("").withResources("pods").build();
    PolicyRule any =
        new PolicyRuleBuilder().withVerbs("*").withApiGroups("*").withResources("pods").build();
    RequestAttributes options = RequestAttributes.resource("", "", "pods", "", "shop", "");
    RequestAttributes appsPods = RequestAttributes.resource("get", "apps", "pods", "", "", "");
    assertThat(RuleMatcher.allows(get, options)).isFalse();
    assertThat(RuleMatcher.allows(any, options)).isTrue();
    assertThat(RuleMatcher.allows(get, appsPods)).isFalse();
    assertThat(RuleMatcher.allows(any, appsPods)).isTrue();
    assertThat(RuleMatcher.allows(get, options.withVerb("GET"))).as("case-sensitive").isFalse();
  }

  @Test
  void resourceRulesNeverMatchPathsAndUrlRulesNeverMatchResources() {
    assertThat(RuleMatcher.allows(resources("*"), RequestAttributes.nonResource("get", "/")))
        .isFalse();
    assertThat(RuleMatcher.allows(urls("*"), deployment(""))).isFalse();
    assertThat(RuleMatcher.allows(new PolicyRuleBuilder().build(), deployment(""))).isFalse();
  }
}
