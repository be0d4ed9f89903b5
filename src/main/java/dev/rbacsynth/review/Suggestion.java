package dev.rbacsynth.review;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.Authorizer;
import dev.rbacsynth.authorize.DefaultPolicy;
import dev.rbacsynth.authorize.Grant;
import dev.rbacsynth.authorize.Inertness;
import dev.rbacsynth.authorize.Policy;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.compact.GeneratedPolicy;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.write.Naming;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The minimal RBAC {@code rbac-synth generate} would write for the subject (same synthesizer, same
 * manifests), and the difference to what exists: the grants that reach the subject now and that the
 * suggestion would not give ({@link #removed}), and the grants of the suggestion that nothing gives
 * now ({@link #added}). Both are decided by the authorizer on one concrete request per grant; a
 * wildcard grant has no such request and counts as removed.
 */
public record Suggestion(
    RbacObjects objects,
    GeneratedPolicy policy,
    List<Change> removed,
    List<Change> added,
    List<String> notes,
    boolean kept) {

  /** No change suggested: the subject's RBAC stays as it is, for the reason given. */
  public static Suggestion keep(String why) {
    return new Suggestion(RbacObjects.EMPTY, null, List.of(), List.of(), List.of(why), true);
  }

  /**
   * Grants of one rule that change.
   *
   * @param source where they come from: {@code ClusterRoleBinding x -> ClusterRole y rules[0]}, or
   *     the generated object
   * @param scope "" for every namespace and cluster scope, else the namespace
   */
  public record Change(String source, String scope, List<Grant> grants, boolean inert) {}

  /**
   * The suggestion with {@code options}, unless its expansions would add a grant that was neither
   * observed nor granted before (a list widened to get, two namespaces widened to every namespace,
   * two names to any name): then the exact suggestion, with a note saying which grant the
   * expansions would have added. A review never proposes new rights nobody used.
   */
  public static Suggestion of(
      ExistingRbac existing,
      Subject subject,
      ObservedUsage usage,
      UserInfo identity,
      List<AppliedRule> applied,
      GenerateOptions options,
      Naming.Resolved naming) {
    Suggestion widened = generate(existing, subject, usage, identity, applied, options, naming);
    String added = unobservedAddition(widened, usage);
    if (added.isEmpty()) {
      return widened;
    }
    // Without the three expansions, but still not pinning names a controller generated (a rule
    // pinned to a rollout's pod breaks at the next rollout) when that adds nothing ungranted.
    GenerateOptions exactOptions =
        new GenerateOptions(false, false, false, options.includeDenied(), false);
    GenerateOptions generatedOnly =
        new GenerateOptions(
            false, false, false, options.includeDenied(), options.widenGeneratedNames());
    if (!generatedOnly.equals(exactOptions) && !generatedOnly.equals(options)) {
      Suggestion g = generate(existing, subject, usage, identity, applied, generatedOnly, naming);
      boolean widensGeneratedNames =
          g.policy() != null
              && g.policy().widenings().values().stream()
                  .anyMatch(w -> !w.generatedName().isEmpty());
      if (widensGeneratedNames && unobservedAddition(g, usage).isEmpty()) {
        return new Suggestion(
            g.objects(),
            g.policy(),
            g.removed(),
            g.added(),
            List.of(
                "the suggestion has no namespace, name or verb expansion (names a controller"
                    + " generated are still granted for any name): they would have added "
                    + added
                    + ", which was neither observed nor granted by the given RBAC"),
            false);
      }
    }
    if (options.equals(exactOptions)) {
      return widened;
    }
    Suggestion exact = generate(existing, subject, usage, identity, applied, exactOptions, naming);
    return new Suggestion(
        exact.objects(),
        exact.policy(),
        exact.removed(),
        exact.added(),
        List.of(
            "the suggestion is exact (no expansions): they would have added "
                + added
                + ", which was neither observed nor granted by the given RBAC"),
        false);
  }

  /**
   * The first grant the suggestion adds that was neither observed nor granted by the given RBAC,
   * described with its scope; "" when there is none.
   */
  private static String unobservedAddition(Suggestion s, ObservedUsage usage) {
    for (Change c : s.added()) {
      for (Grant g : c.grants()) {
        if (!observed(g, c.scope(), usage.requests().keySet())) {
          return g.describe() + (c.scope().isEmpty() ? " cluster-wide" : " in " + c.scope());
        }
      }
    }
    return "";
  }

  /** Whether an observed request is exactly this grant in this scope ("" = cluster scope). */
  static boolean observed(Grant g, String scope, Collection<RequestAttributes> requests) {
    for (RequestAttributes r : requests) {
      if (!r.verb().equals(g.verb())) {
        continue;
      }
      if (!g.nonResourceURL().isEmpty()) {
        if (!r.resourceRequest() && r.path().equals(g.nonResourceURL())) {
          return true;
        }
        continue;
      }
      if (r.resourceRequest()
          && r.apiGroup().equals(g.apiGroup())
          && r.combinedResource().equals(g.resource())
          && r.name().equals(g.resourceName())
          && r.namespace().equals(scope)) {
        return true;
      }
    }
    return false;
  }

  private static Suggestion generate(
      ExistingRbac existing,
      Subject subject,
      ObservedUsage usage,
      UserInfo identity,
      List<AppliedRule> applied,
      GenerateOptions options,
      Naming.Resolved naming) {
    Generator.Generated generated = new Generator(options).generate(subject, usage, naming);
    GeneratedPolicy policy = generated.policy();
    RbacObjects objects = generated.objects();
    Authorizer after = new Authorizer(Policy.of(objects.plus(DefaultPolicy.objects())));

    List<Change> removed = new ArrayList<>();
    for (AppliedRule r : applied) {
      List<Grant> gone = new ArrayList<>();
      List<Grant> inert = new ArrayList<>();
      for (Grant g : Grant.of(r.rule())) {
        if (!Inertness.why(r.binding(), g).isEmpty()) {
          inert.add(g);
        } else if (!allows(after, identity, g, r.namespace())) {
          gone.add(g);
        }
      }
      String source = r.source();
      if (!gone.isEmpty()) {
        removed.add(new Change(source, r.namespace(), gone, false));
      }
      if (!inert.isEmpty()) {
        removed.add(new Change(source, r.namespace(), inert, true));
      }
    }
    List<Change> added = new ArrayList<>();
    String name = naming.name();
    policy
        .namespaceRules()
        .forEach(
            (ns, rules) ->
                addNew(
                    added,
                    existing.authorizer(),
                    identity,
                    rules,
                    ns,
                    "Role " + name + " in " + ns));
    addNew(
        added, existing.authorizer(), identity, policy.clusterRules(), "", "ClusterRole " + name);
    return new Suggestion(objects, policy, removed, added, List.of(), false);
  }

  private static void addNew(
      List<Change> added,
      Authorizer before,
      UserInfo identity,
      List<PolicyRule> rules,
      String namespace,
      String object) {
    for (int i = 0; i < rules.size(); i++) {
      List<Grant> fresh =
          Grant.of(rules.get(i)).stream()
              .filter(g -> !allows(before, identity, g, namespace))
              .toList();
      if (!fresh.isEmpty()) {
        added.add(new Change(object + " rules[" + i + "]", namespace, fresh, false));
      }
    }
  }

  private static boolean allows(
      Authorizer authorizer, UserInfo identity, Grant grant, String namespace) {
    Optional<RequestAttributes> probe = grant.probe(namespace);
    return probe.isPresent() && authorizer.allows(identity, probe.get());
  }
}
