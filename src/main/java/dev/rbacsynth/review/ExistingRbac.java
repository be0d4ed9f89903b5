package dev.rbacsynth.review;

import dev.rbacsynth.authorize.Authorizer;
import dev.rbacsynth.authorize.BindingRef;
import dev.rbacsynth.authorize.DefaultPolicy;
import dev.rbacsynth.authorize.Policy;
import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.BindingSubjects;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.read.ManifestPositions;
import dev.rbacsynth.read.RbacManifestReader;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The RBAC that exists: the objects of the {@code --rbac} manifests, plus (with {@code --defaults})
 * the grants every cluster reconciles at start ({@link DefaultPolicy}) where the manifests do not
 * define an object of the same name. Evaluation uses both; reviews (unused, risky) look only at the
 * manifests' bindings, since the defaults cannot be removed. With the defaults on, a manifest
 * binding named like a default one (a dump of the bootstrap policy holds {@code system:discovery}
 * and the like) counts as the default and is not reviewed either.
 */
public final class ExistingRbac {

  private final RbacObjects manifests;
  private final Authorizer authorizer;
  private final Set<String> manifestBindings = new HashSet<>();
  private final Set<String> reviewedBindings = new HashSet<>();
  private final List<String> warnings = new ArrayList<>();
  private final ManifestPositions positions;
  private Set<String> roleBindingNamespaces;

  private ExistingRbac(RbacObjects read, boolean withDefaults, ManifestPositions positions) {
    this.positions = positions;
    this.manifests = withoutInvalidRoles(deduplicate(read));
    RbacObjects all = manifests;
    if (withDefaults) {
      all = merge(manifests, DefaultPolicy.objects());
    }
    this.authorizer = new Authorizer(Policy.of(all));
    manifests
        .clusterRoleBindings()
        .forEach(b -> manifestBindings.add(key("ClusterRoleBinding", "", name(b))));
    manifests
        .roleBindings()
        .forEach(b -> manifestBindings.add(key("RoleBinding", namespace(b), name(b))));
    reviewedBindings.addAll(manifestBindings);
    if (withDefaults) {
      // A manifest copy of a default binding (bootstrap policy dumps hold them) is the default: not
      // reviewed.
      DefaultPolicy.objects()
          .clusterRoleBindings()
          .forEach(b -> reviewedBindings.remove(key("ClusterRoleBinding", "", name(b))));
      DefaultPolicy.objects()
          .roleBindings()
          .forEach(b -> reviewedBindings.remove(key("RoleBinding", namespace(b), name(b))));
    }
    List<String> unplaced = new ArrayList<>();
    manifests.roles().stream()
        .filter(r -> namespace(r).isEmpty())
        .forEach(r -> unplaced.add("Role " + name(r) + at("Role", "", name(r))));
    manifests.roleBindings().stream()
        .filter(r -> namespace(r).isEmpty())
        .forEach(r -> unplaced.add("RoleBinding " + name(r) + at("RoleBinding", "", name(r))));
    List<String> rejected = new ArrayList<>();
    manifests.clusterRoleBindings().stream()
        .filter(b -> b.getRoleRef() != null && !Authorizer.acceptedRoleRef(b.getRoleRef()))
        .forEach(
            b ->
                rejected.add(
                    "ClusterRoleBinding " + name(b) + " (" + b.getRoleRef().getApiGroup() + ")"));
    manifests.roleBindings().stream()
        .filter(b -> b.getRoleRef() != null && !Authorizer.acceptedRoleRef(b.getRoleRef()))
        .forEach(
            b ->
                rejected.add(
                    "RoleBinding "
                        + namespace(b)
                        + "/"
                        + name(b)
                        + " ("
                        + b.getRoleRef().getApiGroup()
                        + ")"));
    if (!rejected.isEmpty()) {
      warnings.add(
          rejected.size()
              + " binding(s) with a roleRef.apiGroup other than rbac.authorization.k8s.io grant "
              + "nothing (the apiserver rejects them): "
              + String.join(", ", rejected));
    }
    if (!unplaced.isEmpty()) {
      warnings.add(
          unplaced.size()
              + " namespaced object(s) without metadata.namespace are ignored (kubectl would "
              + "put them in its current namespace): "
              + String.join(", ", unplaced));
    }
  }

