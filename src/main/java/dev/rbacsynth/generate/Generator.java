package dev.rbacsynth.generate;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.Authorizer;
import dev.rbacsynth.authorize.DefaultPolicy;
import dev.rbacsynth.authorize.PolicyVerifier;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.compact.GeneratedPolicy;
import dev.rbacsynth.compact.RuleSynthesizer;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.write.ManifestBuilder;
import dev.rbacsynth.write.Naming;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The one way from a subject's observed usage to the RBAC that allows it: which requests need a
 * rule (not only denied, unless asked; not already allowed by the default grants), the compacted
 * rules, and the manifests that bind them to the subject. {@code generate}, its {@code --verify},
 * the suggestion of {@code diff} and the ledger all go through here, so they agree.
 *
 * <p>It owns the rule for whose request an observed request is ({@link #requester}): the same user
 * decides whether the defaults already allow a request and whether the generated RBAC does.
 */
public final class Generator {
  private final GenerateOptions options;
  private final Authorizer defaults;
  private final RuleSynthesizer synthesizer;

  public Generator(GenerateOptions options) {
    this.options = options;
    this.defaults = DefaultPolicy.authorizer();
    this.synthesizer = new RuleSynthesizer(options);
  }

  /** What was generated, with what it is based on. */
  public record Generated(
      Subject subject,
      List<RequestAttributes> wanted,
      Map<RequestAttributes, UserInfo> requesters,
      GeneratedPolicy policy,
      RbacObjects objects) {

    public Generated {
      wanted = List.copyOf(wanted);
      requesters = Collections.unmodifiableMap(new LinkedHashMap<>(requesters));
    }

    /**
     * The proof that the manifests are exact: with the default grants, every wanted request is
     * allowed for its requester, and removing any one generated rule denies one of them.
     */
    public PolicyVerifier.Result verify() {
      return PolicyVerifier.verify(objects, DefaultPolicy.objects(), requesters);
    }
  }

  /**
   * The user behind one observed request of {@code subject}: its username with the groups the log
   * shows it always had ({@code Usage.commonGroups()}). A group subject's requests are evaluated as
   * an anonymous member of the group, since the generated binding gives the rights to every member
   * whatever their name.
   */
  public static UserInfo requester(Subject subject, Collection<String> commonGroups) {
    TreeSet<String> groups = new TreeSet<>(commonGroups);
    if (subject instanceof Subject.Group g) {
      groups.add(g.name());
      return UserInfo.of("", List.copyOf(groups));
    }
    return UserInfo.of(subject.auditName(), List.copyOf(groups));
  }

  /** {@link #requester(Subject, Collection)} for one observed request. */
  public static UserInfo requester(Subject subject, Usage usage) {
    return requester(subject, usage.commonGroups());
  }

  /**
   * The requests rules are generated for, in the order observed: not only ever denied (unless the
   * options include denied requests), not already allowed to their requester by the defaults.
   */
  public List<RequestAttributes> wanted(Subject subject, Map<RequestAttributes, Usage> observed) {
    List<RequestAttributes> out = new ArrayList<>();
    observed.forEach(
        (request, usage) -> {
          if (!options.includeDenied() && usage.onlyDenied()) {
            return;
          }
          if (!defaults.allows(requester(subject, usage), request)) {
            out.add(request);
          }
        });
    return out;
  }

  /** The RBAC for {@code subject}'s usage, named by {@code naming}. */
  public Generated generate(Subject subject, ObservedUsage usage, Naming.Resolved naming) {
    Map<RequestAttributes, Usage> observed = usage.requests();
    List<RequestAttributes> wanted = wanted(subject, observed);
    Map<RequestAttributes, UserInfo> requesters = new LinkedHashMap<>();
    for (RequestAttributes r : wanted) {
      requesters.put(r, requester(subject, observed.get(r)));
    }
    GeneratedPolicy policy = synthesizer.synthesize(wanted);
    RbacObjects objects = ManifestBuilder.build(policy, subject, naming);
    return new Generated(subject, wanted, requesters, policy, objects);
  }
}
