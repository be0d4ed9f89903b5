package dev.rbacsynth.attributes;

import java.util.List;

/**
 * The checks one event stands for, or why it stands for none. A skipped event still counts in the
 * summary, and an impersonation denial carries the denied impersonation as a requirement for the
 * denied report. {@code dryRun} marks a request sent with {@code ?dryRun=All} (authorized like any
 * other, tagged in reports).
 */
public record Interpretation(List<Requirement> requirements, Skip skip, boolean dryRun) {

  /** Why an event yields no permission to grant. */
  public enum Skip {
    NONE("used"),
    UNAUTHENTICATED("failed authentication (401), no subject"),
    UNRESOLVED("only a RequestReceived stage was logged: outcome and effective user unknown"),
    IMPERSONATION_DENIED("impersonation was denied before authorization (403 without decision)"),
    EMPTY_VERB("empty verb (an OPTIONS request): only verbs [\"*\"] would match, not generated"),
    REMOVED_PROXY_PATH("root /proxy/ path, removed in Kubernetes 1.10: cannot succeed"),
    CLUSTER_SCOPED_IN_NAMESPACE(
        "a cluster-scoped resource requested under a namespace: 404, a client bug"),
    REFUSED(
        "refused, never granted: a literal * or an empty name that RBAC would read as any"
            + " (cannot succeed on a real apiserver; see the denied report)");

    private final String description;

    Skip(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }

  public Interpretation {
    requirements = List.copyOf(requirements);
  }

  public Interpretation(List<Requirement> requirements, Skip skip) {
    this(requirements, skip, false);
  }

  public static Interpretation skipped(Skip skip) {
    return new Interpretation(List.of(), skip);
  }

  public static Interpretation skipped(Skip skip, Requirement reported) {
    return new Interpretation(List.of(reported), skip);
  }
}
