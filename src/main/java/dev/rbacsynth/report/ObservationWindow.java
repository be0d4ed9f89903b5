package dev.rbacsynth.report;

import dev.rbacsynth.aggregate.Observation;
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
    observation
        .clusters()
        .forEach((name, o) -> s.append("; cluster ").append(name).append(": ").append(span(o)));
    return s.toString();
  }

  private static String span(Observation o) {
    if (!o.known()) {
      return "no event time known, " + o.events() + " audit event(s)";
    }
    return o.from()
        + " to "
        + o.to()
        + " ("
        + human(o.length())
        + "), "
        + o.events()
        + " audit event(s)";
  }

  /** True when the window is shorter than the minimum (or unknown). */
  public boolean isShort() {
    return !observation.known() || observation.length().compareTo(minimum) < 0;
  }

  /** The warning for a short window, or "" when the window is long enough. */
  public String warning() {
    if (!isShort()) {
      return "";
    }
    String length =
        observation.known()
            ? "only " + human(observation.length())
            : "unknown (no event carried a time)";
    return "the observation window is "
        + length
        + ", under --min-window "
        + human(minimum)
        + ": unused findings and generated roles may miss rare requests (leader elections, "
        + "CronJobs, failovers, monthly jobs); observe longer before removing grants";
  }

  /**
   * {@code the 4-minute window (2017-09-11T19:55:05Z to 2017-09-11T20:27:52Z)}: the phrase with the
   * window's bounds, for messages read on their own (SARIF, GitHub annotations).
   */
  public String phraseWithBounds() {
    return observation.known()
        ? phrase() + " (" + observation.from() + " to " + observation.to() + ")"
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
   * The observation for the JSON reports: {@code {from, to, seconds, events, clusters, warning}}.
   */
  public Map<String, Object> json() {
    Map<String, Object> m = json(observation);
    Map<String, Object> clusters = new LinkedHashMap<>();
    observation.clusters().forEach((name, o) -> clusters.put(name, json(o)));
    m.put("clusters", clusters);
    m.put("minWindowSeconds", minimum.getSeconds());
    m.put("warning", warning());
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

  private static String time(Instant t) {
    return t == null ? null : t.toString();
  }
}
