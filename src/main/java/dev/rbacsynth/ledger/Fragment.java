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
 * @param stages a bit per {@link Stage#rank()} seen
 * @param stage the stage whose contribution is kept (the highest rank seen)
 * @param longRunning a watch, proxy, exec, attach, portforward or log request: one that the
 *     apiserver logs a ResponseStarted stage for
 * @param requestReceivedLogged the input it came from logged RequestReceived stages (when not, as
 *     with {@code omitStages: [RequestReceived]}, a request is complete without one)
 * @param contribution what the kept stage counts for, per subject username
 */
public record Fragment(
    String auditID,
    int stages,
    Stage stage,
    boolean longRunning,
    boolean requestReceivedLogged,
    SortedMap<String, SubjectUsage> contribution) {

  public Fragment {
    contribution = Collections.unmodifiableSortedMap(new TreeMap<>(contribution));
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
      String mine = LedgerJson.contributionKey(contribution);
      String theirs = LedgerJson.contributionKey(o.contribution);
      best = mine.compareTo(theirs) <= 0 ? this : o;
    }
    return new Fragment(
        auditID,
        stages | o.stages,
        best.stage,
        longRunning || o.longRunning,
        requestReceivedLogged || o.requestReceivedLogged,
        best.contribution);
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
