package dev.rbacsynth.authorize;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.RbacObjects;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 §4: bindings are found through an index by subject, so reviewing many subjects is not
 * quadratic; the index may only narrow the walk, never change it. Random policies with every way a
 * subject can be named (users, groups, service accounts with and without a namespace, wrong API
 * groups, unknown kinds, nameless subjects) are walked with the index and with the plain walk over
 * every binding, which must visit the same rules in the same order, for users that match, half
 * match and match nothing.
 */
class SubjectIndexTest {
  private static final String[] NAMES = {
    "alice", "bob", "web", "db", "", "system:serviceaccount:a:web"
  };
  private static final String[] NAMESPACES = {"a", "b", "c", ""};
  private static final String[] GROUPS = {
    "dev", "ops", "system:authenticated", "system:serviceaccounts:a"
  };

  private static String pick(Random r, String[] from) {
    return from[r.nextInt(from.length)];
  }

  private static Subject subject(Random r) {
    SubjectBuilder b = new SubjectBuilder();
    switch (r.nextInt(6)) {
      case 0 -> b.withKind("User").withName(pick(r, NAMES));
      case 1 -> b.withKind("Group").withName(pick(r, GROUPS));
      case 2 ->
          b.withKind("ServiceAccount").withName(pick(r, NAMES)).withNamespace(pick(r, NAMESPACES));
      case 3 -> b.withKind("User").withApiGroup("example.com").withName(pick(r, NAMES));
      case 4 ->
          b.withKind("ServiceAccount").withApiGroup("rbac.authorization.k8s.io").withName("web");
      default -> b.withKind(r.nextBoolean() ? "Robot" : null).withName(pick(r, NAMES));
    }
    return b.build();
  }

  private static List<Subject> subjects(Random r) {
    List<Subject> out = new ArrayList<>();
    int n = r.nextInt(4);
    for (int i = 0; i < n; i++) {
      out.add(subject(r));
    }
    return r.nextInt(10) == 0 ? null : out;
  }

  private static RbacObjects policy(Random r) {
    List<ClusterRole> roles = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      roles.add(
          new ClusterRoleBuilder()
              .withNewMetadata()
              .withName("role-" + i)
              .endMetadata()
              .withRules(
                  new PolicyRuleBuilder()
                      .withApiGroups("")
                      .withResources("pods")
                      .withVerbs("verb-" + i)
                      .build())
              .build());
    }
    List<ClusterRoleBinding> crbs = new ArrayList<>();
    List<RoleBinding> rbs = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      crbs.add(
          new ClusterRoleBindingBuilder()
              .withNewMetadata()
              .withName("crb-" + i)
              .endMetadata()
              .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "role-" + r.nextInt(5))
              .withSubjects(subjects(r))
              .build());
      rbs.add(
          new RoleBindingBuilder()
              .withNewMetadata()
              .withName("rb-" + i)
              .withNamespace(pick(r, NAMESPACES))
              .endMetadata()
              .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "role-" + r.nextInt(5))
              .withSubjects(subjects(r))
              .build());
    }
    return new RbacObjects(List.of(), roles, rbs, crbs);
  }

  /** The plain walk: every binding, in order, as the authorizer walked before the index. */
  private static List<String> plainWalk(Policy policy, UserInfo user, String namespace) {
    List<String> out = new ArrayList<>();
    for (ClusterRoleBinding b : policy.clusterRoleBindings()) {
      String s = Authorizer.firstMatchingSubject(b.getSubjects(), user, "");
      if (s != null) {
        List<?> rules = policy.clusterRoleRules(b.getRoleRef().getName());
        out.add(b.getMetadata().getName() + " " + s + " " + (rules == null ? "missing" : rules));
      }
    }
    if (!namespace.isEmpty()) {
      for (RoleBinding b : policy.roleBindingsIn(namespace)) {
        String s = Authorizer.firstMatchingSubject(b.getSubjects(), user, namespace);
        if (s != null) {
          List<?> rules = policy.clusterRoleRules(b.getRoleRef().getName());
          out.add(b.getMetadata().getName() + " " + s + " " + (rules == null ? "missing" : rules));
        }
      }
    }
    return out;
  }

  private static List<String> indexedWalk(Authorizer authorizer, UserInfo user, String namespace) {
    List<String> out = new ArrayList<>();
    authorizer.visitRulesFor(
        user,
        namespace,
        new Authorizer.RuleVisitor() {
          String last;

          @Override
          public boolean visit(
              BindingRef binding,
              String subject,
              int index,
              io.fabric8.kubernetes.api.model.rbac.PolicyRule rule) {
            if (index == 0) {
              out.add(
                  binding.name()
                      + " "
                      + subject
                      + " "
                      + authorizer.policy().clusterRoleRules(binding.roleName()));
            }
            return true;
          }

          @Override
          public boolean resolutionError(BindingRef binding, String subject) {
            out.add(binding.name() + " " + subject + " missing");
            return true;
          }
        });
    return out;
  }

  @Test
  void theIndexedWalkIsThePlainWalk() {
    List<UserInfo> users = new ArrayList<>();
    for (String name : NAMES) {
      users.add(UserInfo.of(name, List.of()));
      users.add(UserInfo.of(name, List.of("dev", "system:authenticated")));
      users.add(UserInfo.of(name, List.of(GROUPS)));
    }
    for (String ns : List.of("a", "b", "c")) {
      users.add(
          UserInfo.of(
              "system:serviceaccount:" + ns + ":web", List.of("system:serviceaccounts:" + ns)));
    }
    users.add(UserInfo.of("nobody", List.of("nothing")));
    int visited = 0;
    for (long seed = 0; seed < 300; seed++) {
      Random r = new Random(seed);
      Policy policy = Policy.of(policy(r));
      Authorizer authorizer = new Authorizer(policy);
      for (UserInfo user : users) {
        Set<String> expectedNamespaces = new TreeSet<>();
        for (String ns : NAMESPACES) {
          List<String> plain = plainWalk(policy, user, ns);
          assertThat(indexedWalk(authorizer, user, ns))
              .as("seed %d, %s in %s", seed, user, ns)
              .isEqualTo(plain);
          visited += plain.size();
          if (!ns.isEmpty()
              && policy.roleBindingsIn(ns).stream()
                  .anyMatch(
                      b -> Authorizer.firstMatchingSubject(b.getSubjects(), user, ns) != null)) {
            expectedNamespaces.add(ns);
          }
        }
        assertThat(policy.roleBindingNamespacesFor(user))
            .as("seed %d, %s", seed, user)
            .containsAll(expectedNamespaces);
      }
    }
    assertThat(visited).as("the policies grant something").isGreaterThan(10_000);
  }
}
