package dev.rbacsynth.attributes;

import static dev.rbacsynth.SemanticsEvents.code;
import static dev.rbacsynth.SemanticsEvents.decision;
import static dev.rbacsynth.SemanticsEvents.replace;
import static dev.rbacsynth.SemanticsEvents.set;
import static dev.rbacsynth.SemanticsEvents.variant;
import static dev.rbacsynth.SemanticsEvents.without;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.attributes.Interpretation.Skip;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.select.SubjectRole;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Crafted or impossible requests (issue 15, section 1): a value RBAC would read as a wildcard or as
 * any name never becomes a check to grant; the event is refused, with why, and its checks are kept
 * for the report. Each event is a documented case of testdata/semantics changed the way a hostile
 * client would send it, in several variants.
 */
class RefusalsTest {

  private static Interpretation requester(AuditEvent e) {
    return EventInterpreter.interpret(e, SubjectRole.REQUESTER);
  }

  private static void assertRefused(Interpretation i, String why) {
    assertThat(i.skip()).as("skip of %s", i.requirements()).isEqualTo(Skip.REFUSED);
    assertThat(i.requirements()).isNotEmpty();
    assertThat(i.requirements())
        .allSatisfy(r -> assertThat(r.implication()).as("why").contains(why));
  }

  /** An allowed request to {@code uri} by alice (case 02: get pods/web-0 -n shop). */
  private static AuditEvent get(String verb, String uri) {
    return variant(2, set("verb", verb), set("requestURI", uri), decision("allow"), code(200));
  }

  @ParameterizedTest
  @CsvSource({
    "list, /apis/*/*/*, API group",
    "list, /apis/%2A/%2a/%2A, API group",
    "list, /apis/*/v1/namespaces/shop/deployments, API group",
    "list, /api/v1/namespaces/ns1/*, resource",
    "get, /api/v1/namespaces/ns1/%2A/x, resource",
    "list, /api/v1/*, resource",
    "watch, /api/v1/watch/namespaces/shop/*, resource",
    "get, /apis/apps/v1/namespaces/shop/*/web/scale, resource",
    "update, /apis/apps/v1/namespaces/shop/deployments/web/*, resource",
    "list, /api/v1/namespaces/*/pods, namespace",
    "list, /api/v1/namespaces/%2A/secrets, namespace",
    "get, /api/v1/namespaces/shop/secrets/*, name",
    "get, /api/v1/namespaces/shop/secrets/db*, name",
  })
  void aLiteralStarInAResourceUrlIsRefused(String verb, String uri, String why) {
    assertRefused(requester(get(verb, uri)), why);
  }

  @ParameterizedTest
  @CsvSource({
    "get, /*",
    "get, /logs*",
    "get, /metrics/*",
    "get, /%2A",
    "post, /apis*",
  })
  void aLiteralStarInANonResourceUrlIsRefused(String verb, String uri) {
    AuditEvent e = variant(20, set("verb", verb), set("requestURI", uri));
    assertRefused(requester(e), "contains *, which RBAC reads as a prefix");
  }

  @ParameterizedTest
  @CsvSource({"*, /logs", "*, /metrics", "*, /api/v1/namespaces/shop/pods", "get*, /healthz"})
  void aStarVerbIsRefused(String verb, String uri) {
    assertRefused(requester(get(verb, uri)), "which RBAC reads as every verb");
  }

  @ParameterizedTest
  @CsvSource({
    "create, /api/v1/namespaces/ns1/pods//exec?command=sh&stdin=true",
    "get, /api/v1/namespaces/shop/pods//log",
    "create, /api/v1/namespaces/ci/serviceaccounts//token",
    "get, /api/v1/nodes//proxy/metrics",
    "list, /api/v1/namespaces//pods",
    "get, /api/v1/namespaces/shop//web",
    "get, /apis//v1/namespaces/shop/pods/web",
    "delete, /apis/apps/v1/namespaces/shop/deployments//status",
  })
  void anEmptySegmentInAResourceUrlIsRefused(String verb, String uri) {
    assertRefused(requester(get(verb, uri)), "has an empty segment");
  }

