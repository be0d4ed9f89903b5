package dev.rbacsynth.ledger;

import dev.rbacsynth.attributes.Interpretation;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One subject on one UTC day: the events it took part in (each request once, after stage merging),
 * the skipped ones by reason, the groups it was seen with and the privileged ones among them.
 *
 * <p>Small, since a ledger holds one per subject and day and one in each open request: the group
 * set is a sorted, unmodifiable set shared with equal ones where the {@link Interner} made it
 * (replaced, never changed, when a group is added), the skipped counts exist only once something
 * was skipped.
 */
public final class SubjectDay {
  private long events;
  private EnumMap<Interpretation.Skip, Long> skipped; // null: none
  private Set<String> groups = Set.of();

  SubjectDay() {}

  public static SubjectDay of(
      long events, Map<Interpretation.Skip, Long> skipped, Collection<String> groups) {
    SubjectDay d = new SubjectDay();
    d.events = events;
    if (!skipped.isEmpty()) {
      d.skipped = new EnumMap<>(skipped);
    }
    d.groups = sorted(groups);
    return d;
  }

  /** {@code groups} itself when it is a sorted, unmodifiable set already (an interned one). */
  private static Set<String> sorted(Collection<String> groups) {
    if (groups.isEmpty()) {
      return Set.of();
    }
    return Collections.unmodifiableSortedSet(new TreeSet<>(groups));
  }

  /** A day read back whose group set is {@code groups} itself (sorted, unmodifiable, shared). */
  static SubjectDay read(long events, Map<Interpretation.Skip, Long> skipped, Set<String> groups) {
    SubjectDay d = new SubjectDay();
    d.events = events;
    if (!skipped.isEmpty()) {
      d.skipped = new EnumMap<>(skipped);
    }
    d.groups = groups;
    return d;
  }

  void add(Interpretation.Skip skip, Collection<String> eventGroups, Interner interner) {
    events++;
    if (skip != Interpretation.Skip.NONE) {
      if (skipped == null) {
        skipped = new EnumMap<>(Interpretation.Skip.class);
      }
      skipped.merge(skip, 1L, Long::sum);
    }
    if (!groups.containsAll(eventGroups)) {
      TreeSet<String> union = new TreeSet<>(groups);
      union.addAll(eventGroups);
      groups = interner.set(union);
    }
  }

  void merge(SubjectDay o) {
    events += o.events;
    if (o.skipped != null) {
      if (skipped == null) {
        skipped = new EnumMap<>(Interpretation.Skip.class);
      }
      o.skipped.forEach((k, v) -> skipped.merge(k, v, Long::sum));
    }
    if (groups.isEmpty()) {
      groups = o.groups;
    } else if (!groups.containsAll(o.groups)) {
      TreeSet<String> union = new TreeSet<>(groups);
      union.addAll(o.groups);
      groups = Collections.unmodifiableSortedSet(union);
    }
  }

  SubjectDay copy() {
    SubjectDay d = new SubjectDay();
    d.merge(this);
    return d;
  }

  public long events() {
    return events;
  }

  public Map<Interpretation.Skip, Long> skipped() {
    return skipped == null ? Map.of() : Collections.unmodifiableMap(skipped);
  }

  /** Every group the subject was seen with that day (the union), sorted. */
  public Set<String> groups() {
    return groups;
  }
}
