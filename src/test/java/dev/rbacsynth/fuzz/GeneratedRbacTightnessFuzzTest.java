package dev.rbacsynth.fuzz;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.attributes.EventInterpreter;
import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.Authorizer;
import dev.rbacsynth.authorize.Policy;
import dev.rbacsynth.authorize.Tightness;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.RequestBody;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.select.SubjectRole;
import dev.rbacsynth.write.Naming;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;

/**
 * Tightness of generated RBAC under {@code --exact} (issue 15): random requests in, and no
 * generated rule may match a literal that was not observed. The requests go through the whole path
 * of {@code generate}: {@code EventInterpreter} (which refuses crafted requests), {@code
 * ObservedUsage} and {@code Generator} with every expansion off (the default grants subtracted, as
 * generate does). The oracle is the authorizer on the generated objects alone, asked about probes
 * next to each observed check: another verb, API group, resource, subresource, namespace, name or
 * URL, each a literal no request used. A probe may be allowed only where RBAC cannot say less: a
 * rule without {@code resourceNames} for an observed request without a name allows every name, and
 * a ClusterRole for an observed cluster-wide request allows every namespace. Beyond the probes: no
 * rule has a {@code *} outside a name the apiserver itself checked, no {@code resourceNames: [""]},
 * and {@link Tightness} (the {@code --verify} proof) agrees.
 *
 * <p>Input: UTF-8 text, one request a line: {@code verb TAB requestURI [TAB impersonated user [TAB
 * groups, comma-separated [TAB impersonation constraint]]]}. The requester is always {@code alice};
 * a line with an impersonated user is alice impersonating (written {@code ""} for an empty user
 * name), so her impersonation checks are generated too.
 *
 * <pre>
 * mvn -B -Pfuzz test -Dtest='GeneratedRbacTightnessFuzzTest' -Dfuzz.duration=60s
 * </pre>
 */
@Timeout(30)
class GeneratedRbacTightnessFuzzTest {

  private static final String ALICE = "alice";
  private static final String PROBE = "zz-unobserved";
  private static final Instant T = Instant.parse("2026-05-04T10:00:00Z");

  @FuzzTest
  void exactRbacAllowsNothingUnobserved(byte @NotNull [] data) {
    ObservedUsage usage = new ObservedUsage();
    // checks of requests whose URL has no empty segment: only these show a real nameless request
    Set<RequestAttributes> wellFormed = new HashSet<>();
    String[] lines = new String(data, UTF_8).split("\n", 64);
    for (int i = 0; i < Math.min(lines.length, 63); i++) {
      AuditEvent event = event(i, lines[i]);
      SubjectRole role =
          event.impersonatedUser() == null ? SubjectRole.REQUESTER : SubjectRole.IMPERSONATOR;
      Interpretation interpretation = EventInterpreter.interpret(event, role);
      usage.add(interpretation, T, event.user().groups(), interpretation.dryRun(), event.auditID());
      boolean emptySegment = hasEmptySegment(event.requestURI());
      for (var r : interpretation.requirements()) {
        // an impersonator's checks come from the headers, except impersonate-on (the request)
        boolean fromHeaders =
            role == SubjectRole.IMPERSONATOR
                && !r.attributes().verb().startsWith("impersonate-on:");
        if (!emptySegment || fromHeaders) {
          wellFormed.add(r.attributes());
        }
      }
    }

    Subject subject = new Subject.User(ALICE);
    Generator.Generated generated =
        new Generator(new GenerateOptions(false, false, false, true))
            .generate(
                subject,
                usage,
                new Naming(Naming.DEFAULT_NAME, Naming.DEFAULT_LABELS, Naming.DEFAULT_ANNOTATIONS)
                    .resolve(ALICE, "0"));
    List<RequestAttributes> wanted = generated.wanted();
    RbacObjects objects = generated.objects();

    Set<RequestAttributes> observed = new HashSet<>(wanted);
    Set<String> observedNames = new HashSet<>();
    usage.requests().keySet().forEach(r -> observedNames.add(r.name()));
    for (PolicyRule rule : rules(objects)) {
      for (List<String> field :
          List.of(
              list(rule.getVerbs()),
              list(rule.getApiGroups()),
              list(rule.getResources()),
              list(rule.getNonResourceURLs()))) {
        for (String value : field) {
          assertFalse(value.contains("*"), () -> "wildcard in " + rule + " from " + wanted);
        }
      }
      for (String name : list(rule.getResourceNames())) {
        assertFalse(name.isEmpty(), () -> "resourceNames [\"\"] in " + rule);
        assertTrue(observedNames.contains(name), () -> "unobserved name in " + rule);
      }
    }

    Authorizer authorizer = new Authorizer(Policy.of(objects));
    UserInfo alice = UserInfo.of(ALICE, List.of("system:authenticated"));
    for (RequestAttributes w : wanted) {
      assertTrue(authorizer.allows(alice, w), () -> "not allowed: " + w.describe());
      for (RequestAttributes probe : probes(w)) {
        if (observed.contains(probe) || inherentlyAny(probe, observed, wellFormed)) {
          continue;
        }
        assertFalse(
            authorizer.allows(alice, probe),
            () -> "allows the unobserved " + probe.describe() + " next to " + w.describe());
      }
    }
    assertEquals(List.of(), Tightness.wider(objects, wanted));
  }

