package dev.rbacsynth.kube;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.UserInfo;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The identity the authorizer sees for a subject, with its groups completed as the apiserver
 * completes an impersonated identity (semantics.md §1.3).
 */
class IdentitiesTest {

  @Test
  void withoutExplicitGroupsTheApiserverSynthesizesThem() {
    assertThat(Identities.of("system:serviceaccount:shop:web", List.of()).groups())
        .containsExactly(
            "system:serviceaccounts", "system:serviceaccounts:shop", "system:authenticated");
    assertThat(Identities.of("system:anonymous", List.of()).groups())
        .containsExactly("system:unauthenticated");
    assertThat(Identities.of("alice", List.of()).groups()).containsExactly("system:authenticated");
  }

  @Test
  void explicitGroupsAreSortedAndOnlyAuthenticatedIsAdded() {
    assertThat(
            Identities.of("system:serviceaccount:shop:web", List.of("ops", "dev", "ops")).groups())
        .containsExactly("dev", "ops", "system:authenticated");
    assertThat(Identities.of("alice", List.of("dev", "system:authenticated")).groups())
        .containsExactly("dev", "system:authenticated");
    assertThat(Identities.of("system:anonymous", List.of("system:unauthenticated")).groups())
        .containsExactly("system:unauthenticated");
  }

  @Test
  void aReviewedSubjectHasItsNamesGroupsPlusTheGroupsItAlwaysHad() {
    UserInfo web =
        Identities.ofSubject(new Subject.ServiceAccount("shop", "web"), Set.of("team-a"));
    assertThat(web.username()).isEqualTo("system:serviceaccount:shop:web");
    assertThat(web.groups())
        .containsExactly(
            "system:authenticated",
            "system:serviceaccounts",
            "system:serviceaccounts:shop",
            "team-a");
    UserInfo group = Identities.ofSubject(new Subject.Group("dev"), Set.of("other"));
    assertThat(group.username()).isEmpty();
    assertThat(group.groups()).containsExactly("dev");
  }
}