  @Test
  void aSubresourceOfAnEmptyNameFromAnObjectRefIsRefused() {
    AuditEvent e =
        variant(
            41,
            set("requestURI", ""),
            replace(
                "objectRef",
                "{\"resource\":\"serviceaccounts\",\"namespace\":\"ci\",\"apiVersion\":\"v1\","
                    + "\"subresource\":\"token\"}"));
    assertRefused(requester(e), "of an empty name");
  }

  /**
   * A verb that acts on one object with no name anywhere (URL and objectRef): RequestInfo makes a
   * GET or DELETE without a name list or deletecollection, so the event cannot be real, and a rule
   * for it would allow any name.
   */
  @ParameterizedTest
  @CsvSource({
    "get, /api/v1/namespaces/shop/configmaps/",
    "update, /api/v1/namespaces/shop/configmaps",
    "patch, /apis/apps/v1/namespaces/shop/deployments",
    "delete, /api/v1/namespaces/shop/secrets/",
  })
  void aNamedVerbWithAnEmptyNameIsRefused(String verb, String uri) {
    AuditEvent e =
        variant(
            2,
            set("verb", verb),
            set("requestURI", uri),
            replace(
                "objectRef",
                "{\"resource\":\"configmaps\",\"namespace\":\"shop\",\"name\":\"\","
                    + "\"apiVersion\":\"v1\"}"),
            decision("allow"),
            code(200));
    assertRefused(requester(e), "with an empty name, which RBAC reads as any name");
  }

  /** A trailing or doubled leading slash is trimmed; a GET without a name is a list. */
  @ParameterizedTest
  @CsvSource({
    "list, /api/v1/namespaces/shop/pods/",
    "list, //api/v1/namespaces/shop/pods",
    "get, /api/v1/namespaces/shop/pods/web-0/log?container=app",
    "get, /logs//kube-apiserver.log",
    "get, /api/v1/namespaces/shop/configmaps/app.v2"
  })
  void ordinaryUrlsAreNotRefused(String verb, String uri) {
    Interpretation i = requester(get(verb, uri));
    assertThat(i.skip()).as("%s", i.requirements()).isEqualTo(Skip.NONE);
  }

  // --- CSR signers: the stored object's, never a wildcard from the body

  private static AuditEvent approval(String bodySigner, String responseSigner) {
    String body =
        "{\"apiVersion\":\"certificates.k8s.io/v1\",\"kind\":\"CertificateSigningRequest\","
            + "\"metadata\":{\"name\":\"csr-7xk2p\"},\"spec\":{\"signerName\":\"%s\"}}";
    if (responseSigner.isEmpty()) {
      return variant(45, replace("requestObject", body.formatted(bodySigner)));
    }
    return variant(
        45,
        set("level", "RequestResponse"),
        replace("requestObject", body.formatted(bodySigner)),
        replace(
            "responseObject",
            body.replace(
                    "\"spec\"", "\"status\":{\"conditions\":[{\"type\":\"Approved\"}]},\"spec\"")
                .formatted(responseSigner)));
  }

  private static List<String> signers(Interpretation i) {
    return i.requirements().stream()
        .map(Requirement::attributes)
        .filter(a -> a.resource().equals("signers"))
        .map(a -> a.verb() + " " + a.name())
        .toList();
  }

  @ParameterizedTest
  @ValueSource(strings = {"kubernetes.io/*", "*", "example.com/*", "*/internal-ca"})
  void aWildcardSignerFromTheBodyIsRefused(String signer) {
    assertRefused(requester(approval(signer, "")), "which CSR admission reads as every signer");
  }