  /** Literals next to an observed check that no request used. */
  private static List<RequestAttributes> probes(RequestAttributes w) {
    if (!w.resourceRequest()) {
      return List.of(
          RequestAttributes.nonResource(PROBE, w.path()),
          RequestAttributes.nonResource(w.verb(), w.path() + PROBE),
          RequestAttributes.nonResource(w.verb(), w.path() + "/" + PROBE),
          RequestAttributes.nonResource(w.verb(), "/" + PROBE));
    }
    return Stream.of(
            w.withVerb(PROBE),
            w.withName(PROBE),
            w.withNamespace(PROBE),
            RequestAttributes.resource(
                w.verb(), PROBE, w.resource(), w.subresource(), w.namespace(), w.name()),
            RequestAttributes.resource(
                w.verb(), w.apiGroup(), PROBE, w.subresource(), w.namespace(), w.name()),
            RequestAttributes.resource(
                w.verb(), w.apiGroup(), w.resource(), PROBE, w.namespace(), w.name()),
            RequestAttributes.resource(
                w.verb(), w.apiGroup(), w.resource(), "", w.namespace(), w.name()))
        .filter(p -> !p.equals(w))
        .toList();
  }

  /**
   * RBAC cannot say less: no {@code resourceNames} allows every name, a cluster-wide grant every
   * namespace.
   */
  private static boolean inherentlyAny(
      RequestAttributes probe, Set<RequestAttributes> observed, Set<RequestAttributes> wellFormed) {
    if (!probe.resourceRequest()) {
      return false;
    }
    List<RequestAttributes> wider =
        List.of(probe.withName(""), probe.withNamespace(""), probe.withNamespace("").withName(""));
    for (RequestAttributes any : wider) {
      // a subresource is always named in its URL: a nameless one is never a real request
      boolean real = any.subresource().isEmpty() || !any.name().isEmpty();
      if (real && observed.contains(any) && wellFormed.contains(any)) {
        return true;
      }
    }
    return false;
  }

  /** An empty segment inside the decoded path (leading and trailing slashes are trimmed). */
  private static boolean hasEmptySegment(String uri) {
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    try {
      path = java.net.URLDecoder.decode(path.replace("+", "%2B"), UTF_8);
    } catch (IllegalArgumentException e) {
      // kept raw, as RequestInfo keeps it
    }
    return path.replaceAll("^/+", "").replaceAll("/+$", "").contains("//");
  }

  private static AuditEvent event(int i, String line) {
    String[] f = java.util.Arrays.copyOf(line.split("\t", 5), 5);
    for (int k = 0; k < f.length; k++) {
      f[k] = f[k] == null ? "" : f[k];
    }
    UserInfo user = new UserInfo(ALICE, "", List.of("dev", "system:authenticated"), Map.of());
    UserInfo impersonated = null;
    if (!f[2].isEmpty()) {
      List<String> groups = f[3].isEmpty() ? List.of() : List.of(f[3].split(",", -1));
      impersonated = new UserInfo(f[2].equals("\"\"") ? "" : f[2], "", groups, Map.of());
    }
    return new AuditEvent(
        "fuzz-" + i,
        Stage.RESPONSE_COMPLETE,
        f[1],
        f[0],
        user,
        impersonated,
        f[4],
        null,
        200,
        "",
        "",
        T,
        Map.of(AuditEvent.DECISION, "allow"),
        RequestBody.NONE,
        "",
        "");
  }

  private static List<PolicyRule> rules(RbacObjects o) {
    List<PolicyRule> out = new ArrayList<>();
    o.roles().forEach(r -> out.addAll(list(r.getRules())));
    o.clusterRoles().forEach(r -> out.addAll(list(r.getRules())));
    return out;
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
