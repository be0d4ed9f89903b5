package dev.rbacsynth.attributes;

import static dev.rbacsynth.SemanticsEvents.code;
import static dev.rbacsynth.SemanticsEvents.decision;
import static dev.rbacsynth.SemanticsEvents.replace;
import static dev.rbacsynth.SemanticsEvents.set;
import static dev.rbacsynth.SemanticsEvents.variant;
import static dev.rbacsynth.SemanticsEvents.without;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.SemanticsEvents;
import dev.rbacsynth.attributes.Interpretation.Skip;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.select.SubjectRole;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which authorization checks an audit event stands for (semantics.md §2 to §4): the outcome of the
 * logged check, the checks the apiserver makes without an event of their own, the impersonator's
 * checks, and the events that stand for none. Events are the documented cases of
 * testdata/semantics, or variants of them.
 */
class EventInterpreterTest {

  /** The checks of the event for its requester, as {@code describe() OUTCOME}. */
  private static List<String> checks(AuditEvent event) {
    return checks(event, SubjectRole.REQUESTER);
  }

  private static List<String> checks(AuditEvent event, SubjectRole role) {
    Interpretation i = EventInterpreter.interpret(event, role);
    assertThat(i.skip()).as("skip").isEqualTo(Skip.NONE);
    return describe(i);
  }

  private static List<String> describe(Interpretation i) {
    return i.requirements().stream()
        .map(r -> r.attributes().describe() + " " + r.outcome())
        .toList();
  }

  private static Skip skip(AuditEvent event) {
    return EventInterpreter.interpret(event, SubjectRole.REQUESTER).skip();
  }

  // --- outcome of the logged check

  @ParameterizedTest
  @CsvSource({
    "allow, 200, ALLOWED",
    "allow, 403, REJECTED_AFTER_AUTHORIZATION",
    "forbid, 403, RBAC_DENIED",
    "'', 403, RBAC_DENIED",
    "'', 429, UNDECIDED",
    "'', 400, UNDECIDED",
    "'', 0, UNDECIDED",
    "'', 200, ALLOWED",
    "'', 500, ALLOWED",
  })
  void theOutcomeIsTheDecisionAnnotationAndWithoutOneTheCode(
      String decision, int code, Outcome outcome) {
    AuditEvent e = variant(44, decision(decision), code(code));
    assertThat(checks(e)).containsExactly("list pods -n shop " + outcome);
  }

  @Test
  void onlyAnRbacDenialOrARejectionAfterAuthorizationIsADenial() {
    assertThat(List.of(Outcome.values()).stream().filter(Outcome::denied))
        .containsExactly(Outcome.RBAC_DENIED, Outcome.REJECTED_AFTER_AUTHORIZATION);
  }

  @Test
  void a403AfterAnAllowIsAdmissionAndA403AfterAForbidIsRbac() {
    assertThat(checks(SemanticsEvents.of(22)))
        .containsExactly("create pods -n shop REJECTED_AFTER_AUTHORIZATION");
    assertThat(checks(SemanticsEvents.all(23).get(0)))
        .containsExactly("list secrets -n shop RBAC_DENIED");
  }

  // --- the authorized name

  @Test
  void aCreateIsNamelessAndAListOrWatchIsNamedOnlyByItsFieldSelector() {
    assertThat(checks(SemanticsEvents.of(6))).containsExactly("create configmaps -n shop ALLOWED");
    assertThat(checks(SemanticsEvents.of(3))).containsExactly("watch pods web-0 -n shop ALLOWED");
    assertThat(EventInterpreter.attributesOf(SemanticsEvents.of(3)))
        .isEqualTo(RequestAttributes.resource("watch", "", "pods", "", "shop", "web-0"));
    assertThat(checks(SemanticsEvents.of(5)))
        .as("deletecollection never takes the selector's name")
        .containsExactly("deletecollection pods -n shop ALLOWED");
    AuditEvent deprecatedWatch =
        variant(
            3,
            set(
                "requestURI",
                "/api/v1/watch/namespaces/shop/pods?fieldSelector=metadata.name%3Dweb-0"));
    assertThat(checks(deprecatedWatch))
        .as("the /watch/ prefix does not parse the selector")
        .containsExactly("watch pods -n shop ALLOWED");
  }