  @ParameterizedTest
  @ValueSource(strings = {"kubernetes.io/*", "*", "example.com/other-ca", ""})
  void theStoredSignerFromTheResponseIsTheOneChecked(String bodySigner) {
    Interpretation i = requester(approval(bodySigner, "example.com/internal-ca"));
    assertThat(i.skip()).isEqualTo(Skip.NONE);
    assertThat(signers(i)).containsExactly("approve example.com/internal-ca");
  }

  @Test
  void aWildcardStoredSignerIsRefusedToo() {
    assertRefused(requester(approval("example.com/a", "example.com/*")), "every signer");
  }

  @Test
  void withoutAResponseTheBodySignerWithoutAStarIsUsed() {
    assertThat(signers(requester(approval("example.com/internal-ca", ""))))
        .containsExactly("approve example.com/internal-ca");
    assertThat(signers(requester(variant(45, without("requestObject"))))).isEmpty();
  }

  // --- impersonation of an empty user, group or extra value

  private static Interpretation impersonator(AuditEvent e) {
    return EventInterpreter.interpret(e, SubjectRole.IMPERSONATOR);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"username\":\"\",\"groups\":[\"system:authenticated\"]} | users",
        "{\"username\":\"bob\",\"groups\":[\"\"]} | groups",
        "{\"username\":\"bob\",\"groups\":[\"dev\",\"\",\"system:authenticated\"]} | groups",
        "{\"username\":\"bob\",\"groups\":[\"system:authenticated\"],\"extra\":{\"scopes\":[\"\"]}}"
            + " | userextras/scopes",
        "{\"username\":\"bob\",\"groups\":[\"system:authenticated\"],"
            + "\"extra\":{\"scopes\":[\"view\",\"\"]}} | userextras/scopes",
      })
  void legacyImpersonationOfAnEmptyNameIsRefused(String impersonated, String resource) {
    AuditEvent e = variant(29, replace("impersonatedUser", impersonated));
    assertRefused(impersonator(e), "impersonation of an empty " + resource);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "impersonate:user-info | {\"username\":\"jane\",\"groups\":[\"\"]} | groups",
        "impersonate:user-info | {\"username\":\"\",\"groups\":[\"system:authenticated\"]} | users",
        "impersonate:arbitrary-node | {\"username\":\"system:node:\",\"groups\":[\"system:nodes\"]}"
            + " | nodes",
      })
  void constrainedImpersonationOfAnEmptyNameIsRefused(
      String constraint, String impersonated, String resource) {
    AuditEvent e =
        variant(
            31,
            replace("impersonatedUser", impersonated),
            replace(
                "authenticationMetadata", "{\"impersonationConstraint\":\"" + constraint + "\"}"));
    assertRefused(impersonator(e), "impersonation of an empty " + resource);
  }

  @Test
  void constrainedImpersonationAlsoRefusesACraftedRequest() {
    AuditEvent e = variant(31, set("requestURI", "/api/v1/namespaces/default/*"));
    assertRefused(impersonator(e), "resource \"*\"");
  }

  @Test
  void associatedNodeImpersonationKeepsItsDeliberateStarName() {
    AuditEvent e =
        variant(
            31,
            replace(
                "impersonatedUser",
                "{\"username\":\"system:node:node-1\",\"groups\":[\"system:nodes\"]}"),
            replace(
                "authenticationMetadata",
                "{\"impersonationConstraint\":\"impersonate:associated-node\"}"));
    Interpretation i = impersonator(e);
    assertThat(i.skip()).isEqualTo(Skip.NONE);
    assertThat(i.requirements())
        .extracting(r -> r.attributes().describe())
        .contains("impersonate:associated-node nodes (authentication.k8s.io) * (cluster-wide)");
  }

  @Test
  void aDeniedCraftedRequestIsRefusedAsWell() {
    AuditEvent e =
        variant(2, set("requestURI", "/apis/*/*/*"), set("verb", "list"), decision("forbid"));
    Interpretation i = requester(e);
    assertRefused(i, "API group");
    assertThat(i.requirements().get(0).outcome()).isEqualTo(Outcome.RBAC_DENIED);
  }
}
