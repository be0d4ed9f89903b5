package dev.rbacsynth.cani;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Manifests;
import dev.rbacsynth.authorize.Authorizer;
import dev.rbacsynth.authorize.Policy;
import dev.rbacsynth.kube.Identities;
import java.util.List;
import org.junit.jupiter.api.Test;

/** can-i --list: what a user may do in a namespace, without the grants its bindings cannot give. */
class AccessListTest {

  private static final Authorizer TEAM_A =
      new Authorizer(
          Policy.of(
              Manifests.objects(
                  """
                  apiVersion: rbac.authorization.k8s.io/v1
                  kind: Role
                  metadata: {name: onboarder, namespace: team-a}
                  rules:
                  - {apiGroups: [rbac.authorization.k8s.io], resources: [clusterroles],
                     resourceNames: [edit], verbs: [bind]}
                  - {apiGroups: [''], resources: [nodes, pods/log], verbs: [get]}
                  - {nonResourceURLs: [/metrics], verbs: [get]}
                  ---
                  apiVersion: rbac.authorization.k8s.io/v1
                  kind: RoleBinding
                  metadata: {name: onboarder, namespace: team-a}
                  roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: onboarder}
                  subjects: [{kind: User, apiGroup: rbac.authorization.k8s.io, name: alice}]
                  """)));

  @Test
  void rowsAreWhatTheBindingsCanGiveInTheNamespace() {
    AccessList list = AccessList.of(TEAM_A, Identities.of("alice", List.of()), "team-a");
    assertThat(list.rows())
        .extracting(r -> r.resources() + " " + r.resourceNames() + " " + r.verbs())
        .containsExactly(
            "clusterroles.rbac.authorization.k8s.io [edit] [bind]", "pods/log [] [get]");
    assertThat(list.inert()).as("nodes and /metrics").isEqualTo(2);
  }

  @Test
  void aRoleBindingGivesNothingInAnotherNamespace() {
    AccessList list = AccessList.of(TEAM_A, Identities.of("alice", List.of()), "shop");
    assertThat(list.rows()).isEmpty();
    assertThat(list.inert()).isZero();
  }
}