  @Test
  void withoutARequestUriTheObjectRefIsUsedExceptACreatesBodyName() {
    assertThat(checks(variant(40, without("requestURI"))))
        .containsExactly("get secrets db -n shop ALLOWED");
    assertThat(checks(variant(6, without("requestURI"), set("/objectRef", "name", "app"))))
        .containsExactly("create configmaps -n shop ALLOWED");
    assertThat(checks(variant(41, without("requestURI"))))
        .as("a subresource create names its object in the URL")
        .containsExactly("create serviceaccounts/token deployer -n ci ALLOWED");
    assertThat(checks(variant(5, without("requestURI"), set("/objectRef", "name", "web-0"))))
        .containsExactly("deletecollection pods -n shop ALLOWED");
    assertThat(checks(variant(20, without("requestURI"))))
        .as("no objectRef and no URI: a non-resource request with no path")
        .containsExactly("get  ALLOWED");
  }

  // --- checks without an audit event of their own (2.4)

  @Test
  void aPatchOrUpdateAnswered201AlsoNeededCreateWithTheName() {
    assertThat(checks(SemanticsEvents.of(11)))
        .containsExactly(
            "patch deployments (apps) web -n shop ALLOWED",
            "create deployments (apps) web -n shop ALLOWED");
    assertThat(checks(SemanticsEvents.of(49)))
        .containsExactly(
            "update endpoints legacy-db -n shop ALLOWED",
            "create endpoints legacy-db -n shop ALLOWED");
    assertThat(checks(variant(49, code(200))))
        .containsExactly("update endpoints legacy-db -n shop ALLOWED");
  }

  @Test
  void aServerSideApplyRejectedAfterAnAllowWasMissingCreate() {
    assertThat(checks(SemanticsEvents.of(12)))
        .containsExactly(
            "patch deployments (apps) web -n shop REJECTED_AFTER_AUTHORIZATION",
            "create deployments (apps) web -n shop REJECTED_AFTER_AUTHORIZATION");
    assertThat(checks(variant(12, decision("forbid"))))
        .as("a denied patch says nothing about create")
        .containsExactly("patch deployments (apps) web -n shop RBAC_DENIED");
    assertThat(
            checks(variant(12, set("requestURI", "/apis/apps/v1/namespaces/shop/deployments/web"))))
        .as("not an apply: admission rejected it")
        .containsExactly("patch deployments (apps) web -n shop REJECTED_AFTER_AUTHORIZATION");
  }

  @ParameterizedTest
  @CsvSource({"exec", "attach", "portforward"})
  void aWebSocketStreamIsLoggedAsGetButAlsoNeedsCreate(String sub) {
    AuditEvent e =
        variant(13, set("requestURI", "/api/v1/namespaces/shop/pods/web-0/" + sub + "?stdin=true"));
    assertThat(checks(e))
        .containsExactly(
            "get pods/" + sub + " web-0 -n shop ALLOWED",
            "create pods/" + sub + " web-0 -n shop ALLOWED");
  }

  @Test
  void otherGetsOfPodSubresourcesAndSpdyExecNeedNothingMore() {
    assertThat(checks(SemanticsEvents.of(15)))
        .containsExactly("get pods/log web-0 -n shop ALLOWED");
    assertThat(checks(variant(13, set("verb", "create"))))
        .containsExactly("create pods/exec web-0 -n shop ALLOWED");
    assertThat(checks(variant(13, set("requestURI", "/api/v1/namespaces/shop/services/web/exec"))))
        .containsExactly("get services/exec web -n shop ALLOWED");
  }

