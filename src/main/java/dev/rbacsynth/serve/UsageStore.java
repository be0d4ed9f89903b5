package dev.rbacsynth.serve;

import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.ledger.Days;
import dev.rbacsynth.ledger.Fragment;
import dev.rbacsynth.ledger.Ledger;
import dev.rbacsynth.ledger.LedgerCollector;
import dev.rbacsynth.ledger.LedgerJson;
import dev.rbacsynth.ledger.Observation;
import dev.rbacsynth.ledger.SubjectUsage;
import dev.rbacsynth.read.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * serve's state: the usage ledger as rows in SQLite ({@code usage.db} in the state directory,
 * created 0700).
 *
 * <p>Durability: WAL journal, {@code synchronous=FULL} (each commit is fsync'd before {@link
 * #apply} returns), one transaction per batch, so a batch is stored all or nothing and the caller
 * acknowledges it only after the commit.
 *
 * <p>What a batch adds is computed by the ledger itself ({@link LedgerCollector}: stage merging,
 * subject interpretation, as {@code collect}); the store keeps the result as rows, one per subject,
 * request (or the subject's own day row) and UTC day, each holding the ledger's row document,
 * merged on upsert by {@link Ledger#merge} (counts summed per outcome, first/last, groups, samples:
 * the ledger's rules, not a second copy of them). Requests whose stages straddle batches are the
 * ledger's fragments, kept by audit ID until their other stages arrive.
 *
 * <p>Resends: a record whose (audit ID, stage) was stored in the last {@code retention} is dropped
 * before the ledger sees it, so a batch resent after a crash between commit and answer counts once.
 * Events without an audit ID cannot be recognised when resent.
 */
public final class UsageStore implements AutoCloseable {
  static final int SCHEMA_VERSION = 1;
  private static final String SUBJECT_ROW = "";

  private final Path file;
  private final Connection write;
  private final Connection read;
  private final Duration retention;
  private final Clock clock;
  private long lastSweep = Long.MIN_VALUE;
  private volatile boolean closed;

  /** What one batch did: records given to the ledger, records dropped as resent. */
  public record Applied(long absorbed, long duplicates) {}

  public UsageStore(Path stateDir, Duration retention, Clock clock) throws SQLException {
    this.retention = retention;
    this.clock = clock;
    createPrivateDirectory(stateDir);
    this.file = stateDir.resolve("usage.db");
    String url = "jdbc:sqlite:" + file.toAbsolutePath();
    this.write = DriverManager.getConnection(url);
    try (Statement s = write.createStatement()) {
      s.execute("PRAGMA journal_mode=WAL");
      s.execute("PRAGMA synchronous=FULL");
      s.execute("PRAGMA busy_timeout=5000");
      createSchema(s);
    }
    this.read = DriverManager.getConnection(url);
    try (Statement s = read.createStatement()) {
      s.execute("PRAGMA busy_timeout=5000");
      s.execute("PRAGMA query_only=ON");
    }
    restrict(file);
  }

  static void createPrivateDirectory(Path dir) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot create the state directory: " + e, e);
    }
  }

  private static void restrict(Path file) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (IOException | UnsupportedOperationException e) {
      // the directory's 0700 already keeps others out
    }
  }

  private static void createSchema(Statement s) throws SQLException {
    s.execute("CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('schema', '" + SCHEMA_VERSION + "')");
    try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key='schema'")) {
      rs.next();
      if (!rs.getString(1).equals(String.valueOf(SCHEMA_VERSION))) {
        throw new SQLException(
            "state database has schema "
                + rs.getString(1)
                + ", this version reads "
                + SCHEMA_VERSION);
      }
    }
    // one row per (subject, request, UTC day); request "" is the subject's own day row
    s.execute(
        "CREATE TABLE IF NOT EXISTS usage(username TEXT NOT NULL, request TEXT NOT NULL,"
            + " day INTEGER NOT NULL, doc TEXT NOT NULL, PRIMARY KEY(username, request, day))"
            + " WITHOUT ROWID");
    s.execute("CREATE INDEX IF NOT EXISTS usage_day ON usage(day)");
    s.execute("CREATE TABLE IF NOT EXISTS fragments(audit_id TEXT PRIMARY KEY, doc TEXT NOT NULL)");
    // (audit ID, stage) stored; seq grows with time (AUTOINCREMENT never reuses one) and marks say
    // which seq each minute ended at, so expiry deletes a seq range
    s.execute(
        "CREATE TABLE IF NOT EXISTS seen(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " record TEXT NOT NULL UNIQUE)");
    s.execute("CREATE TABLE IF NOT EXISTS seen_marks(minute INTEGER PRIMARY KEY, seq INTEGER)");
  }

  /**
   * Applies one batch in one transaction. Returns only after the commit is on disk.
   *
   * @param badItems items of the batch that were not usable Events (counted as bad records)
   * @throws SQLException when the store cannot write (the batch left no trace)
   */
  public synchronized Applied apply(List<AuditEvent> events, long badItems, String cluster)
      throws SQLException {
    if (closed) {
      throw new SQLException("the store is closed");
    }
    long now = clock.millis();
    begin();
    try {
      LedgerCollector collector = new LedgerCollector().cluster(cluster);
      long duplicates = 0;
      long absorbed = 0;
      Set<String> inBatch = new HashSet<>();
      try (PreparedStatement seen = write.prepareStatement("SELECT 1 FROM seen WHERE record=?");
          PreparedStatement remember =
              write.prepareStatement("INSERT INTO seen(record) VALUES(?)")) {
        SourceLocation where = new SourceLocation("POST /audit", 0);
        for (AuditEvent e : events) {
          if (!e.auditID().isEmpty()) {
            String record = e.auditID() + "/" + e.stage().wireName();
            if (!inBatch.add(record)) {
              duplicates++;
              continue;
            }
            seen.setString(1, record);
            try (ResultSet rs = seen.executeQuery()) {
              if (rs.next()) {
                duplicates++;
                continue;
              }
            }
            remember.setString(1, record);
            remember.addBatch();
          }
          collector.event(e, where);
          absorbed++;
        }
        remember.executeBatch();
      }
      for (long i = 0; i < badItems; i++) {
        collector.badRecord();
      }
      Ledger delta = collector.finish();
      List<SubjectUsage> rows = new ArrayList<>(delta.subjects().values());
      if (!delta.pending().isEmpty()) {
        rows.addAll(fold(delta.pending().values()));
      }
      for (SubjectUsage u : rows) {
        upsertRows(u);
      }
      if (absorbed > 0 || badItems > 0) {
        mergeObservation(delta.observation());
      }
      markAndSweep(now);
      commit();
      return new Applied(absorbed, duplicates);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      throw e;
    }
  }

  /**
   * The batch's fragments with the stored ones of the same requests, combined by the ledger: what
   * became complete is returned as rows, what is still open is stored.
   */
  private List<SubjectUsage> fold(Collection<Fragment> fresh) throws SQLException {
    List<Fragment> all = new ArrayList<>(fresh);
    List<String> stored = new ArrayList<>();
    try (PreparedStatement q =
        write.prepareStatement("SELECT doc FROM fragments WHERE audit_id=?")) {
      for (Fragment f : fresh) {
        q.setString(1, f.auditID());
        try (ResultSet rs = q.executeQuery()) {
          if (rs.next()) {
            stored.add(f.auditID());
            all.addAll(LedgerJson.fromJson(rs.getString(1), "fragment").pending().values());
          }
        }
      }
    }
    Ledger folded = Ledger.of(Observation.EMPTY, List.of(), all);
    try (PreparedStatement del = write.prepareStatement("DELETE FROM fragments WHERE audit_id=?");
        PreparedStatement put =
            write.prepareStatement("INSERT OR REPLACE INTO fragments(audit_id, doc) VALUES(?,?)")) {
      for (String id : stored) {
        if (!folded.pending().containsKey(id)) {
          del.setString(1, id);
          del.addBatch();
        }
      }
      for (Fragment f : folded.pending().values()) {
        put.setString(1, f.auditID());
        put.setString(2, LedgerJson.toJson(Ledger.of(Observation.EMPTY, List.of(), List.of(f))));
        put.addBatch();
      }
      del.executeBatch();
      put.executeBatch();
    }
    return new ArrayList<>(folded.subjects().values());
  }

  /** Splits a subject's usage into (request, day) rows and merges each into its stored row. */
  private void upsertRows(SubjectUsage u) throws SQLException {
    try (PreparedStatement get =
            write.prepareStatement(
                "SELECT doc FROM usage WHERE username=? AND request=? AND day=?");
        PreparedStatement put =
            write.prepareStatement(
                "INSERT OR REPLACE INTO usage(username, request, day, doc) VALUES(?,?,?,?)")) {
      for (var day : u.days().entrySet()) {
        SubjectUsage row = new SubjectUsage(u.username());
        row.put(day.getKey(), day.getValue());
        upsert(get, put, u.username(), SUBJECT_ROW, day.getKey(), row);
      }
      for (var request : u.requests().entrySet()) {
        String key = request.getKey().toString();
        for (long day : request.getValue().dayNumbers()) {
          // one slice per day: the slices of a row merge back into the row
          SubjectUsage row = new SubjectUsage(u.username());
          row.put(request.getKey(), request.getValue().slice(d -> d == day));
          upsert(get, put, u.username(), key, day, row);
        }
      }
      put.executeBatch();
    }
  }

  private static void upsert(
      PreparedStatement get,
      PreparedStatement put,
      String username,
      String request,
      long day,
      SubjectUsage row)
      throws SQLException {
    Ledger ledger = Ledger.of(Observation.EMPTY, List.of(row), List.of());
    get.setString(1, username);
    get.setString(2, request);
    get.setLong(3, day);
    try (ResultSet rs = get.executeQuery()) {
      if (rs.next()) {
        ledger = LedgerJson.fromJson(rs.getString(1), "row").merge(ledger);
      }
    }
    put.setString(1, username);
    put.setString(2, request);
    put.setLong(3, day);
    put.setString(4, LedgerJson.toJson(ledger));
    put.executeUpdate();
  }

  private void mergeObservation(Observation delta) throws SQLException {
    Ledger merged = Ledger.of(delta, List.of(), List.of());
    try (Statement s = write.createStatement();
        ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key='observation'")) {
      if (rs.next()) {
        merged = LedgerJson.fromJson(rs.getString(1), "observation").merge(merged);
      }
    }
    try (PreparedStatement put =
        write.prepareStatement(
            "INSERT OR REPLACE INTO meta(key, value) VALUES('observation', ?)")) {
      put.setString(1, LedgerJson.toJson(merged));
      put.executeUpdate();
    }
  }

  // Transactions are explicit statements (the connection stays in auto-commit mode): after SQLite
  // itself rolled back a failed transaction (a full disk), the driver's own bookkeeping would be
  // out
  // of step, while a ROLLBACK that finds no transaction is simply ignored here.
  private void begin() throws SQLException {
    try (Statement s = write.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
    }
  }

  private void commit() throws SQLException {
    try (Statement s = write.createStatement()) {
      s.execute("COMMIT");
    }
  }

  private void rollbackQuietly() {
    try (Statement s = write.createStatement()) {
      s.execute("ROLLBACK");
    } catch (SQLException ignored) {
      // no transaction left to roll back
    }
  }

  /** Once a minute: notes where the list of stored records stands, forgets the expired ones. */
  private void markAndSweep(long now) throws SQLException {
    long minute = now / 60_000;
    if (minute == lastSweep) {
      return;
    }
    lastSweep = minute;
    try (Statement s = write.createStatement()) {
      s.executeUpdate(
          "INSERT OR REPLACE INTO seen_marks(minute, seq) SELECT "
              + minute
              + ", coalesce(max(seq), 0) FROM seen");
      long cutoffMinute = (now - retention.toMillis()) / 60_000;
      try (ResultSet rs =
          s.executeQuery("SELECT max(seq) FROM seen_marks WHERE minute <= " + cutoffMinute)) {
        if (rs.next() && rs.getObject(1) != null) {
          s.executeUpdate("DELETE FROM seen WHERE seq <= " + rs.getLong(1));
        }
      }
      s.executeUpdate("DELETE FROM seen_marks WHERE minute < " + cutoffMinute);
    }
  }

  /**
   * The stored usage as a ledger (open fragments included, as {@code collect} keeps them), only the
   * UTC days from {@code since} on when it is not null.
   */
  public Ledger ledger(Instant since) throws SQLException {
    List<SubjectUsage> rows = new ArrayList<>();
    List<Fragment> fragments = new ArrayList<>();
    Observation observation = Observation.EMPTY;
    synchronized (read) {
      read.setAutoCommit(false); // one snapshot for all queries
      try {
        try (Statement s = read.createStatement();
            ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key='observation'")) {
          if (rs.next()) {
            observation = LedgerJson.fromJson(rs.getString(1), "observation").observation();
          }
        }
        try (PreparedStatement q =
            read.prepareStatement("SELECT doc FROM usage WHERE day >= ? OR ? = 0")) {
          q.setLong(1, since == null ? Long.MIN_VALUE : Days.of(since));
          q.setInt(2, since == null ? 0 : 1);
          try (ResultSet rs = q.executeQuery()) {
            while (rs.next()) {
              rows.addAll(LedgerJson.fromJson(rs.getString(1), "row").subjects().values());
            }
          }
        }
        try (Statement s = read.createStatement();
            ResultSet rs = s.executeQuery("SELECT doc FROM fragments")) {
          while (rs.next()) {
            fragments.addAll(LedgerJson.fromJson(rs.getString(1), "fragment").pending().values());
          }
        }
      } finally {
        read.commit();
        read.setAutoCommit(true);
      }
    }
    Ledger ledger = Ledger.of(observation, rows, fragments);
    return since == null ? ledger : ledger.window(since, null);
  }

  /** Store figures for /metrics. */
  public record Figures(long fileBytes, long subjects, long requests, long pending) {}

  public Figures figures() throws SQLException {
    long bytes = size(file) + size(Path.of(file + "-wal")) + size(Path.of(file + "-shm"));
    synchronized (read) {
      try (Statement s = read.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT count(DISTINCT username) FROM usage),"
                      + " (SELECT count(*) FROM (SELECT DISTINCT username, request FROM usage"
                      + " WHERE request <> '')), (SELECT count(*) FROM fragments)")) {
        rs.next();
        return new Figures(bytes, rs.getLong(1), rs.getLong(2), rs.getLong(3));
      }
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  /** Pages in the database file (tests fill the "disk" with {@link #limitPages}). */
  synchronized long pageCount() throws SQLException {
    try (Statement s = write.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA page_count")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** How long a write waits for another holder of the database lock before failing. */
  synchronized void busyTimeout(int millis) throws SQLException {
    try (Statement s = write.createStatement()) {
      s.execute("PRAGMA busy_timeout=" + millis);
    }
  }

  /** Caps the database at {@code pages} pages: past it, writes fail as on a full disk. */
  synchronized void limitPages(long pages) throws SQLException {
    try (Statement s = write.createStatement()) {
      s.execute("PRAGMA max_page_count=" + pages);
    }
  }

  /** True when a trivial write transaction commits (for /readyz). */
  public boolean writable() {
    if (closed) {
      return false;
    }
    synchronized (this) {
      try (Statement s = write.createStatement()) {
        begin();
        s.executeUpdate("UPDATE meta SET value=value WHERE key='schema'");
        commit();
        return true;
      } catch (SQLException e) {
        rollbackQuietly();
        return false;
      }
    }
  }

  @Override
  public synchronized void close() throws SQLException {
    if (closed) {
      return;
    }
    closed = true;
    try (Statement s = write.createStatement()) {
      s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
    } finally {
      synchronized (read) {
        read.close();
      }
      write.close();
    }
  }
}
