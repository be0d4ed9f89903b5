package dev.rbacsynth.read;

/**
 * A cheap, exact necessary condition on the raw bytes of one JSON line: if it returns false, no event in the line
 * can concern the subject, so the line need not be parsed. It must never return false for a line that a full parse
 * would select.
 */
@FunctionalInterface
public interface LinePrefilter {

  LinePrefilter ALL = (buf, from, to) -> true;

  boolean mightMatch(byte[] buf, int from, int to);
}
