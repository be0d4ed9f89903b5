package dev.rbacsynth.cani;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * can-i's resource argument: {@code resource[.group][/subresource]}, with built-in plurals,
 * singulars and short names resolved offline to their group as kubectl's discovery would.
 */
class ResourceArgTest {

  @ParameterizedTest
  @CsvSource({
    "pods, pods",
    "Pods, pods",
    "po, pods",
    "pod, pods",
    "deploy, deployments.apps",
    "deployment, deployments.apps",
    "deployments, deployments.apps",
    "ingress, ingresses.networking.k8s.io",
    "networkpolicy, networkpolicies.networking.k8s.io",
    "crd, customresourcedefinitions.apiextensions.k8s.io",
    "csr, certificatesigningrequests.certificates.k8s.io",
    "pods/log, pods/log",
    "deploy/scale, deployments.apps/scale",
    "deployments.apps/scale, deployments.apps/scale",
    "deployments.v1.apps, deployments.apps",
    "widgets.v1beta1.example.com, widgets.example.com",
    "widgets.example.com, widgets.example.com",
    "widgets.vendor.example.com, widgets.vendor.example.com",
    "'*', '*'",
    "' pods ', pods",
  })
  void builtInResourcesResolveToTheirGroup(String argument, String resolved) {
    ResourceArg r = ResourceArg.parse(argument, "");
    assertThat(r.describe()).isEqualTo(resolved);
    assertThat(r.warning()).isEmpty();
  }

  @Test
  void anUnknownResourceIsCheckedInTheCoreGroupWithAWarning() {
    ResourceArg r = ResourceArg.parse("Widgets", "");
    assertThat(r.describe()).isEqualTo("widgets");
    assertThat(r.warning())
        .isEqualTo(
            "\"Widgets\" is not a built-in resource: checked as widgets in the core group; write"
                + " RESOURCE.GROUP for other API groups");
  }

  @Test
  void theSubresourceFlagAgreesWithTheArgument() {
    assertThat(ResourceArg.parse("pods", "log").describe()).isEqualTo("pods/log");
    assertThat(ResourceArg.parse("pods/log", "log").describe()).isEqualTo("pods/log");
    assertThatThrownBy(() -> ResourceArg.parse("pods/log", "exec"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("two subresources given: \"log\" and --subresource exec");
  }

  @ParameterizedTest
  @CsvSource({"pods/", "pods/a/b", "/log", "''"})
  void malformedArgumentsAreRejected(String argument) {
    assertThatThrownBy(() -> ResourceArg.parse(argument, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + argument + "\"");
  }
}
