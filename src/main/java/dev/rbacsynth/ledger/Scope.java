package dev.rbacsynth.ledger;

import dev.rbacsynth.kube.Identities;
import dev.rbacsynth.kube.Subject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a ledger holds requests of: every subject or one ({@code collect --user}, {@code
 * --serviceaccount}, {@code --group}), in every namespace or one ({@code collect -n}). A ledger
 * holds every request inside its scope and none outside, so it can answer for a subject and
 * namespace only inside it: a ledger of one service account says nothing about another user, and a
 * ledger of one namespace nothing about cluster-scoped requests (reading it as if it did would call
 * grants unused that were used, and miss requests that would be denied).
 *
 * @param username the one user or service account (its username), or "" for any
 * @param group the one group whose members' requests it holds, or "" for any
 * @param namespace the one namespace (resource requests in it only), or "" for any
 */
public record Scope(String username, String group, String namespace) {

  /** Every subject, every namespace: a ledger collected without a subject flag or -n. */
  public static final Scope ALL = new Scope("", "", "");

  public Scope {
    Objects.requireNonNull(username);
    Objects.requireNonNull(group);
    Objects.requireNonNull(namespace);
    if (!username.isEmpty() && !group.isEmpty()) {
      throw new IllegalArgumentException("a scope is one user or one group, not both");
    }
  }

  /** The scope of {@code collect}'s subject flag (null: none) and {@code -n} ("" for none). */
  public static Scope of(Subject subject, String namespace) {
    if (subject == null) {
      return new Scope("", "", namespace);
    }
    return subject instanceof Subject.Group g
        ? new Scope("", g.name(), namespace)
        : new Scope(subject.auditName(), "", namespace);
  }

  /** The subject of a collect with this scope: null for every subject. */
  public Subject subject() {
    if (!username.isEmpty()) {
      return Subject.forUsername(username);
    }
    return group.isEmpty() ? null : new Subject.Group(group);
  }

  /**
   * Its fields that narrow it, by name, in the order {@code username}, {@code group}, {@code
   * namespace}: how a ledger and the reports write it; empty for {@link #ALL}.
   */
  public Map<String, String> fields() {
    Map<String, String> m = new LinkedHashMap<>();
    if (!username.isEmpty()) {
      m.put("username", username);
    }
    if (!group.isEmpty()) {
      m.put("group", group);
    }
    if (!namespace.isEmpty()) {
      m.put("namespace", namespace);
    }
    return m;
  }

  /** The scope of {@link #fields()}. */
  public static Scope of(Map<String, String> fields) {
    return new Scope(
        fields.getOrDefault("username", ""),
        fields.getOrDefault("group", ""),
        fields.getOrDefault("namespace", ""));
  }

  public boolean isAll() {
    return equals(ALL);
  }

  /**
   * Whether every request of {@code query} is inside this scope. A group's scope holds a user's
   * every request where the apiserver puts all of them in the group (a service account in
   * system:serviceaccounts:NS, anyone authenticated in system:authenticated); for any other group
   * only the requests made as a member, not the user's.
   */
  public boolean contains(Scope query) {
    return (username.isEmpty() || username.equals(query.username))
        && (group.isEmpty()
            || group.equals(query.group)
            || (!query.username.isEmpty() && Identities.alwaysIn(query.username, group)))
        && (namespace.isEmpty() || namespace.equals(query.namespace));
  }

  /**
   * The scope two ledgers merged hold in common, or null when they hold nothing in common (two
   * subjects, two namespaces, or a user beside a group that not all of its requests are in).
   */
  public Scope meet(Scope other) {
    String u = meet(username, other.username);
    String g = meet(group, other.group);
    String n = meet(namespace, other.namespace);
    if (u == null || g == null || n == null) {
      return null;
    }
    if (!u.isEmpty() && !g.isEmpty()) {
      // a user beside a group: the user's when the group holds all of its requests
      return Identities.alwaysIn(u, g) ? new Scope(u, "", n) : null;
    }
    return new Scope(u, g, n);
  }

  private static String meet(String a, String b) {
    if (a.isEmpty()) {
      return b;
    }
    return b.isEmpty() || a.equals(b) ? a : null;
  }

  /** The collect flags that give this scope ({@code --serviceaccount shop:web -n shop}). */
  public String flags() {
    List<String> out = new ArrayList<>();
    if (!username.isEmpty()) {
      out.add(
          Subject.forUsername(username) instanceof Subject.ServiceAccount sa
              ? "--serviceaccount " + sa.namespace() + ":" + sa.name()
              : "--user " + username);
    }
    if (!group.isEmpty()) {
      out.add("--group " + group);
    }
    if (!namespace.isEmpty()) {
      out.add("-n " + namespace);
    }
    return out.isEmpty() ? "(every subject and namespace)" : String.join(" ", out);
  }

  /**
   * In words, for messages: "every subject's requests", "only serviceaccount shop/web's requests in
   * namespace shop (none cluster-scoped or non-resource)".
   */
  public String describe() {
    if (isAll()) {
      return "every subject's requests in every namespace";
    }
    StringBuilder b = new StringBuilder("only ");
    if (!username.isEmpty()) {
      b.append(Subject.forUsername(username).describe()).append("'s requests");
    } else if (!group.isEmpty()) {
      b.append("the requests of group ").append(group).append("'s members");
    } else {
      b.append("the requests");
    }
    if (!namespace.isEmpty()) {
      b.append(" in namespace ").append(namespace).append(" (none cluster-scoped or non-resource)");
    }
    return b.toString();
  }
}
