package dev.rbacsynth.report;

import dev.rbacsynth.authorize.BindingRef;
import dev.rbacsynth.kube.BindingSubjects;
import dev.rbacsynth.kube.RbacObjects;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.read.ManifestPositions;
import dev.rbacsynth.read.ManifestPositions.Location;
import dev.rbacsynth.review.AppliedRule;
import dev.rbacsynth.review.ReviewFinding;
import dev.rbacsynth.review.SubjectReview;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where in the {@code --rbac} manifests a finding belongs, for SARIF and annotations: the line of
 * the rule in its Role or ClusterRole (the role's own line when the rule is not written there, as
 * for an aggregated ClusterRole; the binding when the role is a default one); for a missing
 * request, the binding subject that names the subject, else the first manifest. For standard input
 * ({@code --rbac -}) the line of the stream in the file named by {@code --stdin-filename}, nothing
 * without one.
 */
public final class FindingLocations {

  /** How {@link ManifestPositions} names standard input. */
  public static final String STDIN = "<stdin>";

  private final ManifestPositions positions;
  private final RbacObjects manifests;
  private final String stdinName;

  public FindingLocations(ManifestPositions positions, RbacObjects manifests) {
    this(positions, manifests, null);
  }

  /**
   * @param stdinName the file the manifests on standard input were rendered into or from ({@code
   *     --stdin-filename}), null for none: their findings then have no location
   */
  public FindingLocations(ManifestPositions positions, RbacObjects manifests, String stdinName) {
    this.positions = positions;
    this.manifests = manifests;
    this.stdinName = stdinName;
  }

  public Optional<Location> of(ReviewFinding f, SubjectReview review) {
    Optional<Location> at =
        f.rule() != null ? rule(f.rule()) : subjectBinding(f.subject(), review.applied());
    return at.or(this::firstFile)
        .flatMap(
            l ->
                !l.file().equals(STDIN)
                    ? Optional.of(l)
                    : Optional.ofNullable(stdinName).map(name -> new Location(name, l.line())));
  }

  private Optional<Location> rule(AppliedRule a) {
    BindingRef b = a.binding();
    String roleNamespace = b.roleKind().equals("Role") ? b.namespace() : "";
    return positions
        .of(b.roleKind(), roleNamespace, b.roleName())
        .map(p -> p.rule(a.ruleIndex()))
        .or(() -> positions.of(b.kind(), b.namespace(), b.name()).map(p -> p.object()));
  }

  private Optional<Location> subjectBinding(Subject subject, List<AppliedRule> applied) {
    for (AppliedRule a : applied) {
      BindingRef b = a.binding();
      Optional<ManifestPositions.ObjectPosition> p =
          positions.of(b.kind(), b.namespace(), b.name());
      if (p.isPresent()) {
        return Optional.of(p.get().subject(subjectIndex(b, subject)));
      }
    }
    return Optional.empty();
  }

  private int subjectIndex(BindingRef b, Subject subject) {
    if (b.kind().equals("ClusterRoleBinding")) {
      for (ClusterRoleBinding c : manifests.clusterRoleBindings()) {
        if (c.getMetadata() != null && b.name().equals(c.getMetadata().getName())) {
          return indexIn(
              c.getSubjects() == null
                  ? List.of()
                  : c.getSubjects().stream()
                      .map(
                          x ->
                              new String[] {nz(x.getKind()), nz(x.getName()), nz(x.getNamespace())})
                      .toList(),
              "",
              subject);
        }
      }
    } else {
      for (RoleBinding r : manifests.roleBindings()) {
        if (r.getMetadata() != null
            && b.name().equals(r.getMetadata().getName())
            && b.namespace().equals(r.getMetadata().getNamespace())) {
          return indexIn(
              r.getSubjects() == null
                  ? List.of()
                  : r.getSubjects().stream()
                      .map(
                          x ->
                              new String[] {nz(x.getKind()), nz(x.getName()), nz(x.getNamespace())})
                      .toList(),
              b.namespace(),
              subject);
        }
      }
    }
    return -1;
  }

  /** Index of the binding subject that names {@code subject}, -1 if none does by name. */
  private static int indexIn(List<String[]> subjects, String bindingNamespace, Subject subject) {
    for (int i = 0; i < subjects.size(); i++) {
      String kind = subjects.get(i)[0];
      String name = subjects.get(i)[1];
      String namespace = subjects.get(i)[2];
      boolean same =
          switch (kind) {
            case "ServiceAccount" ->
                subject.equals(
                    new Subject.ServiceAccount(
                        BindingSubjects.serviceAccountNamespace(namespace, bindingNamespace),
                        name));
            case "User" -> subject.equals(Subject.forUsername(name));
            case "Group" -> subject.equals(new Subject.Group(name));
            default -> false;
          };
      if (same) {
        return i;
      }
    }
    return -1;
  }

  private static String nz(String s) {
    return Objects.requireNonNullElse(s, "");
  }

  private Optional<Location> firstFile() {
    return positions.files().stream().findFirst().map(f -> new Location(f, 1));
  }

  /**
   * A file name as a SARIF / GitHub path: relative to the working directory when it is inside it
   * (GitHub resolves paths against the repository root), with forward slashes.
   */
  public static String uri(String file) {
    Path p = Path.of(file);
    Path cwd = Path.of("").toAbsolutePath();
    Path abs = p.toAbsolutePath().normalize();
    String out;
    if (abs.startsWith(cwd)) {
      out = cwd.relativize(abs).toString();
    } else if (p.isAbsolute()) {
      return abs.toUri().toString();
    } else {
      out = p.normalize().toString();
    }
    return out.replace('\\', '/');
  }
}
