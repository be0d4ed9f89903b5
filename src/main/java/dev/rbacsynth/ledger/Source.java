package dev.rbacsynth.ledger;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One input file the ledger has read, known by the fingerprint of its content (so a renamed or
 * gzipped file is still known), with the byte ranges of its decompressed content that were read
 * (whole lines only) and the records they held.
 *
 * @param fingerprint {@code sha256:} of the first {@code fingerprintBytes} decompressed bytes
 * @param fingerprintBytes how many bytes the fingerprint covers (fewer than {@link
 *     #FINGERPRINT_BYTES} while the file was shorter)
 * @param name the file's name when it was read (informative; the smallest one is kept)
 * @param ranges sorted, disjoint, not adjacent {@code [start, end)} byte ranges
 */
public record Source(
    String fingerprint, int fingerprintBytes, String name, List<Range> ranges, long events) {
  /** Bytes hashed into a fingerprint, as log shippers do (Filebeat's default is 1024). */
  public static final int FINGERPRINT_BYTES = 1024;

  public Source {
    ranges = normalize(ranges);
  }

  /** A byte range {@code [start, end)} of the decompressed content. */
  public record Range(long start, long end) {
    public Range {
      if (start < 0 || end < start) {
        throw new IllegalArgumentException("bad range [" + start + ", " + end + ")");
      }
    }

    boolean overlaps(Range o) {
      return start < o.end && o.start < end;
    }

    boolean contains(Range o) {
      return start <= o.start && o.end <= end;
    }
  }

  /** Where reading resumes: the end of the range that starts at 0, or 0. */
  public long resumeOffset() {
    return !ranges.isEmpty() && ranges.get(0).start() == 0 ? ranges.get(0).end() : 0;
  }

  boolean contains(Source o) {
    return o.ranges.stream().allMatch(r -> ranges.stream().anyMatch(mine -> mine.contains(r)));
  }

  boolean overlaps(Source o) {
    return o.ranges.stream().anyMatch(r -> ranges.stream().anyMatch(mine -> mine.overlaps(r)));
  }

  Source plus(Source o) {
    List<Range> all = new ArrayList<>(ranges);
    all.addAll(o.ranges);
    String n = name.compareTo(o.name) <= 0 ? name : o.name;
    return new Source(
        fingerprint, Math.max(fingerprintBytes, o.fingerprintBytes), n, all, events + o.events);
  }

  private static List<Range> normalize(List<Range> in) {
    List<Range> sorted = new ArrayList<>(in.stream().filter(r -> r.end() > r.start()).toList());
    sorted.sort(Comparator.comparingLong(Range::start).thenComparingLong(Range::end));
    List<Range> out = new ArrayList<>();
    for (Range r : sorted) {
      if (!out.isEmpty() && out.get(out.size() - 1).end() >= r.start()) {
        Range last = out.remove(out.size() - 1);
        out.add(new Range(last.start(), Math.max(last.end(), r.end())));
      } else {
        out.add(r);
      }
    }
    return List.copyOf(out);
  }
}
