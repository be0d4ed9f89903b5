package dev.rbacsynth.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.kube.BuiltInResources.Resource;
import dev.rbacsynth.kube.BuiltInResources.Scope;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuiltInResourcesTest {

  @Test
  void eachGroupAndPluralIsListedOnce() {
    Set<String> seen = new HashSet<>();
    for (Resource r : BuiltInResources.all()) {
      assertThat(seen.add(r.group() + "/" + r.plural())).as(r.toString()).isTrue();
    }
  }

  @Test
  void aNameInTwoGroupsResolvesToTheCoreOneAsKubectlDoes() {
    assertThat(BuiltInResources.lookup("events").orElseThrow().group()).isEmpty();
    assertThat(BuiltInResources.lookup("ev").orElseThrow().group()).isEmpty();
    assertThat(BuiltInResources.find("events.k8s.io", "events").orElseThrow().scope())
        .isEqualTo(Scope.NAMESPACED);
  }

  @Test
  void dynamicResourceAllocationAndNewerStorageResourcesHaveTheirDiscoveryScope() {
    assertThat(BuiltInResources.clusterScopedForRbac("resource.k8s.io", "resourceslices")).isTrue();
    assertThat(BuiltInResources.clusterScopedForRbac("resource.k8s.io", "deviceclasses")).isTrue();
    assertThat(BuiltInResources.clusterScopedForRbac("resource.k8s.io", "resourceclaims"))
        .isFalse();
    assertThat(BuiltInResources.clusterScopedForRbac("resource.k8s.io", "resourceclaimtemplates"))
        .isFalse();
    assertThat(BuiltInResources.clusterScopedForRbac("storage.k8s.io", "volumeattributesclasses"))
        .isTrue();
    assertThat(BuiltInResources.clusterScopedForRbac("coordination.k8s.io", "leasecandidates"))
        .isFalse();
    assertThat(
            BuiltInResources.clusterScopedForRbac(
                "admissionregistration.k8s.io", "mutatingadmissionpolicies"))
        .isTrue();
  }
}