  /** Reads every manifest named by the {@code --rbac} arguments. */
  public static ExistingRbac load(List<String> arguments, boolean withDefaults, InputStream stdin) {
    return load(arguments, withDefaults, stdin, SubjectMapping.NONE);
  }

  /** Reads the manifests and renames their bindings' subjects by {@code mapping}. */
  public static ExistingRbac load(
      List<String> arguments, boolean withDefaults, InputStream stdin, SubjectMapping mapping) {
    RbacManifestReader reader = RbacManifestReader.readAll(arguments, stdin);
    ExistingRbac out =
        new ExistingRbac(mapping.apply(reader.objects()), withDefaults, reader.positions());
    out.warnings.addAll(0, reader.warnings());
    if (!mapping.isEmpty()) {
      out.warnings.addAll(0, mapping.summary());
    }
    return out;
  }

  public static ExistingRbac of(RbacObjects manifests, boolean withDefaults) {
    return new ExistingRbac(manifests, withDefaults, new ManifestPositions());
  }

  /** Where the manifests' objects, rules and subjects are (file and line). */
  public ManifestPositions positions() {
    return positions;
  }

  /** Evaluates requests against everything that exists (manifests and, if asked, the defaults). */
  public Authorizer authorizer() {
    return authorizer;
  }

  public RbacObjects manifests() {
    return manifests;
  }

  public List<String> warnings() {
    return List.copyOf(warnings);
  }

  /**
   * What the manifests' bindings give {@code identity}: every rule that applies to it, in a stable
   * order, and the bindings that apply to it but refer to a role that does not exist (the apiserver
   * treats that as a resolution error that grants nothing). One walk of the authorizer per
   * namespace the manifests bind in, plus cluster scope.
   */
  public Reach reach(UserInfo identity) {
    Map<String, AppliedRule> rules = new TreeMap<>();
    Set<String> unresolved = new LinkedHashSet<>();
    walk(identity, "", rules, unresolved);
    // Only the namespaces where a binding may apply to the identity (index by subject): walking
    // every namespace for every subject made diff --all-subjects quadratic.
    Set<String> manifestNamespaces = roleBindingNamespaces();
    for (String namespace : authorizer.policy().roleBindingNamespacesFor(identity)) {
      if (manifestNamespaces.contains(namespace)) {
        walk(identity, namespace, rules, unresolved);
      }
    }
    return new Reach(
        rules.values().stream().sorted(AppliedRule.ORDER).toList(), List.copyOf(unresolved));
  }

  /**
   * @param rules the rules that reach the subject, sorted
   * @param unresolved one line per binding of the manifests that reaches the subject and refers to
   *     a missing role: ClusterRoleBindings first, then RoleBindings by namespace
   */
  public record Reach(List<AppliedRule> rules, List<String> unresolved) {}

  /** The rules of {@link #reach}. */
  public List<AppliedRule> rulesFor(UserInfo identity) {
    return reach(identity).rules();
  }

