package dev.rbacsynth.report;

import dev.rbacsynth.review.AppliedRule;
import dev.rbacsynth.review.Missing;
import dev.rbacsynth.review.ReviewFinding;
import dev.rbacsynth.review.SubjectReview;

/**
 * One-line wording of a finding for annotations, SARIF messages, baselines and the {@code display}
 * key of the JSON report: what it is, for whom, and where in the RBAC.
 */
public final class FindingText {
  private FindingText() {}

  /**
   * A short title: {@code missing: get pods -n shop}, {@code risky/wildcard: ClusterRole x
   * rules[0]}.
   */
  public static String title(ReviewFinding f) {
    return switch (f.kind()) {
      case MISSING -> "missing: " + f.missing().request().describe();
      case UNUSED, RISKY -> f.ruleId() + ": " + ruleName(f.rule());
    };
  }

  /** The full one-line message; {@code review} adds "no binding reaches" for missing requests. */
  public static String message(ReviewFinding f, SubjectReview review) {
    return message(f, review, "the audit log");
  }

  /** The message, an unused grant's saying which window it was not used in. */
  public static String message(ReviewFinding f, SubjectReview review, ObservationWindow window) {
    return message(f, review, window.phraseWithBounds());
  }

  private static String message(ReviewFinding f, SubjectReview review, String where) {
    String subject = f.subject().describe();
    return switch (f.kind()) {
      case MISSING -> missing(f.missing(), subject, review);
      case UNUSED ->
          ruleName(f.rule())
              + " (through "
              + ReviewText.binding(f.rule().binding())
              + ") grants "
              + subject
              + " "
              + ReviewText.rule(f.rule().rule())
              + "; not used in "
              + where
              + ": "
              + ReviewText.unused(f.unused());
      case RISKY ->
          ruleName(f.rule())
              + " (through "
              + ReviewText.binding(f.rule().binding())
              + ") gives "
              + subject
              + " "
              + f.risk().risk()
              + ": "
              + f.risk().why();
    };
  }

  private static String missing(Missing m, String subject, SubjectReview review) {
    StringBuilder s =
        new StringBuilder(subject)
            .append(" needs ")
            .append(m.request().describe())
            .append(", which the given RBAC does not allow: seen ")
            .append(m.count())
            .append(" time(s)");
    if (m.first() != null) {
      s.append(" from ").append(m.first()).append(" to ").append(m.last());
    }
    s.append(" (in the log: ").append(ReviewText.outcomes(m));
    if (m.lastDenied() != null) {
      s.append(", last denied at ").append(m.lastDenied());
    }
    if (m.transientDenial()) {
      s.append("; transient: allowed later, at ")
          .append(m.allowedLater())
          .append(", a start-up race, not a lasting lack");
    }
    s.append(')');
    if (!m.implication().isEmpty()) {
      s.append("; implied: ").append(m.implication());
    }
    if (review != null && review.applied().isEmpty()) {
      s.append("; no binding in the given RBAC reaches ").append(subject);
    }
    return s.toString();
  }

  /** {@code ClusterRole flannel rules[0]}. */
  static String ruleName(AppliedRule a) {
    return ReviewText.role(a.binding()) + " rules[" + a.ruleIndex() + "]";
  }
}
