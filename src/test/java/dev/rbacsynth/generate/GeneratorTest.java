package dev.rbacsynth.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.Observed;
import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.Subject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which observed requests get a rule, and whose requests they are. */
class GeneratorTest {
  private static final Subject ALICE = new Subject.User("alice");

  private static RequestAttributes res(String verb, String resource, String ns, String name) {
    return RequestAttributes.resource(verb, "", resource, "", ns, name);
  }

  /** Usage where each request was seen once with the given outcome, by a plain user. */
  private static ObservedUsage observed(Outcome outcome, RequestAttributes... requests) {
    return Observed.usage(outcome, List.of("system:authenticated"), requests);
  }

  @Test
  void whatTheDefaultsGrantIsNotWanted() {
    RequestAttributes version = RequestAttributes.nonResource("get", "/version");
    RequestAttributes review =
        RequestAttributes.resource(
            "create", "authorization.k8s.io", "selfsubjectaccessreviews", "", "", "");
    RequestAttributes metrics = RequestAttributes.nonResource("get", "/metrics");
    assertThat(
            new Generator(GenerateOptions.DEFAULTS)
                .wanted(ALICE, observed(Outcome.ALLOWED, version, review, metrics).requests()))
        .containsExactly(metrics);
  }

  @Test
  void deniedRequestsAreWantedUnlessTheOptionsSayOtherwise() {
    RequestAttributes denied = res("list", "secrets", "shop", "");
    var usage = observed(Outcome.RBAC_DENIED, denied).requests();
    assertThat(new Generator(GenerateOptions.DEFAULTS).wanted(ALICE, usage))
        .containsExactly(denied);
    assertThat(new Generator(new GenerateOptions(true, true, true, false)).wanted(ALICE, usage))
        .isEmpty();
    assertThat(
            new Generator(new GenerateOptions(true, true, true, false))
                .wanted(ALICE, observed(Outcome.UNDECIDED, denied).requests()))
        .as("a 429 shows intent, not a denial")
        .containsExactly(denied);
  }

  @Test
  void aRequestIsTheUsersWithTheGroupsItAlwaysHad() {
    assertThat(Generator.requester(ALICE, Set.of("dev", "system:authenticated")))
        .isEqualTo(UserInfo.of("alice", List.of("dev", "system:authenticated")));
    assertThat(
            Generator.requester(
                new Subject.ServiceAccount("shop", "web"), Set.of("system:serviceaccounts")))
        .isEqualTo(
            UserInfo.of("system:serviceaccount:shop:web", List.of("system:serviceaccounts")));
  }

  @Test
  void aGroupsRequestIsAnAnonymousMembers() {
    assertThat(Generator.requester(new Subject.Group("dev"), Set.of("system:authenticated")))
        .as("the binding gives the rights to every member, whatever the name")
        .isEqualTo(UserInfo.of("", List.of("dev", "system:authenticated")));
  }
}
