package dev.rbacsynth.report;

import dev.rbacsynth.aggregate.Observation;
import dev.rbacsynth.ledger.Scope;
import dev.rbacsynth.read.Timestamps;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The observation window as every output words it: the header line (from when to when, how many
 * events, per cluster when known), the phrase "the 4-minute window" that qualifies "not used", and
 * the warning when the window is shorter than {@code --min-window}.
 *
 * @param observation what was watched (the whole input, not only the subject)
 * @param minimum below this length the warning is given ({@code --min-window}, default 7 days)
 */
public record ObservationWindow(Observation observation, Duration minimum) {

  /** {@code --min-window}'s default. */
  public static final Duration DEFAULT_MINIMUM = Duration.ofDays(7);

  /**
   * {@code 2023-01-27T18:27:12Z to 2023-01-27T18:31:09Z (3m57s), 4312 audit event(s)}, with {@code
   * ; cluster a: ..., cluster b: ...} when clusters are known.
   */
  public String header() {
    StringBuilder s = new StringBuilder(span(observation));
    if (observation.daysWithoutEvents() > 0) {
      s.append(" on ")
          .append(observation.days().size())
          .append(" of ")
          .append(observation.spanDays())
          .append(" UTC days");
    }
    observation
        .clusters()
        .forEach((name, o) -> s.append("; cluster ").append(name).append(": ").append(span(o)));
    if (!observation.scope().isEmpty()) {
      Scope scope = Scope.of(observation.scope());
      s.append("; collected with ").append(scope.flags()).append(": ").append(scope.describe());
    }
    return s.toString();
  }

  private static String span(Observation o) {
    if (!o.known()) {
      return "no event time known, " + o.events() + " audit event(s)";
    }
    return time(o.from())
        + " to "
        + time(o.to())
        + " ("
        + human(o.length())
        + "), "
        + o.events()
        + " audit event(s)";
  }

  /**
   * True when the window is shorter than the minimum (or unknown), when its days with events add up
   * to less (a ledger merged from logs of distant weeks, or collected with a gap), or when one
   * cluster's window is shorter.
   */
  public boolean isShort() {
    return !shortfalls().isEmpty();
  }

  /** The warning for a short window, or "" when the window is long enough. */
  public String warning() {
    List<String> shortfalls = shortfalls();
    if (shortfalls.isEmpty()) {
      return "";
    }
    return String.join("; ", shortfalls)
        + ", under --min-window "
        + human(minimum)
        + ": unused findings and generated roles may miss rare requests (leader elections, "
        + "CronJobs, failovers, monthly jobs); observe longer before removing grants";
  }

  /** What makes the window short, each in a few words; empty when it is long enough. */
  private List<String> shortfalls() {
    List<String> out = new ArrayList<>();
    if (!observation.known()) {
      out.add("the observation window is unknown (no event carried a time)");
      return out;
    }
    if (observation.length().compareTo(minimum) < 0) {
      out.add("the observation window is only " + human(observation.length()));
      return out;
    }
    long withEvents = observation.days().size();
    if (observation.daysWithoutEvents() > 0 && Duration.ofDays(withEvents).compareTo(minimum) < 0) {
      out.add(
          "the audit events fall on only "
              + withEvents
              + " of the window's "
              + observation.spanDays()
              + " UTC days (nothing was collected on the others)");
    }
    observation
        .clusters()
        .forEach(
            (name, o) -> {
              if (o.known() && o.length().compareTo(minimum) < 0) {
                out.add("cluster " + name + " was observed only " + human(o.length()));
              }
            });
    return out;
  }

  /**
   * {@code the 4-minute window (2017-09-11T19:55:05Z to 2017-09-11T20:27:52Z)}: the phrase with the
   * window's bounds, for messages read on their own (SARIF, GitHub annotations).
   */
  public String phraseWithBounds() {
    return observation.known()
        ? phrase() + " (" + time(observation.from()) + " to " + time(observation.to()) + ")"
        : phrase();
  }

  /** {@code the 4-minute window}, {@code the 30-day window}. */
  public String phrase() {
    if (!observation.known()) {
      return "the observed events (their times are unknown)";
    }
    Duration d = observation.length();
    long seconds = d.getSeconds();
    String n;
    if (seconds >= 2 * 86_400) {
      n = seconds / 86_400 + "-day";
    } else if (seconds >= 2 * 3_600) {
      n = seconds / 3_600 + "-hour";
    } else if (seconds >= 120) {
      n = seconds / 60 + "-minute";
    } else {
      n = seconds + "-second";
    }
    return "the " + n + " window";
  }

  /** {@code 3m57s}, {@code 7d}, {@code 1d2h}: the two largest units, as --min-window takes them. */
  public static String human(Duration d) {
    long s = Math.max(0, d.getSeconds());
    if (s == 0 && d.getNano() > 0) {
      return String.format(Locale.ROOT, "%.3fs", d.toNanos() / 1e9);
    }
    Map<String, Long> parts = new LinkedHashMap<>();
    parts.put("d", s / 86_400);
    parts.put("h", s % 86_400 / 3_600);
    parts.put("m", s % 3_600 / 60);
    parts.put("s", s % 60);
    List<String> shown = new ArrayList<>();
    parts.forEach(
        (unit, value) -> {
          if (value > 0 && shown.size() < 2) {
            shown.add(value + unit);
          }
        });
    return shown.isEmpty() ? "0s" : String.join("", shown);
  }

  /**
   * The observation for the JSON reports: {@code {from, to, seconds, events, clusters, warning}},
   * and {@code scope} ({@code {username | group, namespace}}) for a ledger collected for one
   * subject or namespace.
   */
  public Map<String, Object> json() {
    Map<String, Object> m = json(observation);
    Map<String, Object> clusters = new LinkedHashMap<>();
    observation.clusters().forEach((name, o) -> clusters.put(name, json(o)));
    m.put("clusters", clusters);
    m.put("minWindowSeconds", minimum.getSeconds());
    m.put("warning", warning());
    if (!observation.scope().isEmpty()) {
      m.put("scope", new LinkedHashMap<>(observation.scope()));
    }
    return m;
  }

  private static Map<String, Object> json(Observation o) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("from", time(o.from()));
    m.put("to", time(o.to()));
    m.put("seconds", o.length().getSeconds());
    m.put("events", o.events());
    return m;
  }

  /** {@link Instant#toString()}'s text ({@link Timestamps#format}), null for null. */
  public static String time(Instant t) {
    return t == null ? null : Timestamps.format(t);
  }
}
