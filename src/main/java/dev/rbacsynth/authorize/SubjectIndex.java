package dev.rbacsynth.authorize;

import dev.rbacsynth.event.UserInfo;
import dev.rbacsynth.kube.BindingSubjects;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Bindings by the usernames and groups their subjects name, so that finding the bindings of one
 * user costs what that user has, not what the whole cluster has: {@code diff --all-subjects} over
 * 100 000 service accounts walked every binding for each. A binding is a candidate for a user when
 * a User subject has the username, a ServiceAccount subject is that username ({@code
 * system:serviceaccount:NS:NAME}, the namespace defaulting to the binding's), or a Group subject is
 * one of the user's groups; the authorizer still checks each candidate in full ({@link
 * Authorizer#appliesTo}), so the index only narrows, never decides. Candidates come back in the
 * bindings' order, which the authorizer's walk keeps.
 */
final class SubjectIndex {
  private static final int[] NONE = new int[0];

  private final Map<String, int[]> byUser = new HashMap<>();
  private final Map<String, int[]> byGroup = new HashMap<>();

  /**
   * @param subjects the subjects of each binding, in order
   * @param bindingNamespace the namespace of a RoleBinding ("" for ClusterRoleBindings)
   */
  <B> SubjectIndex(List<B> bindings, Function<B, List<Subject>> subjects, String bindingNamespace) {
    for (int i = 0; i < bindings.size(); i++) {
      List<Subject> list = subjects.apply(bindings.get(i));
      if (list == null) {
        continue;
      }
      for (Subject s : list) {
        String kind = Objects.requireNonNullElse(s.getKind(), "");
        String name = Objects.requireNonNullElse(s.getName(), "");
        switch (kind) {
          case "User" -> add(byUser, name, i);
          case "Group" -> add(byGroup, name, i);
          case "ServiceAccount" -> {
            String ns = BindingSubjects.serviceAccountNamespace(s.getNamespace(), bindingNamespace);
            if (!ns.isEmpty()) {
              add(byUser, "system:serviceaccount:" + ns + ":" + name, i);
            }
          }
          default -> {}
        }
      }
    }
  }

  private static void add(Map<String, int[]> map, String key, int index) {
    int[] have = map.get(key);
    if (have == null) {
      map.put(key, new int[] {index});
    } else if (have[have.length - 1] != index) {
      int[] more = Arrays.copyOf(have, have.length + 1);
      more[have.length] = index;
      map.put(key, more);
    }
  }

  /** The usernames the bindings name (users and service accounts). */
  Set<String> users() {
    return byUser.keySet();
  }

  /** The groups the bindings name. */
  Set<String> groups() {
    return byGroup.keySet();
  }

  /** The positions of the bindings that may apply to the user, ascending, without repeats. */
  int[] candidates(UserInfo user) {
    int[] out = byUser.getOrDefault(user.username(), NONE);
    boolean copied = false;
    for (String g : user.groups()) {
      int[] more = byGroup.get(g);
      if (more == null) {
        continue;
      }
      if (out.length == 0) {
        out = more;
        continue;
      }
      int[] merged = new int[out.length + more.length];
      System.arraycopy(out, 0, merged, 0, out.length);
      System.arraycopy(more, 0, merged, out.length, more.length);
      out = merged;
      copied = true;
    }
    return copied ? sortedDistinct(out) : out;
  }

  /**
   * The indexes in ascending order, each once (a plain loop: an {@code IntStream} here loaded about
   * 30 classes on every can-i run whose subject has groups).
   */
  private static int[] sortedDistinct(int[] indexes) {
    int[] sorted = indexes.clone();
    Arrays.sort(sorted);
    int n = 0;
    for (int i = 0; i < sorted.length; i++) {
      if (n == 0 || sorted[n - 1] != sorted[i]) {
        sorted[n++] = sorted[i];
      }
    }
    return n == sorted.length ? sorted : Arrays.copyOf(sorted, n);
  }
}
