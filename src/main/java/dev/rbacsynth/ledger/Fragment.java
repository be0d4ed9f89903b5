package dev.rbacsynth.ledger;

import dev.rbacsynth.event.Stage;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A request seen at the edge of an input: still open at its end (no final stage yet), or final but
 * begun before the input's first record (its earlier stages may be in the previous file). It is
 * kept apart, by audit ID, with the stages seen and what its best stage counts for, so that the
 * same request read in two inputs counts once when their ledgers merge: fragments of one audit ID
 * combine (stages united, the best stage's contribution kept, as stage merging keeps the final
 * stage), and a fragment is folded into the counted rows once no stage of it can be elsewhere (it
 * has its RequestReceived and final stage, and its ResponseStarted when it is a long-running
 * request). A ledger is read (as usage) with its fragments counted once each.
 *
 * <p>It holds the stages seen (a bit per {@link Stage#rank()}), the stage whose contribution is
 * kept (the highest rank seen), whether it is long-running (a watch, proxy, exec, attach,
 * portforward or log request: one that the apiserver logs a ResponseStarted stage for), whether the
 * input it came from logged RequestReceived stages (when not, as with {@code omitStages:
 * [RequestReceived]}, a request is complete without one), and what the kept stage counts for, per
 * subject username.
 */
public final class Fragment {
  private final String auditID;
  private final int stages;
  private final Stage stage;
  private final boolean longRunning;
  private final boolean requestReceivedLogged;
  // one of the two: the contribution built, or the fragment's JSON as read (built when asked for)
  private final SortedMap<String, SubjectUsage> contribution;
  private final LedgerJson.Packed packed;

  public Fragment(
      String auditID,
      int stages,
      Stage stage,
      boolean longRunning,
      boolean requestReceivedLogged,
      SortedMap<String, SubjectUsage> contribution) {
    this(
        auditID,
        stages,
        stage,
        longRunning,
        requestReceivedLogged,
        Collections.unmodifiableSortedMap(new TreeMap<>(contribution)),
        null);
  }

  private Fragment(
      String auditID,
      int stages,
      Stage stage,
      boolean longRunning,
      boolean requestReceivedLogged,
      SortedMap<String, SubjectUsage> contribution,
      LedgerJson.Packed packed) {
    this.auditID = auditID;
    this.stages = stages;
    this.stage = stage;
    this.longRunning = longRunning;
    this.requestReceivedLogged = requestReceivedLogged;
    this.contribution = contribution;
    this.packed = packed;
  }

  /**
   * A fragment read from a ledger, held as its JSON (with the tables it refers to) rather than as
   * objects: a merge of ledgers writes most open requests as they were read, and a read for one
   * subject needs only that subject's. Its contribution is built from the JSON when asked for.
   */
  static Fragment packed(
      String auditID,
      int stages,
      Stage stage,
      boolean longRunning,
      boolean requestReceivedLogged,
      LedgerJson.Packed packed) {
    return new Fragment(auditID, stages, stage, longRunning, requestReceivedLogged, null, packed);
  }

  public String auditID() {
    return auditID;
  }

  /** A bit per {@link Stage#rank()} seen. */
  public int stages() {
    return stages;
  }

  public Stage stage() {
    return stage;
  }

  public boolean longRunning() {
    return longRunning;
  }

  public boolean requestReceivedLogged() {
    return requestReceivedLogged;
  }

  /** What the kept stage counts for, per subject username (built anew each time when packed). */
  public SortedMap<String, SubjectUsage> contribution() {
    return contribution != null ? contribution : packed.contribution();
  }

  /** What the kept stage counts for {@code username}, or null. */
  SubjectUsage contributionOf(String username) {
    if (contribution != null) {
      return contribution.get(username);
    }
    return packed.concerns(username) ? packed.contribution().get(username) : null;
  }

  /** The JSON this fragment was read as, or null when it was built. */
  LedgerJson.Packed packed() {
    return packed;
  }

  static int bit(Stage s) {
    return 1 << s.rank();
  }

  boolean has(Stage s) {
    return (stages & bit(s)) != 0;
  }

  /** No stage of this request can be in another input. */
  boolean complete() {
    boolean fin = has(Stage.RESPONSE_COMPLETE) || has(Stage.PANIC);
    return fin
        && (has(Stage.REQUEST_RECEIVED) || !requestReceivedLogged)
        && (!longRunning || has(Stage.RESPONSE_STARTED));
  }

  /** Both halves of one request: stages united, the best contribution kept. */
  Fragment combine(Fragment o) {
    Fragment best;
    if (o.stage.rank() != stage.rank()) {
      best = o.stage.rank() > stage.rank() ? o : this;
    } else {
      // Two records of the same stage (a repeated line): keep one, chosen by content.
      String mine = LedgerJson.contributionKey(contribution());
      String theirs = LedgerJson.contributionKey(o.contribution());
      best = mine.compareTo(theirs) <= 0 ? this : o;
    }
    return new Fragment(
        auditID,
        stages | o.stages,
        best.stage,
        longRunning || o.longRunning,
        requestReceivedLogged || o.requestReceivedLogged,
        best.contribution,
        best.packed);
  }

  static boolean isLongRunning(String verb, String subresource) {
    return verb.equals("watch")
        || verb.equals("proxy")
        || switch (subresource) {
          case "attach", "exec", "proxy", "log", "portforward" -> true;
          default -> false;
        };
  }
}
