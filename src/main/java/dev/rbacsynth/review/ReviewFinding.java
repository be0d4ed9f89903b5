package dev.rbacsynth.review;

import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.kube.Subject;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * One finding of a review as a CI tool sees it: a rule id ({@code missing}, {@code unused}, {@code
 * risky/<kind>}), the subject, the rule it is about (none for a missing request) and a fingerprint
 * that stays the same across runs while the finding is the same: it is made of the rule id, the
 * subject, and either the request or the binding, role and rule content. Line numbers, rule
 * indexes, counts and times are left out on purpose, so moving a rule in its file or seeing a
 * request more often does not make a finding new.
 *
 * <p>Exactly one of {@code missing}, {@code unused} and {@code risk} is set.
 */
public record ReviewFinding(
    Finding kind,
    String ruleId,
    Subject subject,
    AppliedRule rule,
    Missing missing,
    Unused unused,
    Risk risk,
    String fingerprint) {

  /** The rule id of a risk kind: {@code risky/wildcard}. */
  public static String riskyRuleId(String riskKind) {
    return "risky/" + riskKind;
  }

  /** The findings of one review: missing, then unused, then risky, each in the review's order. */
  public static List<ReviewFinding> of(SubjectReview review) {
    List<ReviewFinding> out = new ArrayList<>();
    Subject s = review.subject();
    for (Missing m : review.missing()) {
      out.add(
          new ReviewFinding(
              Finding.MISSING,
              "missing",
              s,
              null,
              m,
              null,
              null,
              print("missing", s, request(m.request()))));
    }
    for (Unused u : review.unused()) {
      out.add(
          new ReviewFinding(
              Finding.UNUSED,
              "unused",
              s,
              u.rule(),
              null,
              u,
              null,
              print("unused", s, rule(u.rule()))));
    }
    for (Risk k : review.risky()) {
      String id = riskyRuleId(k.risk());
      out.add(
          new ReviewFinding(
              Finding.RISKY, id, s, k.rule(), null, null, k, print(id, s, rule(k.rule()))));
    }
    return out;
  }

  /** Every finding of every review, in review order. */
  public static List<ReviewFinding> of(List<SubjectReview> reviews) {
    List<ReviewFinding> out = new ArrayList<>();
    reviews.forEach(r -> out.addAll(of(r)));
    return out;
  }

  private static String request(RequestAttributes r) {
    return String.join(
        "\u0000",
        r.resourceRequest() ? "resource" : "url",
        r.verb(),
        r.apiGroup(),
        r.resource(),
        r.subresource(),
        r.namespace(),
        r.name(),
        r.resourceRequest() ? "" : r.path());
  }

  private static String rule(AppliedRule a) {
    PolicyRule r = a.rule();
    return String.join(
        "\u0000",
        a.binding().kind(),
        a.binding().namespace(),
        a.binding().name(),
        a.binding().roleKind(),
        a.binding().roleName(),
        String.valueOf(r.getApiGroups()),
        String.valueOf(r.getResources()),
        String.valueOf(r.getResourceNames()),
        String.valueOf(r.getNonResourceURLs()),
        String.valueOf(r.getVerbs()));
  }

  private static String print(String ruleId, Subject subject, String what) {
    String identity =
        String.join("\u0000", "v1", ruleId, subject.kind(), subject.auditName(), what);
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
