package dev.rbacsynth.kube;

import dev.rbacsynth.event.UserInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The user the authorizer sees for a subject. For a name given on the command line the groups are
 * completed as the apiserver completes an impersonated identity (semantics.md §1.3): without
 * explicit groups a service account gets {@code system:serviceaccounts}, {@code
 * system:serviceaccounts:NS} and {@code system:authenticated}, anonymous gets {@code
 * system:unauthenticated}, anyone else {@code system:authenticated}; with explicit groups only
 * {@code system:authenticated} is added, unless an (un)authenticated group is among them.
 */
public final class Identities {
  public static final String AUTHENTICATED = "system:authenticated";
  public static final String UNAUTHENTICATED = "system:unauthenticated";
  public static final String ANONYMOUS = "system:anonymous";
  public static final String MASTERS = "system:masters";

  private Identities() {}

  /** The identity {@code --as USER --as-group G...} stands for. */
  public static UserInfo of(String username, Collection<String> explicitGroups) {
    List<String> groups = new ArrayList<>(new TreeSet<>(explicitGroups));
    if (groups.isEmpty()) {
      Optional<Subject.ServiceAccount> sa = Subject.serviceAccountOf(username);
      if (sa.isPresent()) {
        groups.add("system:serviceaccounts");
        groups.add("system:serviceaccounts:" + sa.get().namespace());
      }
      if (username.equals(ANONYMOUS)) {
        return UserInfo.of(username, List.of(UNAUTHENTICATED));
      }
    }
    if (!groups.contains(AUTHENTICATED) && !groups.contains(UNAUTHENTICATED)) {
      groups.add(AUTHENTICATED);
    }
    return UserInfo.of(username, groups);
  }

  /**
   * Whether the apiserver puts every request of {@code username} in {@code group} whatever its
   * credentials: system:authenticated for everyone but anonymous, system:unauthenticated for
   * anonymous, and a service account's system:serviceaccounts and system:serviceaccounts:NS.
   */
  public static boolean alwaysIn(String username, String group) {
    return of(username, List.of()).groups().contains(group);
  }

  /**
   * The standing identity of a reviewed subject, to decide which bindings apply to it: the
   * apiserver's groups for its name plus the groups it had in every request. A group subject is
   * just a member of that group.
   */
  public static UserInfo ofSubject(Subject subject, Collection<String> alwaysHeldGroups) {
    if (subject instanceof Subject.Group g) {
      return UserInfo.of("", List.of(g.name()));
    }
    TreeSet<String> groups = new TreeSet<>(of(subject.auditName(), List.of()).groups());
    groups.addAll(alwaysHeldGroups);
    return UserInfo.of(subject.auditName(), List.copyOf(groups));
  }
}
