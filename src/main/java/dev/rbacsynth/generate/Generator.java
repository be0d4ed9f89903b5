package dev.rbacsynth.generate;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.Authorizer;
import dev.rbacsynth.authorize.DefaultPolicy;
import dev.rbacsynth.authorize.PolicyVerifier;
import dev.rbacsynth.authorize.RuleMatcher;
import dev.rbacsynth.compact.GenerateOptions;
import dev.rbacsynth.compact.GeneratedPolicy;
import dev.rbacsynth.compact.RuleSynthesizer;
import dev.rbacsynth.compact.Widening;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.write.ManifestBuilder;
import dev.rbacsynth.write.Naming;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
  private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");

  private final GenerateOptions options;
  private final Authorizer defaults;
  private final RuleSynthesizer synthesizer;

  public Generator(GenerateOptions options) {
    this.options = options;
    DefaultPolicy.objects();
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
      requesters = Collections.unmodifiableMap(requesters);
    }

    /**
     * The evidence behind each rule of the manifests as written: the wanted requests it allows
     * (decided by the authorizer's own {@link RuleMatcher}, over the rules of the objects that are
     * output, so the evidence cannot drift from the rules) and the expansions that widened them. A
     * ClusterRole's rules (bound cluster-wide) allow requests in any namespace, a Role's only those
     * in its namespace; a request another rule also allows is listed under both.
     */
    public List<RuleEvidence> evidence() {
      List<RuleEvidence> out = new ArrayList<>();
      // In the order the manifests are written: Roles, then the ClusterRole.
      for (Role r : objects.roles()) {
        addEvidence(
            out, "Role", r.getMetadata().getNamespace(), r.getMetadata().getName(), r.getRules());
      }
      for (ClusterRole c : objects.clusterRoles()) {
        addEvidence(out, "ClusterRole", "", c.getMetadata().getName(), c.getRules());
      }
      return out;
    }

    private void addEvidence(
        List<RuleEvidence> out,
        String kind,
        String namespace,
        String name,
        List<PolicyRule> rules) {
      for (int i = 0; i < rules.size(); i++) {
        PolicyRule rule = rules.get(i);
        List<RequestAttributes> allowed = new ArrayList<>();
        Set<String> expansions = new TreeSet<>();
        for (RequestAttributes request : wanted) {
          if ((namespace.isEmpty() || namespace.equals(request.namespace()))
              && RuleMatcher.allows(rule, request)) {
            allowed.add(request);
            expansions.addAll(policy.widening(request).kinds());
          }
        }
        allowed.sort(RequestAttributes.ORDER);
        out.add(new RuleEvidence(kind, namespace, name, i, rule, allowed, List.copyOf(expansions)));
      }
    }

    /**
     * The requests on names a controller generated that were granted for any name, one line each:
     * {@code get pods web-6585b4f8f7-wltlx -n shop: a pod of the Deployment's ReplicaSet ...}.
     */
    public List<String> generatedNames() {
      List<String> out = new ArrayList<>();
      for (RequestAttributes r : sorted(wanted)) {
        String what = policy.widening(r).generatedName();
        if (!what.isEmpty()) {
          out.add(r.describe() + ": " + what);
        }
      }
      return out;
    }

    /**
     * The write verbs (anything but get, list and watch) an expansion granted cluster-wide for
     * requests seen in some namespaces only: {@code patch, update configmaps (seen in 2
     * namespaces)}.
     */
    public List<String> clusterWideWrites() {
      Map<String, Set<String>> verbsByTarget = new TreeMap<>();
      Map<String, Integer> namespacesByTarget = new HashMap<>();
      for (RequestAttributes r : wanted) {
        Widening w = policy.widening(r);
        if (w.namespaces() == 0) {
          continue;
        }
        String target = target(r);
        List<String> verbs = new ArrayList<>(w.verbs());
        verbs.add(r.verb());
        for (String v : verbs) {
          if (!READ_VERBS.contains(v)) {
            setOf(verbsByTarget, target).add(v);
            Integer seen = namespacesByTarget.get(target);
            namespacesByTarget.put(
                target, seen == null ? w.namespaces() : Math.max(seen, w.namespaces()));
          }
        }
      }
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, Set<String>> e : verbsByTarget.entrySet()) {
        out.add(
            String.join(", ", e.getValue())
                + " "
                + e.getKey()
                + " (seen in "
                + namespacesByTarget.get(e.getKey())
                + " namespaces)");
      }
      return out;
    }

    /**
     * The verbs {@code --expand-verbs} added beyond the ones observed, per resource: {@code get,
     * watch secrets (seen: list)}; empty when it added none.
     */
    public List<String> addedVerbs() {
      Map<String, Set<String>> added = new TreeMap<>();
      Map<String, Set<String>> seen = new HashMap<>();
      for (RequestAttributes r : wanted) {
        String target = target(r);
        setOf(seen, target).add(r.verb());
        List<String> verbs = policy.widening(r).verbs();
        if (!verbs.isEmpty()) {
          setOf(added, target).addAll(verbs);
        }
      }
      List<String> out = new ArrayList<>();
      for (Map.Entry<String, Set<String>> e : added.entrySet()) {
        Set<String> verbs = new TreeSet<>(e.getValue());
        verbs.removeAll(seen.get(e.getKey()));
        if (!verbs.isEmpty()) {
          out.add(
              String.join(", ", verbs)
                  + " "
                  + e.getKey()
                  + " (seen: "
                  + String.join(", ", seen.get(e.getKey()))
                  + ")");
        }
      }
      return out;
    }

    /** {@code replicasets/status (apps)}: a request's resource as the summary names it. */
    private static String target(RequestAttributes r) {
      return r.combinedResource() + (r.apiGroup().isEmpty() ? "" : " (" + r.apiGroup() + ")");
    }

    /** The sorted set of {@code key} in {@code map}, made when absent (no lambda: a cold path). */
    private static Set<String> setOf(Map<String, Set<String>> map, String key) {
      Set<String> set = map.get(key);
      if (set == null) {
        set = new TreeSet<>();
        map.put(key, set);
      }
      return set;
    }

    private static List<RequestAttributes> sorted(List<RequestAttributes> requests) {
      List<RequestAttributes> out = new ArrayList<>(requests);
      out.sort(RequestAttributes.ORDER);
      return out;
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
   * One generated rule and the observed requests behind it.
   *
   * @param roleKind ClusterRole or Role
   * @param namespace the Role's namespace, "" for the ClusterRole
   * @param index the rule's index in the role as written
   * @param requests the wanted requests the rule allows, in request order
   * @param expansions the expansions that widened any of them ({@code names}, {@code namespaces},
   *     {@code verbs}), sorted
   */
  public record RuleEvidence(
      String roleKind,
      String namespace,
      String roleName,
      int index,
      PolicyRule rule,
      List<RequestAttributes> requests,
      List<String> expansions) {}

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
    // one requester a group set (thousands of requests share a few)
    Requesters requesters = new Requesters(subject, List.of(), observed);
    for (Map.Entry<RequestAttributes, Usage> e : observed.entrySet()) {
      Usage usage = e.getValue();
      if ((options.includeDenied() || !usage.onlyDenied())
          && !defaults.allows(requesters.requester(e.getKey()), e.getKey())) {
        out.add(e.getKey());
      }
    }
    return out;
  }

  /**
   * Why the RBAC for {@code usage} has no rule, in one sentence for the summary: {@code all 2
   * distinct request(s) are allowed by the default roles: system:public-info-viewer (2)}; empty
   * when some request needs a rule.
   */
  public String whyNoRule(Subject subject, ObservedUsage usage) {
    Map<RequestAttributes, Usage> observed = usage.requests();
    if (!wanted(subject, observed).isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    Map<String, Integer> byDefaultRole = new TreeMap<>();
    int onlyDenied = 0;
    for (Map.Entry<RequestAttributes, Usage> e : observed.entrySet()) {
      if (!options.includeDenied() && e.getValue().onlyDenied()) {
        onlyDenied++;
        continue;
      }
      var decision = defaults.authorize(requester(subject, e.getValue()), e.getKey());
      byDefaultRole.merge(decision.binding().roleName(), 1, Integer::sum);
    }
    int allowed = byDefaultRole.values().stream().mapToInt(Integer::intValue).sum();
    if (allowed > 0) {
      List<String> roles = new ArrayList<>();
      byDefaultRole.forEach((role, n) -> roles.add(role + " (" + n + ")"));
      parts.add(
          (allowed == observed.size() ? "all " : "")
              + allowed
              + " distinct request(s) are allowed by the default roles every cluster has: "
              + String.join(", ", roles));
    }
    if (onlyDenied > 0) {
      parts.add(onlyDenied + " distinct request(s) were only ever denied (--exclude-denied)");
    }
    int refused = usage.refusedRequests().size();
    if (refused > 0) {
      parts.add(refused + " request(s) were refused (the denied report says why)");
    }
    if (observed.isEmpty()) {
      List<String> skipped = new ArrayList<>();
      usage.skippedEvents().forEach((skip, n) -> skipped.add(n + " " + skip.description()));
      parts.add(
          "its "
              + usage.matchedEvents()
              + " event(s) hold no request RBAC decides"
              + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped) + ")"));
    }
    return String.join("; ", parts);
  }

  /**
   * The requester of each wanted request, in the order of {@code wanted}, made when asked (only
   * {@code --verify} asks): a map kept for a million wanted requests would hold a million entries.
   * The requesters of requests with the same (shared) group set are one {@link UserInfo}.
   */
  private static final class Requesters extends AbstractMap<RequestAttributes, UserInfo> {
    private final Subject subject;
    private final List<RequestAttributes> wanted;
    private final Map<RequestAttributes, Usage> observed;
    private final Map<Set<String>, UserInfo> byGroups = new HashMap<>();

    Requesters(
        Subject subject, List<RequestAttributes> wanted, Map<RequestAttributes, Usage> observed) {
      this.subject = subject;
      this.wanted = wanted;
      this.observed = observed;
    }

    private UserInfo requester(RequestAttributes r) {
      Set<String> groups = observed.get(r).commonGroups();
      return byGroups.computeIfAbsent(groups, g -> Generator.requester(subject, g));
    }

    @Override
    public int size() {
      return wanted.size();
    }

    @Override
    public UserInfo get(Object key) {
      return key instanceof RequestAttributes r && observed.containsKey(r) && wanted.contains(r)
          ? requester(r)
          : null;
    }

    @Override
    public boolean containsKey(Object key) {
      return get(key) != null;
    }

    @Override
    public Set<Entry<RequestAttributes, UserInfo>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public int size() {
          return wanted.size();
        }

        @Override
        public Iterator<Entry<RequestAttributes, UserInfo>> iterator() {
          Iterator<RequestAttributes> it = wanted.iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Entry<RequestAttributes, UserInfo> next() {
              RequestAttributes r = it.next();
              return new SimpleImmutableEntry<>(r, requester(r));
            }
          };
        }
      };
    }
  }

  /** The RBAC for {@code subject}'s usage, named by {@code naming}. */
  public Generated generate(Subject subject, ObservedUsage usage, Naming.Resolved naming) {
    Map<RequestAttributes, Usage> observed = usage.requests();
    List<RequestAttributes> wanted = List.copyOf(wanted(subject, observed));
    Map<RequestAttributes, UserInfo> requesters = new Requesters(subject, wanted, observed);
    GeneratedPolicy policy = synthesizer.synthesize(wanted);
    RbacObjects objects = ManifestBuilder.build(policy, subject, naming);
    return new Generated(subject, wanted, requesters, policy, objects);
  }
}
