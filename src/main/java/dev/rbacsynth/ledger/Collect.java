package dev.rbacsynth.ledger;

import dev.rbacsynth.aggregate.ObservedUsage;
import dev.rbacsynth.kube.Subject;
import dev.rbacsynth.pipeline.UsageReader;
import dev.rbacsynth.read.InputResolver;
import dev.rbacsynth.read.InputSource;
import dev.rbacsynth.read.ReadStats;
import dev.rbacsynth.read.ReceivedCut;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Reading usage from audit logs and ledgers together: {@code collect} (with the source registry, so
 * each file's bytes are read once over repeated runs) and the {@code --usage}/{@code --since}
 * reading of {@code generate} and {@code diff}.
 */
public final class Collect {
  private Collect() {}

  /**
   * The scope of the ledger {@code collect} writes, and its {@code --usage} ledgers narrowed to it.
   *
   * @param scope what the written ledger holds
   * @param ledgers the ledgers, each narrowed to {@code scope}, in the order given
   * @param inheritedFrom the ledger whose scope was taken (no flag gave one), or null
   */
  public record Scoped(Scope scope, List<Ledger> ledgers, String inheritedFrom) {}

  /**
   * A ledger holds one scope ({@link Scope}): the one that {@code collect}'s subject flag and
   * {@code -n} give, else the one its {@code --usage} ledgers share, so that an hourly collect into
   * a ledger of one service account goes on collecting that one. Every ledger must hold all of that
   * scope: one of a wider scope is narrowed where that is exact ({@link Ledger#narrowedTo}); one of
   * a narrower scope, or of another, is refused: merged, it would pass for evidence it does not
   * hold.
   *
   * @param flags the scope of collect's flags ({@link Scope#ALL} when none was given)
   * @param names the ledgers' file names, for messages
   * @param ledgers the ledgers read, in the same order
   * @throws LedgerException naming the ledger that cannot go into the one written
   */
  public static Scoped scoped(Scope flags, List<String> names, List<Ledger> ledgers) {
    Scope scope = flags;
    String inheritedFrom = null;
    if (flags.isAll() && !ledgers.isEmpty()) {
      scope = ledgers.get(0).observation().scope();
      for (int i = 1; i < ledgers.size(); i++) {
        Scope other = ledgers.get(i).observation().scope();
        if (!other.equals(scope)) {
          throw new LedgerException(
              names.get(0)
                  + " holds "
                  + scope.describe()
                  + " but "
                  + names.get(i)
                  + " holds "
                  + other.describe()
                  + ": give the scope of the merged ledger with collect's flags (--user,"
                  + " --serviceaccount, --group, -n)");
        }
      }
      inheritedFrom = scope.isAll() ? null : names.get(0);
    }
    List<Ledger> narrowed = new ArrayList<>(ledgers.size());
    for (int i = 0; i < ledgers.size(); i++) {
      Ledger l = ledgers.get(i);
      Scope own = l.observation().scope();
      if (!own.contains(scope)) {
        throw new LedgerException(
            names.get(i)
                + ": the ledger holds "
                + own.describe()
                + " (collected with "
                + own.flags()
                + "), not all that "
                + scope.flags()
                + " asks for: collect into a ledger of its own scope, or collect the logs again");
      }
      Ledger n = l.narrowedTo(scope);
      if (n == null) {
        throw new LedgerException(
            names.get(i)
                + ": a ledger of "
                + own.describe()
                + " cannot be narrowed to "
                + scope.flags()
                + " exactly (only to one user or service account): collect the logs with "
                + scope.flags());
      }
      narrowed.add(n);
    }
    return new Scoped(scope, narrowed, inheritedFrom);
  }

  /**
   * What was read: the ledger, and the log reading's statistics when logs were read.
   *
   * @param cutFiles files read only up to their first line received at or after {@code --until}
   *     (and recorded so: a later collect reads on from there)
   * @param afterUntil records read and dropped because they were received at or after {@code
   *     --until} (from inputs that could not be cut: standard input, or lines whose time is not
   *     readable from their bytes)
   */
  public record Result(Ledger ledger, UsageReader.Result read, int cutFiles, long afterUntil) {
    public Result(Ledger ledger, UsageReader.Result read) {
      this(ledger, read, 0, 0);
    }
  }

  /**
   * The ledgers (each windowed) merged with what the logs add. The ledgers are taken over ({@link
   * Ledger#mergeTaking}): the caller does not use them afterwards.
   *
   * @param files {@code -f} arguments (may be empty)
   * @param ledgerFiles the run's usage ledgers ({@code --usage}, {@code collect}'s output): where a
   *     {@code -f} directory holds one (a ledger kept next to the logs it is collected from), it is
   *     not read as a log
   * @param reader configures the reader ({@code --strict}, messages, progress)
   * @param subject only this subject's usage from the logs (null: every user and service account)
   * @param registerSources keep a registry of the files read and read only their new lines
   */
  public static Result collect(
      List<String> files,
      List<Path> ledgerFiles,
      InputStream stdin,
      List<Ledger> ledgers,
      Instant since,
      Instant until,
      String cluster,
      String namespace,
      Subject subject,
      boolean registerSources,
      UnaryOperator<UsageReader> reader) {
    // one merge of all, taking the ledgers just read over (merging one by one copied what was
    // merged so far at every step)
    Ledger known = Ledger.mergeTaking(ledgers.stream().map(l -> l.window(since, until)).toList());
    if (files.isEmpty()) {
      return new Result(known, null);
    }
    LedgerCollector collector =
        new LedgerCollector()
            .cluster(cluster)
            .namespace(namespace)
            .subject(subject)
            .window(since, until)
            .knownOpen(known.pending().keySet());
    List<InputSource> sources = new InputResolver(stdin).resolve(files, ledgerFiles);
    List<InputSource> toRead = new ArrayList<>();
    int cutFiles = 0;
    Map<String, Source> registered = new LinkedHashMap<>();
    Map<String, InputSource.WholeLinesSource> gzipped = new HashMap<>();
    if (registerSources) {
      Map<String, Source> registry = known.observation().sourcesByFingerprint();
      for (InputSource s : sources) {
        if (!(s instanceof InputSource.FileSource f)) {
          toRead.add(s);
          continue;
        }
        Part p = part(f.path(), registry);
        if (p == null || (!p.gzip && p.end <= p.start)) {
          continue; // empty, or nothing new
        }
        if (until != null) {
          // only up to the first line past the window: the rest stays unread for a later run
          long cut = cut(f.path(), p.start, until);
          if (cut >= 0 && (p.gzip || cut < p.end)) {
            cutFiles++;
            if (cut == p.start) {
              continue; // nothing before the window's end
            }
            p = new Part(p.fingerprint, p.fingerprintBytes, p.start, cut, p.size, p.gzip);
          }
        }
        if (p.gzip) {
          // inflated once: the end of its last whole line is known once it is read
          InputSource.WholeLinesSource w =
              new InputSource.WholeLinesSource(
                  f.path(), p.start, p.end < 0 ? Long.MAX_VALUE : p.end - p.start);
          gzipped.put(f.name(), w);
          toRead.add(w);
        } else {
          toRead.add(
              p.start == 0 && p.end == p.size
                  ? f
                  : new InputSource.SliceSource(f.path(), p.start, p.end));
        }
        registered.put(
            f.name(),
            new Source(
                p.fingerprint,
                p.fingerprintBytes,
                f.path().getFileName().toString(),
                List.of(new Source.Range(p.start, Math.max(p.start, p.end))),
                0));
      }
    } else {
      toRead.addAll(sources);
    }
    UsageReader.Result read = reader.apply(UsageReader.ofSources(toRead)).readInto(collector);
    collector.badRecordsAtLeast(read.problems());
    Map<String, Long> bySource = collector.recordsBySource();
    for (Map.Entry<String, Source> e : registered.entrySet()) {
      Source s = e.getValue();
      List<Source.Range> ranges = s.ranges();
      InputSource.WholeLinesSource w = gzipped.get(e.getKey());
      if (w != null) {
        if (w.end() <= w.start()) {
          continue; // nothing new
        }
        ranges = List.of(new Source.Range(w.start(), w.end()));
      }
      collector.source(
          new Source(
              s.fingerprint(),
              s.fingerprintBytes(),
              s.name(),
              ranges,
              bySource.getOrDefault(e.getKey(), 0L)));
    }
    return new Result(known.merge(collector.finish()), read, cutFiles, collector.afterUntil());
  }

  private static long cut(Path path, long start, Instant until) {
    try {
      return ReceivedCut.find(path, start, until);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  /** The usage of each subject, read as {@code generate} reads it. */
  public static UsageReader.Result usages(
      Result r, List<Subject> subjects, String namespace, Duration elapsed) {
    Map<Subject, ObservedUsage> usages = new LinkedHashMap<>();
    for (Subject s : subjects) {
      usages.put(s, r.ledger().usage(s, namespace));
    }
    return result(r, usages, elapsed);
  }

  private static UsageReader.Result result(
      Result r, Map<Subject, ObservedUsage> usages, Duration elapsed) {
    // what was watched is what the ledger holds: the logs just read and the ledgers given.
    // Qualified on purpose: this package has an Observation of its own (the ledger's record).
    dev.rbacsynth.aggregate.Observation watched = r.ledger().observation().watched();
    // the unusable records are the ones the ledgers counted when they were collected and the
    // ones of the logs just read (already counted into the ledger)
    long bad = r.ledger().observation().badRecords();
    if (r.read() != null) {
      UsageReader.Result x = r.read();
      return new UsageReader.Result(
          usages, x.stats(), Math.max(bad, x.problems()), x.formats(), elapsed, watched);
    }
    return new UsageReader.Result(usages, new ReadStats(), bad, Map.of(), elapsed, watched);
  }

  /** The usage of every user and service account, sorted by kind and name. */
  public static UsageReader.Result usagesOfAll(Result r, String namespace, Duration elapsed) {
    return result(r, r.ledger().usages(namespace), elapsed);
  }

  private record Part(
      String fingerprint, int fingerprintBytes, long start, long end, long size, boolean gzip) {}

  /**
   * Fingerprint, where to resume and where the last whole line ends (for a gzipped file -1: found
   * while it is read).
   */
  private static Part part(Path path, Map<String, Source> registry) {
    try {
      boolean gzip;
      byte[] head;
      try (InputStream raw = Files.newInputStream(path)) {
        byte[] magic = raw.readNBytes(2);
        gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
      }
      try (InputStream in = InputSource.Content.open(path)) {
        head = in.readNBytes(Source.FINGERPRINT_BYTES);
      }
      if (head.length == 0) {
        return null;
      }
      String fingerprint = null;
      int fpBytes = head.length;
      long start = 0;
      for (Source s : registry.values()) {
        if (s.fingerprintBytes() <= head.length
            && s.fingerprint().equals(sha256(head, s.fingerprintBytes()))) {
          fingerprint = s.fingerprint();
          fpBytes = s.fingerprintBytes();
          start = s.resumeOffset();
          break;
        }
      }
      if (fingerprint == null) {
        fingerprint = sha256(head, head.length);
      }
      if (gzip) {
        // its content's size and last line end are found while it is read (inflated once)
        return new Part(fingerprint, fpBytes, start, -1, -1, true);
      }
      long size = Files.size(path);
      return new Part(fingerprint, fpBytes, start, lastLineEnd(path, size), size, false);
    } catch (IOException e) {
      throw new UncheckedIOException(path + ": " + e.getMessage(), e);
    }
  }

  private static long lastLineEnd(Path path, long size) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(1 << 16);
      long pos = size;
      while (pos > 0) {
        int n = (int) Math.min(buf.capacity(), pos);
        buf.clear().limit(n);
        ch.read(buf, pos - n);
        for (int i = n - 1; i >= 0; i--) {
          if (buf.get(i) == '\n') {
            return pos - n + i + 1;
          }
        }
        pos -= n;
      }
      return 0;
    }
  }

  private static String sha256(byte[] b, int n) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(b, 0, n);
      return "sha256:" + HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
