package dev.rbacsynth.kube;

import dev.rbacsynth.event.UserInfo;
import java.util.Objects;
import java.util.Optional;

/** The user, service account or group that rbac-synth generates or reviews RBAC for. */
public sealed interface Subject {

  String SA_PREFIX = "system:serviceaccount:";

  /** True when {@code user} is this subject (a member of it, for a group). */
  boolean matches(UserInfo user);

  /** The RBAC subject kind: User, ServiceAccount or Group. */
  String kind();

  /** Name as it appears in audit logs: the username or group name. */
  String auditName();

  /**
   * Short form for messages: {@code user alice}, {@code serviceaccount ns/app}, {@code group dev}.
   */
  String describe();

  record User(String name) implements Subject {
    // equals and hashCode written out (the record's own values): the generated ones are linked
    // through method handles on first use, which every run paid for its subject.
    @Override
    public boolean equals(Object o) {
      return o instanceof User u && Objects.equals(name, u.name);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(name);
    }

    @Override
    public boolean matches(UserInfo user) {
      return user.username().equals(name);
    }

    @Override
    public String kind() {
      return "User";
    }

    @Override
    public String auditName() {
      return name;
    }

    @Override
    public String describe() {
      return "user " + name;
    }
  }

  record ServiceAccount(String namespace, String name) implements Subject {
    @Override
    public boolean equals(Object o) {
      return o instanceof ServiceAccount a
          && Objects.equals(namespace, a.namespace)
          && Objects.equals(name, a.name);
    }

    @Override
    public int hashCode() {
      return 31 * Objects.hashCode(namespace) + Objects.hashCode(name);
    }

    @Override
    public boolean matches(UserInfo user) {
      return user.username().equals(auditName());
    }

    @Override
    public String kind() {
      return "ServiceAccount";
    }

    @Override
    public String auditName() {
      return SA_PREFIX + namespace + ":" + name;
    }

    @Override
    public String describe() {
      return "serviceaccount " + namespace + "/" + name;
    }
  }

  record Group(String name) implements Subject {
    @Override
    public boolean equals(Object o) {
      return o instanceof Group g && Objects.equals(name, g.name);
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(name);
    }

    @Override
    public boolean matches(UserInfo user) {
      return user.groups().contains(name);
    }

    @Override
    public String kind() {
      return "Group";
    }

    @Override
    public String auditName() {
      return name;
    }

    @Override
    public String describe() {
      return "group " + name;
    }
  }

  /**
   * The service account behind a username, as the apiserver's {@code serviceaccount.SplitUsername}
   * sees it: {@code system:serviceaccount:NS:NAME} with a DNS-label namespace and a DNS-subdomain
   * name.
   */
  static Optional<ServiceAccount> serviceAccountOf(String username) {
    if (!username.startsWith(SA_PREFIX)) {
      return Optional.empty();
    }
    String[] parts = username.substring(SA_PREFIX.length()).split(":", -1);
    if (parts.length != 2
        || parts[0].length() > 63
        || parts[1].length() > 253
        || !Names.isDnsLabel(parts[0])
        || !Names.isDnsSubdomain(parts[1])) {
      return Optional.empty();
    }
    return Optional.of(new ServiceAccount(parts[0], parts[1]));
  }

  /**
   * A user given by name becomes a ServiceAccount subject when it is a valid service-account
   * username.
   */
  static Subject forUsername(String username) {
    return serviceAccountOf(username).<Subject>map(sa -> sa).orElseGet(() -> new User(username));
  }
}
