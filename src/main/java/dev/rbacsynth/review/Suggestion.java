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
    RbacObjects objects, GeneratedPolicy policy, List<Change> removed, List<Change> added) {

  /**
   * Grants of one rule that change.
   *
   * @param source where they come from: {@code ClusterRoleBinding x -> ClusterRole y rules[0]}, or
   *     the generated object
   * @param scope "" for every namespace and cluster scope, else the namespace
   */
  public record Change(String source, String scope, List<Grant> grants, boolean inert) {}

  public static Suggestion of(
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
    return new Suggestion(objects, policy, removed, added);
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
