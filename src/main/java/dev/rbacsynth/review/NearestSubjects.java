package dev.rbacsynth.review;

import dev.rbacsynth.kube.Subject;
import java.util.Comparator;
import java.util.List;

/**
 * The bound subjects whose names are closest to one that no binding reaches, for "did you mean":
 * same kind only; a name that contains the other (a Helm release prefix: {@code
 * my-cert-manager-cainjector} and {@code cert-manager-cainjector}) or is within an edit distance of
 * a third of its length counts as near.
 */
public final class NearestSubjects {
  private NearestSubjects() {}

  /** Up to {@code limit} subjects of {@code wanted}'s kind near it, nearest first. */
  public static List<Subject> of(Subject wanted, List<Subject> bound, int limit) {
    String w = key(wanted);
    return bound.stream()
        .filter(s -> s.kind().equals(wanted.kind()) && !s.equals(wanted))
        .filter(s -> near(w, key(s)))
        .sorted(
            Comparator.comparingInt((Subject s) -> distance(w, key(s)))
                .thenComparing(NearestSubjects::key))
        .limit(limit)
        .toList();
  }

  /**
   * {@link #of}, and when no subject of the same kind is near, subjects of another kind with the
   * same or a near name ({@code --user web} for the service account {@code shop:web}).
   */
  public static List<Subject> ofAnyKind(Subject wanted, List<Subject> candidates, int limit) {
    List<Subject> same = of(wanted, candidates, limit);
    if (!same.isEmpty()) {
      return same;
    }
    String w = name(wanted);
    return candidates.stream()
        .filter(s -> !s.kind().equals(wanted.kind()))
        .filter(s -> near(w, name(s)))
        .sorted(
            Comparator.comparingInt((Subject s) -> distance(w, name(s)))
                .thenComparing(NearestSubjects::key))
        .limit(limit)
        .toList();
  }

  private static String name(Subject s) {
    return s instanceof Subject.ServiceAccount sa ? sa.name() : s.auditName();
  }

  private static String key(Subject s) {
    return s instanceof Subject.ServiceAccount sa
        ? sa.namespace() + ":" + sa.name()
        : s.auditName();
  }

  private static boolean near(String a, String b) {
    String nameA = a.substring(a.indexOf(':') + 1);
    String nameB = b.substring(b.indexOf(':') + 1);
    if (nameA.length() >= 4
        && nameB.length() >= 4
        && (nameA.contains(nameB) || nameB.contains(nameA))) {
      return true;
    }
    return distance(a, b) <= Math.max(a.length(), b.length()) / 3;
  }

  /**
   * Edit distance in which swapping two adjacent characters counts as one edit, as do an insertion,
   * a deletion and a substitution (the optimal string alignment distance): {@code alcie} is one
   * edit from {@code alice}, the commonest typo. Also the command line's "did you mean".
   */
  public static int distance(String a, String b) {
    int[] before = new int[b.length() + 1];
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          cur[j] = Math.min(cur[j], before[j - 2] + 1);
        }
      }
      int[] t = before;
      before = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
