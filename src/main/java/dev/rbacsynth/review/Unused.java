package dev.rbacsynth.review;

import dev.rbacsynth.aggregate.Usage;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.authorize.Authorizer;
import dev.rbacsynth.authorize.Grant;
import dev.rbacsynth.authorize.Inertness;
import dev.rbacsynth.generate.Generator;
import dev.rbacsynth.kube.Subject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * What a rule that reaches the subject grants but no observed request used, by the {@code Covers}
 * decomposition (semantics.md §5.8): its atomic grants with no matching request. The verbs, API
 * groups, resources, names and URLs none of whose grants were used are listed by themselves; {@link
 * #otherUnused} holds the unused grants those lists do not explain (a verb used on one resource but
 * not on another). Inert grants (a RoleBinding cannot grant them) are listed apart with the reason.
 */
public record Unused(
    AppliedRule rule,
    Status status,
    List<String> verbs,
    List<String> apiGroups,
    List<String> resources,
    List<String> resourceNames,
    List<String> nonResourceURLs,
    List<Grant> unusedGrants,
    List<Grant> otherUnused,
    List<InertGrant> inert,
    List<Narrowing> narrowed,
    int grants) {

  /**
   * A wildcard of the rule ({@code verbs: ['*']}, {@code resources: ['*']} or a {@code *} scale
   * rule, {@code apiGroups: ['*']}, a {@code nonResourceURLs} prefix) that observed requests used,
   * and the concrete values they used it as: the rule could be narrowed to {@code used}; the rest
   * of the wildcard went unused.
   *
   * @param field {@code verbs}, {@code apiGroups}, {@code resources} or {@code nonResourceURLs}
   * @param wildcard the value as the rule writes it
   * @param used the concrete values observed requests used it as, sorted
   */
  public record Narrowing(String field, String wildcard, List<String> used) {}

  /** How much of the rule went unused. */
  public enum Status {
    /** Some grants were used, some not. */
    PARTLY_UNUSED("partly-unused"),
    /** No grant of the rule was used. */
    UNUSED("unused"),
    /** Every grant it can give was used, but some grants this binding cannot give. */
    PARTLY_INERT("partly-inert"),
    /** The rule grants nothing through this binding. */
    INERT("inert");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  /** A grant a binding cannot give, and why. */
  public record InertGrant(Grant grant, String why) {}

  /**
   * @param authorizer the authorizer over everything that exists, to find which rules each request
   *     met
   * @param applied the rules that reach the subject (from {@link ExistingRbac#rulesFor})
   */
  public static List<Unused> find(
      Authorizer authorizer,
      List<AppliedRule> applied,
      Subject subject,
      Map<RequestAttributes, Usage> requests) {
    Map<String, AppliedRule> byKey = new HashMap<>();
    Map<String, List<Grant>> grantsOf = new HashMap<>();
    for (AppliedRule r : applied) {
      byKey.put(r.key(), r);
      grantsOf.put(
          r.key(),
          Grant.of(r.rule()).stream()
              .filter(g -> Inertness.why(r.binding(), g).isEmpty())
              .toList());
    }
    Map<String, Set<Grant>> used = new HashMap<>();
    Map<String, Map<List<String>, Set<String>>> wildcardUse = new HashMap<>();
    requests.forEach(
        (request, usage) ->
            authorizer.visitRulesFor(
                Generator.requester(subject, usage),
                request.namespace(),
                (binding, matched, index, rule) -> {
                  String key = new AppliedRule(binding, matched, index, rule).key();
                  if (byKey.containsKey(key)) {
                    for (Grant g : grantsOf.get(key)) {
                      if (g.allows(request)) {
                        used.computeIfAbsent(key, k -> new HashSet<>()).add(g);
                        recordWildcardUse(
                            g, request, wildcardUse.computeIfAbsent(key, k -> new HashMap<>()));
                      }
                    }
                  }
                  return true;
                }));
    List<Unused> out = new ArrayList<>();
    for (AppliedRule r : applied) {
      Unused u =
          of(
              r,
              grantsOf.get(r.key()),
              used.getOrDefault(r.key(), Set.of()),
              narrowings(r, wildcardUse.getOrDefault(r.key(), Map.of())));
      if (u != null) {
        out.add(u);
      }
    }
    return out;
  }

  /**
   * Notes, for each wildcard of {@code g} (a grant that allowed {@code request}), the concrete
   * value the request used it as, keyed by (field, wildcard).
   */
  private static void recordWildcardUse(
      Grant g, RequestAttributes request, Map<List<String>, Set<String>> into) {
    if (g.verb().equals("*")) {
      into.computeIfAbsent(List.of("verbs", "*"), k -> new TreeSet<>()).add(request.verb());
    }
    if (g.isNonResource()) {
      if (g.nonResourceURL().endsWith("*")) {
        into.computeIfAbsent(List.of("nonResourceURLs", g.nonResourceURL()), k -> new TreeSet<>())
            .add(request.path());
      }
      return;
    }
    if (g.apiGroup().equals("*")) {
      into.computeIfAbsent(List.of("apiGroups", "*"), k -> new TreeSet<>()).add(request.apiGroup());
    }
    if (g.resource().contains("*")) {
      into.computeIfAbsent(List.of("resources", g.resource()), k -> new TreeSet<>())
          .add(
              request.subresource().isEmpty()
                  ? request.resource()
                  : request.resource() + "/" + request.subresource());
    }
  }

  /** The narrowings of a rule in the order of its fields and of the wildcards in them. */
  private static List<Narrowing> narrowings(AppliedRule r, Map<List<String>, Set<String>> use) {
    if (use.isEmpty()) {
      return List.of();
    }
    List<Narrowing> out = new ArrayList<>();
    for (String field : List.of("verbs", "apiGroups", "resources", "nonResourceURLs")) {
      List<String> values =
          switch (field) {
            case "verbs" -> r.rule().getVerbs();
            case "apiGroups" -> r.rule().getApiGroups();
            case "resources" -> r.rule().getResources();
            default -> r.rule().getNonResourceURLs();
          };
      if (values == null) {
        continue;
      }
      for (String wildcard : new LinkedHashSet<>(values)) {
        Set<String> usedAs = use.get(List.of(field, wildcard));
        if (usedAs != null) {
          out.add(new Narrowing(field, wildcard, List.copyOf(usedAs)));
        }
      }
    }
    return out;
  }

  private static Unused of(
      AppliedRule r, List<Grant> effective, Set<Grant> used, List<Narrowing> narrowed) {
    List<InertGrant> inert = new ArrayList<>();
    List<Grant> all = Grant.of(r.rule());
    for (Grant g : all) {
      String why = Inertness.why(r.binding(), g);
      if (!why.isEmpty()) {
        inert.add(new InertGrant(g, why));
      }
    }
    List<Grant> unused = effective.stream().filter(g -> !used.contains(g)).toList();
    if (unused.isEmpty() && inert.isEmpty() && narrowed.isEmpty()) {
      return null;
    }
    // A used wildcard was used only as the values it narrows to: the rest of it went unused.
    Status status =
        effective.isEmpty()
            ? Status.INERT
            : !narrowed.isEmpty()
                ? Status.PARTLY_UNUSED
                : unused.isEmpty()
                    ? Status.PARTLY_INERT
                    : unused.size() == effective.size() ? Status.UNUSED : Status.PARTLY_UNUSED;
    List<Grant> onResources = effective.stream().filter(g -> !g.isNonResource()).toList();
    List<Grant> onUrls = effective.stream().filter(Grant::isNonResource).toList();
    List<String> verbs = dimension(effective, used, Grant::verb);
    List<String> groups = dimension(onResources, used, Grant::apiGroup);
    List<String> resources = dimension(onResources, used, Grant::resource);
    List<String> names =
        dimension(
            onResources.stream().filter(g -> !g.resourceName().isEmpty()).toList(),
            used,
            Grant::resourceName);
    List<String> urls = dimension(onUrls, used, Grant::nonResourceURL);
    List<Grant> other =
        unused.stream()
            .filter(
                g ->
                    !verbs.contains(g.verb())
                        && (g.isNonResource()
                            ? !urls.contains(g.nonResourceURL())
                            : !groups.contains(g.apiGroup())
                                && !resources.contains(g.resource())
                                && !names.contains(g.resourceName())))
            .toList();
    return new Unused(
        r,
        status,
        verbs,
        groups,
        resources,
        names,
        urls,
        unused,
        other,
        inert,
        narrowed,
        all.size());
  }

  /**
   * Values of one dimension (in rule order) that occur in some of {@code grants} but in no used
   * one.
   */
  private static List<String> dimension(
      List<Grant> grants, Set<Grant> used, Function<Grant, String> value) {
    Set<String> present = new LinkedHashSet<>();
    Set<String> usedValues = new HashSet<>();
    for (Grant g : grants) {
      present.add(value.apply(g));
      if (used.contains(g)) {
        usedValues.add(value.apply(g));
      }
    }
    present.removeAll(usedValues);
    return List.copyOf(present);
  }
}