  @Test
  void creatingABindingNeedsBindOnItsRoleRefInTheBindingsNamespace() {
    assertThat(checks(SemanticsEvents.of(28)))
        .containsExactly(
            "create rolebindings (rbac.authorization.k8s.io) -n team-a ALLOWED",
            "bind clusterroles (rbac.authorization.k8s.io) edit -n team-a ALLOWED");
    AuditEvent update =
        variant(
            28,
            set("verb", "update"),
            code(200),
            set(
                "requestURI",
                "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings/devs-edit"),
            set("/requestObject/roleRef", "kind", "Role"));
    assertThat(checks(update))
        .containsExactly(
            "update rolebindings (rbac.authorization.k8s.io) devs-edit -n team-a ALLOWED",
            "bind roles (rbac.authorization.k8s.io) edit -n team-a ALLOWED");
    AuditEvent patch =
        variant(
            28,
            set("verb", "patch"),
            code(200),
            set("requestURI", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/devs-edit"));
    assertThat(checks(patch))
        .as("a ClusterRoleBinding's bind is cluster-wide")
        .containsExactly(
            "patch clusterrolebindings (rbac.authorization.k8s.io) devs-edit (cluster-wide) ALLOWED",
            "bind clusterroles (rbac.authorization.k8s.io) edit (cluster-wide) ALLOWED");
  }

  @Test
  void bindIsImpliedOnlyWhenTheRoleRefWasLoggedAndOnlyForBindingWrites() {
    assertThat(checks(variant(28, without("requestObject"))))
        .as("Metadata level: no roleRef, no bind")
        .containsExactly("create rolebindings (rbac.authorization.k8s.io) -n team-a ALLOWED");
    assertThat(
            checks(
                variant(
                    28,
                    set("verb", "delete"),
                    set(
                        "requestURI",
                        "/apis/rbac.authorization.k8s.io/v1/namespaces/team-a/rolebindings/devs-edit"))))
        .containsExactly(
            "delete rolebindings (rbac.authorization.k8s.io) devs-edit -n team-a ALLOWED");
    assertThat(
            checks(
                variant(
                    28, set("requestURI", "/apis/example.com/v1/namespaces/team-a/rolebindings"))))
        .as("another group's rolebindings are not RBAC bindings")
        .containsExactly("create rolebindings (example.com) -n team-a ALLOWED");
  }

  @ParameterizedTest
  @CsvSource({"approval, approve", "status, sign"})
  void csrApprovalAndSigningNeedTheSignerVerb(String sub, String signerVerb) {
    AuditEvent e =
        variant(
            45,
            set("requestURI", "/apis/certificates.k8s.io/v1/certificatesigningrequests/c1/" + sub));
    assertThat(checks(e))
        .containsExactly(
            "update certificatesigningrequests/"
                + sub
                + " (certificates.k8s.io) c1 (cluster-wide) "
                + "ALLOWED",
            signerVerb
                + " signers (certificates.k8s.io) example.com/internal-ca (cluster-wide) "
                + "ALLOWED");
  }

  @Test
  void otherCsrWritesAndUnloggedSignersNeedNoSignerVerb() {
    String plain = "/apis/certificates.k8s.io/v1/certificatesigningrequests/c1";
    assertThat(checks(variant(45, set("requestURI", plain))))
        .containsExactly(
            "update certificatesigningrequests (certificates.k8s.io) c1 (cluster-wide) "
                + "ALLOWED");
    assertThat(checks(variant(45, without("requestObject"))))
        .containsExactly(
            "update certificatesigningrequests/approval (certificates.k8s.io) csr-7xk2p "
                + "(cluster-wide) ALLOWED");
  }

  // --- events that stand for no check

  @Test
  void unauthenticatedAndUnresolvedEventsAreSkipped() {
    assertThat(skip(SemanticsEvents.of(27))).isEqualTo(Skip.UNAUTHENTICATED);
    assertThat(skip(variant(1, replace("user", "{}")))).isEqualTo(Skip.UNAUTHENTICATED);
    assertThat(skip(SemanticsEvents.all(24).get(0)))
        .as("RequestReceived: no decision, no impersonated user yet")
        .isEqualTo(Skip.UNRESOLVED);
    assertThat(skip(variant(1, set("stage", "ResponseStarted")))).isEqualTo(Skip.NONE);
    assertThat(skip(variant(25, set("stage", "Panic")))).isEqualTo(Skip.NONE);
  }

  @Test
  void requestsThatCannotSucceedAreReportedNotGenerated() {
    Interpretation options =
        EventInterpreter.interpret(variant(1, set("verb", "")), SubjectRole.REQUESTER);
    assertThat(options.skip()).isEqualTo(Skip.EMPTY_VERB);
    assertThat(describe(options)).hasSize(1);
    Interpretation rootProxy =
        EventInterpreter.interpret(SemanticsEvents.of(48), SubjectRole.REQUESTER);
    assertThat(rootProxy.skip()).isEqualTo(Skip.REMOVED_PROXY_PATH);
    assertThat(describe(rootProxy))
        .containsExactly("proxy nodes node-1 (cluster-wide) RBAC_DENIED");
    assertThat(skip(SemanticsEvents.of(10))).isEqualTo(Skip.CLUSTER_SCOPED_IN_NAMESPACE);
    assertThat(skip(SemanticsEvents.of(8)))
        .as("namespaces/N is in namespace N")
        .isEqualTo(Skip.NONE);
  }

  @Test
  void anEventOfSomeoneElseStandsForNothing() {
    Interpretation none = EventInterpreter.interpret(SemanticsEvents.of(1), SubjectRole.NONE);
    assertThat(none.requirements()).isEmpty();
    assertThat(none.skip()).isEqualTo(Skip.NONE);
  }

  @Test
  void aDeniedImpersonationReportsTheImpersonationCheck() {
    Interpretation denied =
        EventInterpreter.interpret(SemanticsEvents.of(32), SubjectRole.REQUESTER);
    assertThat(denied.skip()).isEqualTo(Skip.IMPERSONATION_DENIED);
    assertThat(describe(denied))
        .containsExactly("impersonate users bob (cluster-wide) RBAC_DENIED");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "uids.authentication.k8s.io \"u-1\" is forbidden: User \"alice\" cannot impersonate resource"
            + " \"uids\" in API group \"authentication.k8s.io\" at the cluster scope"
            + " | impersonate uids (authentication.k8s.io) u-1 (cluster-wide)",
        "userextras.authentication.k8s.io \"view\" is forbidden: User \"alice\" cannot impersonate"
            + " resource \"userextras/scopes\" in API group \"authentication.k8s.io\" at the cluster"
            + " scope | impersonate userextras/scopes (authentication.k8s.io) view (cluster-wide)",
        "serviceaccounts \"deployer\" is forbidden: User \"alice\" cannot impersonate resource"
            + " \"serviceaccounts\" in API group \"\" in the namespace \"shop\""
            + " | impersonate serviceaccounts deployer -n shop",
        "groups \"admins\" is forbidden: User \"alice\" cannot impersonate resource \"groups\" in"
            + " API group \"\" at the cluster scope | impersonate groups admins (cluster-wide)",
      })
  void aDeniedImpersonationIsReadFromTheForbiddenMessage(String message, String check) {
    AuditEvent e = variant(32, set("/responseStatus", "message", message));
    Interpretation denied = EventInterpreter.interpret(e, SubjectRole.REQUESTER);
    assertThat(denied.skip()).isEqualTo(Skip.IMPERSONATION_DENIED);
    assertThat(describe(denied)).containsExactly(check + " RBAC_DENIED");
  }

  @Test
  void aForbiddenWithoutDecisionThatIsNoImpersonationIsAnOldRbacDenial() {
    AuditEvent old =
        variant(
            32,
            set(
                "/responseStatus",
                "message",
                "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\""
                    + " in the namespace \"shop\""));
    assertThat(checks(old)).containsExactly("list pods -n shop RBAC_DENIED");
    AuditEvent usersList =
        variant(
            32,
            set(
                "/responseStatus",
                "message",
                "users \"bob\" is forbidden: User \"alice\" cannot get resource \"users\" in API"
                    + " group \"\" at the cluster scope"));
    assertThat(checks(usersList)).containsExactly("list pods -n shop RBAC_DENIED");
  }

  // --- the impersonator's checks

  @Test
  void legacyImpersonationOfAUserOrAServiceAccount() {
    assertThat(checks(SemanticsEvents.of(29), SubjectRole.IMPERSONATOR))
        .containsExactly("impersonate users bob (cluster-wide) ALLOWED");
    assertThat(checks(SemanticsEvents.of(30), SubjectRole.IMPERSONATOR))
        .as("a service account is impersonated in its namespace")
        .containsExactly("impersonate serviceaccounts deployer -n shop ALLOWED");
  }

  @Test
  void explicitGroupsUidAndExtrasAreImpersonatedButSynthesizedGroupsAreNot() {
    AuditEvent e =
        variant(
            29,
            replace(
                "impersonatedUser",
                """
                {"username": "bob", "uid": "u-1", "groups": ["system:authenticated", "ops", "dev"],
                 "extra": {"scopes": ["view"]}}
                """));
    assertThat(checks(e, SubjectRole.IMPERSONATOR))
        .containsExactly(
            "impersonate users bob (cluster-wide) ALLOWED",
            "impersonate groups dev (cluster-wide) ALLOWED",
            "impersonate groups ops (cluster-wide) ALLOWED",
            "impersonate uids (authentication.k8s.io) u-1 (cluster-wide) ALLOWED",
            "impersonate userextras/scopes (authentication.k8s.io) view (cluster-wide) ALLOWED");
    AuditEvent saWithGroup =
        variant(
            30,
            replace(
                "impersonatedUser",
                """
                {"username": "system:serviceaccount:shop:deployer",
                 "groups": ["system:serviceaccounts", "system:authenticated"]}
                """));
    assertThat(checks(saWithGroup, SubjectRole.IMPERSONATOR))
        .as("an SA without its namespace group: the groups were sent")
        .containsExactly(
            "impersonate serviceaccounts deployer -n shop ALLOWED",
            "impersonate groups system:serviceaccounts (cluster-wide) ALLOWED");
  }

  @Test
  void anonymousIsImpersonatedWithItsSynthesizedGroup() {
    AuditEvent e =
        variant(
            29,
            replace(
                "impersonatedUser",
                "{\"username\": \"system:anonymous\", \"groups\": [\"system:unauthenticated\"]}"));
    assertThat(checks(e, SubjectRole.IMPERSONATOR))
        .containsExactly("impersonate users system:anonymous (cluster-wide) ALLOWED");
  }

  @Test
  void constrainedImpersonationChecksTheModeAndTheRequestItself() {
    assertThat(checks(SemanticsEvents.of(31), SubjectRole.IMPERSONATOR))
        .containsExactly(
            "impersonate:user-info users (authentication.k8s.io) jane.doe@example.com "
                + "(cluster-wide) ALLOWED",
            "impersonate-on:user-info:list pods -n default ALLOWED");
    AuditEvent withIdentity =
        variant(
            31,
            replace(
                "impersonatedUser",
                """
                {"username": "jane", "uid": "u-9", "groups": ["dev", "system:authenticated"],
                 "extra": {"scopes": ["view"]}}
                """));
    assertThat(checks(withIdentity, SubjectRole.IMPERSONATOR))
        .containsExactly(
            "impersonate:user-info users (authentication.k8s.io) jane (cluster-wide) ALLOWED",
            "impersonate:user-info groups (authentication.k8s.io) dev (cluster-wide) ALLOWED",
            "impersonate:user-info uids (authentication.k8s.io) u-9 (cluster-wide) ALLOWED",
            "impersonate:user-info userextras/scopes (authentication.k8s.io) view (cluster-wide)"
                + " ALLOWED",
            "impersonate-on:user-info:list pods -n default ALLOWED");
  }

  @Test
  void constrainedServiceAccountAndNodeImpersonation() {
    AuditEvent sa =
        variant(
            31,
            set("/authenticationMetadata", "impersonationConstraint", "impersonate:serviceaccount"),
            replace(
                "impersonatedUser",
                "{\"username\": \"system:serviceaccount:shop:deployer\", \"groups\": []}"));
    assertThat(checks(sa, SubjectRole.IMPERSONATOR))
        .containsExactly(
            "impersonate:serviceaccount serviceaccounts (authentication.k8s.io) deployer -n shop"
                + " ALLOWED",
            "impersonate-on:serviceaccount:list pods -n default ALLOWED");
    AuditEvent arbitrary =
        variant(
            31,
            set("/authenticationMetadata", "impersonationConstraint", "impersonate:arbitrary-node"),
            replace(
                "impersonatedUser",
                "{\"username\": \"system:node:node-1\", \"groups\": [\"system:nodes\"]}"));
    assertThat(checks(arbitrary, SubjectRole.IMPERSONATOR))
        .containsExactly(
            "impersonate:arbitrary-node nodes (authentication.k8s.io) node-1 (cluster-wide)"
                + " ALLOWED",
            "impersonate-on:arbitrary-node:list pods -n default ALLOWED");
    AuditEvent associated =
        variant(
            31,
            set(
                "/authenticationMetadata",
                "impersonationConstraint",
                "impersonate:associated-node"),
            replace(
                "impersonatedUser",
                "{\"username\": \"system:node:node-1\", \"groups\": [\"system:nodes\"]}"));
    assertThat(checks(associated, SubjectRole.IMPERSONATOR))
        .as("the associated node is checked with the literal name *")
        .containsExactly(
            "impersonate:associated-node nodes (authentication.k8s.io) * (cluster-wide) ALLOWED",
            "impersonate-on:associated-node:list pods -n default ALLOWED");
  }

  @Test
  void serviceAccountModeForANonServiceAccountIsReadLikeAnUnknownMode() {
    // No apiserver writes this; it must not stop a run (a fuzzing finding), see FuzzFindingsTest.
    AuditEvent e =
        variant(
            31,
            set(
                "/authenticationMetadata",
                "impersonationConstraint",
                "impersonate:serviceaccount"));
    assertThat(checks(e, SubjectRole.IMPERSONATOR))
        .allMatch(
            c ->
                c.startsWith("impersonate:serviceaccount users")
                    || c.startsWith("impersonate-on:"));
  }
}