  private void walk(
      UserInfo identity, String namespace, Map<String, AppliedRule> rules, Set<String> unresolved) {
    // In a namespace, the ClusterRoleBindings met again were already taken at cluster scope.
    boolean clusterScope = namespace.isEmpty();
    authorizer.visitRulesFor(
        identity,
        namespace,
        new Authorizer.RuleVisitor() {
          @Override
          public boolean visit(BindingRef binding, String subject, int index, PolicyRule rule) {
            if ((clusterScope || binding.kind().equals("RoleBinding")) && reviewed(binding)) {
              AppliedRule r = new AppliedRule(binding, subject, index, rule);
              rules.putIfAbsent(r.key(), r);
            }
            return true;
          }

          @Override
          public boolean resolutionError(BindingRef binding, String subject) {
            if ((clusterScope || binding.kind().equals("RoleBinding")) && inManifests(binding)) {
              unresolved.add(
                  binding.kind()
                      + " "
                      + binding.name()
                      + (binding.namespace().isEmpty() ? "" : " in " + binding.namespace())
                      + " refers to "
                      + binding.roleKind()
                      + " "
                      + binding.roleName()
                      + ", which is not in the given RBAC: it grants nothing");
            }
            return true;
          }
        });
  }

  /**
   * Every User, ServiceAccount and Group named as a subject of a manifest binding that could match
   * someone, sorted by kind and name. A {@code system:serviceaccount:NS:NAME} User is its
   * ServiceAccount; a ServiceAccount subject of a RoleBinding without a namespace is in the
   * binding's namespace.
   */
  public List<Subject> boundSubjects() {
    Set<Subject> out =
        new TreeSet<>(Comparator.comparing(Subject::kind).thenComparing(Subject::auditName));
    for (ClusterRoleBinding b : manifests.clusterRoleBindings()) {
      out.addAll(BindingSubjects.of(b));
    }
    for (RoleBinding b : manifests.roleBindings()) {
      if (!namespace(b).isEmpty()) {
        out.addAll(BindingSubjects.of(b));
      }
    }
    return List.copyOf(out);
  }

  /** A binding of the manifests that is reviewed (not a copy of a default one). */
  private boolean reviewed(BindingRef binding) {
    return reviewedBindings.contains(key(binding.kind(), binding.namespace(), binding.name()));
  }

  /** A binding of the manifests, a copy of a default one or not. */
  private boolean inManifests(BindingRef binding) {
    return manifestBindings.contains(key(binding.kind(), binding.namespace(), binding.name()));
  }

  private Set<String> roleBindingNamespaces() {
    if (roleBindingNamespaces == null) {
      Set<String> out = new HashSet<>();
      manifests.roleBindings().forEach(b -> out.add(namespace(b)));
      out.remove("");
      roleBindingNamespaces = out;
    }
    return roleBindingNamespaces;
  }

  /**
   * Later definitions of the same object replace earlier ones, as applying the manifests in order
   * would.
   */
  private RbacObjects deduplicate(RbacObjects o) {
    return new RbacObjects(
        last(o.roles(), "Role"),
        last(o.clusterRoles(), "ClusterRole"),
        last(o.roleBindings(), "RoleBinding"),
        last(o.clusterRoleBindings(), "ClusterRoleBinding"));
  }

  private <T extends HasMetadata> List<T> last(List<T> objects, String kind) {
    Map<String, T> byKey = new LinkedHashMap<>();
    Set<String> repeated = new TreeSet<>();
    for (T o : objects) {
      String k = key(kind, namespace(o), name(o));
      if (byKey.remove(k) != null) {
        repeated.add(
            kind
                + " "
                + (namespace(o).isEmpty() ? "" : namespace(o) + "/")
                + name(o)
                + at(kind, namespace(o), name(o)).replace(" (", " (the one at "));
      }
      byKey.put(k, o);
    }
    if (!repeated.isEmpty()) {
      warnings.add(
          "defined more than once, the last definition is used: " + String.join(", ", repeated));
    }
    return new ArrayList<>(byKey.values());
  }

