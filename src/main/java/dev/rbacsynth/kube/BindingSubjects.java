package dev.rbacsynth.kube;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** The subjects of RoleBindings and ClusterRoleBindings. */
public final class BindingSubjects {
  private BindingSubjects() {}

  /**
   * The namespace of a ServiceAccount subject: its own, or the binding's when it names none, so a
   * RoleBinding can name a service account of its namespace without a namespace. "" when neither
   * has one (a ClusterRoleBinding's ServiceAccount subject without a namespace matches no one).
   * Upstream: {@code appliesToUser} in {@code pkg/registry/rbac/validation/rule.go}.
   *
   * @param subjectNamespace the subject's {@code namespace}, null or "" when not set
   */
  public static String serviceAccountNamespace(String subjectNamespace, String bindingNamespace) {
    return subjectNamespace == null || subjectNamespace.isEmpty()
        ? bindingNamespace
        : subjectNamespace;
  }

  /** The subjects a ClusterRoleBinding names that could match someone. */
  public static List<Subject> of(ClusterRoleBinding binding) {
    List<Subject> out = new ArrayList<>();
    var subjects = binding.getSubjects();
    if (subjects != null) {
      for (var s : subjects) {
        subject(s.getKind(), s.getName(), s.getNamespace(), "").ifPresent(out::add);
      }
    }
    return out;
  }

  /** The subjects a RoleBinding names that could match someone. */
  public static List<Subject> of(RoleBinding binding) {
    String ns =
        binding.getMetadata() == null
            ? ""
            : Objects.requireNonNullElse(binding.getMetadata().getNamespace(), "");
    List<Subject> out = new ArrayList<>();
    var subjects = binding.getSubjects();
    if (subjects != null) {
      for (var s : subjects) {
        subject(s.getKind(), s.getName(), s.getNamespace(), ns).ifPresent(out::add);
      }
    }
    return out;
  }

  /**
   * A User named {@code system:serviceaccount:NS:NAME} is that ServiceAccount; a ServiceAccount
   * subject takes its namespace by {@link #serviceAccountNamespace}; nameless subjects, unknown
   * kinds and invalid service accounts match no one and are left out.
   */
  private static Optional<Subject> subject(
      String kind, String name, String namespace, String bindingNamespace) {
    if (name == null || name.isEmpty()) {
      return Optional.empty();
    }
    return switch (Objects.requireNonNullElse(kind, "")) {
      case "User" -> Optional.of(Subject.forUsername(name));
      case "Group" -> Optional.of(new Subject.Group(name));
      case "ServiceAccount" ->
          Subject.serviceAccountOf(
                  Subject.SA_PREFIX
                      + serviceAccountNamespace(namespace, bindingNamespace)
                      + ":"
                      + name)
              .map(sa -> sa);
      default -> Optional.empty();
    };
  }
}