  /**
   * Roles and ClusterRoles whose rules the apiserver's validation refuses
   * (kubernetes/kubernetes:pkg/apis/rbac/validation/validation.go, ValidatePolicyRule): {@code
   * kubectl apply} fails for them, so they never exist and grant nothing. Each is named in a
   * warning with its file and line and left out, so that bindings to it are bindings to a missing
   * role.
   */
  private RbacObjects withoutInvalidRoles(RbacObjects o) {
    List<Role> roles = new ArrayList<>();
    for (Role r : o.roles()) {
      if (valid("Role", namespace(r), name(r), r.getRules(), true)) {
        roles.add(r);
      }
    }
    List<ClusterRole> clusterRoles = new ArrayList<>();
    for (ClusterRole r : o.clusterRoles()) {
      if (valid("ClusterRole", "", name(r), r.getRules(), false)) {
        clusterRoles.add(r);
      }
    }
    return new RbacObjects(roles, clusterRoles, o.roleBindings(), o.clusterRoleBindings());
  }

  private boolean valid(
      String kind, String namespace, String name, List<PolicyRule> rules, boolean namespaced) {
    if (rules == null) {
      return true;
    }
    for (int i = 0; i < rules.size(); i++) {
      String problem = ruleProblem(rules.get(i), namespaced);
      if (problem != null) {
        int index = i;
        String where =
            positions
                .of(kind, namespace, name)
                .map(p -> p.rule(index))
                .map(l -> l.file() + ":" + l.line() + ": ")
                .orElse("");
        warnings.add(
            where
                + kind
                + " "
                + (namespace.isEmpty() ? "" : namespace + "/")
                + name
                + " rules["
                + i
                + "]: "
                + problem
                + ": the apiserver refuses this "
                + kind
                + ", so it grants nothing here");
        return false;
      }
    }
    return true;
  }

  /** What ValidatePolicyRule says of a rule, null when it is valid. */
  static String ruleProblem(PolicyRule rule, boolean namespaced) {
    if (empty(rule.getVerbs())) {
      return "verbs must not be empty";
    }
    if (!empty(rule.getNonResourceURLs())) {
      if (namespaced) {
        return "namespaced rules cannot apply to non-resource URLs";
      }
      if (!empty(rule.getApiGroups())
          || !empty(rule.getResources())
          || !empty(rule.getResourceNames())) {
        return "rules cannot apply to both regular resources and non-resource URLs";
      }
      return null;
    }
    if (empty(rule.getApiGroups())) {
      return "resource rules must supply at least one api group";
    }
    if (empty(rule.getResources())) {
      return "resource rules must supply at least one resource";
    }
    return null;
  }

  private static boolean empty(List<String> values) {
    return values == null || values.isEmpty();
  }

  /**
   * {@code " (roles.yaml:12)"}: where the manifests define an object, "" when not read from one.
   */
  private String at(String kind, String namespace, String name) {
    return positions
        .of(kind, namespace, name)
        .map(p -> " (" + p.file() + ":" + p.line() + ")")
        .orElse("");
  }

  /** The defaults join the manifests only where the manifests do not define the same object. */
  private static RbacObjects merge(RbacObjects manifests, RbacObjects defaults) {
    return manifests.plus(
        new RbacObjects(
            missing(manifests.roles(), defaults.roles()),
            missing(manifests.clusterRoles(), defaults.clusterRoles()),
            missing(manifests.roleBindings(), defaults.roleBindings()),
            missing(manifests.clusterRoleBindings(), defaults.clusterRoleBindings())));
  }

  private static <T extends HasMetadata> List<T> missing(List<T> present, List<T> candidates) {
    Function<T, String> id = o -> namespace(o) + "/" + name(o);
    Set<String> have = new HashSet<>();
    present.forEach(o -> have.add(id.apply(o)));
    return candidates.stream().filter(o -> !have.contains(id.apply(o))).toList();
  }

  private static String key(String kind, String namespace, String name) {
    return kind + "/" + namespace + "/" + name;
  }

  static String name(HasMetadata o) {
    return o.getMetadata() == null ? "" : Objects.requireNonNullElse(o.getMetadata().getName(), "");
  }

  static String namespace(HasMetadata o) {
    return o.getMetadata() == null
        ? ""
        : Objects.requireNonNullElse(o.getMetadata().getNamespace(), "");
  }
}
