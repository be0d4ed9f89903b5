package dev.rbacsynth.serve;

import dev.rbacsynth.event.AuditEvent;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * serve's state: usage rows in SQLite ({@code usage.db} in the state directory, created 0700).
 *
 * <p>Durability: WAL journal, {@code synchronous=FULL} (each commit is fsync'd before {@link
 * #apply} returns), one transaction per batch, so a batch is stored all or nothing and the caller
 * acknowledges it only after the commit.
 *
 * <p>Stages and resends: within a batch and across batches the final stage of a request wins, as
 * the reader's stage merger does for a log. An audit ID whose final stage was counted is remembered
 * for {@code retention}; any stage of it arriving again (a resent batch, a late stage) is dropped.
 * A non-final stage waits in {@code pending} (its usage already computed, so a crash loses
 * nothing); a later, higher stage replaces it, and the ledger view counts what is pending as {@code
 * collect} counts the stages left at the end of its input. Pending stages older than the retention
 * are counted for good. Events without an audit ID cannot be recognised when resent and are counted
 * each time.
 */
public final class UsageStore implements AutoCloseable {
  static final int SCHEMA_VERSION = 1;
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Path file;
  private final Connection write;
  private final Connection read;
  private final UsageCodec codec;
  private final Duration retention;
  private final Clock clock;
  private long lastSweep;
  private volatile boolean closed;

  /** What one batch did. */
  public record Applied(long counted, long pending, long duplicates) {}

  public UsageStore(Path stateDir, UsageCodec codec, Duration retention, Clock clock)
      throws SQLException {
    this.codec = codec;
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
      s.execute("PRAGMA foreign_keys=OFF");
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
    s.execute(
        "CREATE TABLE IF NOT EXISTS subjects(id INTEGER PRIMARY KEY, key TEXT NOT NULL UNIQUE,"
            + " extra TEXT NOT NULL)");
    s.execute(
        "CREATE TABLE IF NOT EXISTS requests(id INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL,"
            + " key TEXT NOT NULL, extra TEXT NOT NULL, UNIQUE(subject_id, key))");
    s.execute(
        "CREATE TABLE IF NOT EXISTS counts(request_id INTEGER NOT NULL, day TEXT NOT NULL,"
            + " outcome TEXT NOT NULL, count INTEGER NOT NULL, first TEXT, last TEXT,"
            + " PRIMARY KEY(request_id, day, outcome)) WITHOUT ROWID");
    s.execute(
        "CREATE TABLE IF NOT EXISTS observation(cluster TEXT PRIMARY KEY, events INTEGER NOT NULL,"
            + " bad INTEGER NOT NULL, first TEXT, last TEXT)");
    // audit IDs whose final stage was counted; rowids grow with time (AUTOINCREMENT never reuses
    // one), and marks say which rowid each minute ended at, so expiry deletes a rowid range
    s.execute(
        "CREATE TABLE IF NOT EXISTS done(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " audit_id TEXT NOT NULL UNIQUE)");
    s.execute("CREATE TABLE IF NOT EXISTS done_marks(minute INTEGER PRIMARY KEY, seq INTEGER)");
    s.execute(
        "CREATE TABLE IF NOT EXISTS pending(audit_id TEXT PRIMARY KEY, rank INTEGER NOT NULL,"
            + " received INTEGER NOT NULL, delta TEXT NOT NULL)");
  }

  /**
   * Applies one batch in one transaction. Returns only after the commit is on disk.
   *
   * @throws SQLException when the store cannot write (the batch left no trace)
   */
  public synchronized Applied apply(List<AuditEvent> events, long badItems, String cluster)
      throws SQLException {
    if (closed) {
      throw new SQLException("the store is closed");
    }
    // the final stage of each request within the batch (the highest rank wins; ties: the first)
    Map<String, AuditEvent> byId = new LinkedHashMap<>();
    List<AuditEvent> withoutId = new ArrayList<>();
    for (AuditEvent e : events) {
      if (e.auditID().isEmpty()) {
        withoutId.add(e);
      } else {
        byId.merge(e.auditID(), e, (a, b) -> b.stage().rank() > a.stage().rank() ? b : a);
      }
    }
    long now = clock.millis();
    begin();
    try {
      List<AuditEvent> finals = new ArrayList<>(withoutId);
      List<AuditEvent> pendings = new ArrayList<>();
      long duplicates = (long) events.size() - byId.size() - withoutId.size();
      try (PreparedStatement isDone =
              write.prepareStatement("SELECT 1 FROM done WHERE audit_id=?");
          PreparedStatement pendingRank =
              write.prepareStatement("SELECT rank FROM pending WHERE audit_id=?")) {
        for (AuditEvent e : byId.values()) {
          isDone.setString(1, e.auditID());
          try (ResultSet rs = isDone.executeQuery()) {
            if (rs.next()) {
              duplicates++;
              continue;
            }
          }
          if (e.stage().isFinal()) {
            finals.add(e);
            continue;
          }
          pendingRank.setString(1, e.auditID());
          try (ResultSet rs = pendingRank.executeQuery()) {
            if (rs.next() && rs.getInt(1) >= e.stage().rank()) {
              duplicates++;
              continue;
            }
          }
          pendings.add(e);
        }
      }
      UsageDelta delta = codec.absorb(finals, badItems, cluster);
      addDelta(delta);
      try (PreparedStatement done = write.prepareStatement("INSERT INTO done(audit_id) VALUES(?)");
          PreparedStatement unpend =
              write.prepareStatement("DELETE FROM pending WHERE audit_id=?")) {
        for (AuditEvent e : finals) {
          if (e.auditID().isEmpty()) {
            continue;
          }
          done.setString(1, e.auditID());
          done.addBatch();
          unpend.setString(1, e.auditID());
          unpend.addBatch();
        }
        done.executeBatch();
        unpend.executeBatch();
      }
      if (!pendings.isEmpty()) {
        try (PreparedStatement pend =
            write.prepareStatement(
                "INSERT INTO pending(audit_id, rank, received, delta) VALUES(?,?,?,?)"
                    + " ON CONFLICT(audit_id) DO UPDATE SET rank=excluded.rank,"
                    + " delta=excluded.delta")) {
          for (AuditEvent e : pendings) {
            pend.setString(1, e.auditID());
            pend.setInt(2, e.stage().rank());
            pend.setLong(3, now);
            pend.setString(4, JSON.writeValueAsString(codec.absorb(List.of(e), 0, cluster)));
            pend.addBatch();
          }
          pend.executeBatch();
        }
      }
      markAndSweep(now);
      commit();
      return new Applied(finals.size(), pendings.size(), duplicates);
    } catch (SQLException | RuntimeException e) {
      rollbackQuietly();
      throw e;
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

  private void addDelta(UsageDelta delta) throws SQLException {
    if (delta.events() > 0 || delta.badRecords() > 0) {
      try (PreparedStatement obs =
          write.prepareStatement(
              "INSERT INTO observation(cluster, events, bad, first, last) VALUES(?,?,?,?,?)"
                  + " ON CONFLICT(cluster) DO UPDATE SET events=events+excluded.events,"
                  + " bad=bad+excluded.bad,"
                  + " first=CASE WHEN first IS NULL OR excluded.first < first THEN excluded.first"
                  + " ELSE first END,"
                  + " last=CASE WHEN last IS NULL OR excluded.last > last THEN excluded.last"
                  + " ELSE last END")) {
        obs.setString(1, delta.cluster());
        obs.setLong(2, delta.events());
        obs.setLong(3, delta.badRecords());
        obs.setString(4, delta.from());
        obs.setString(5, delta.to());
        obs.executeUpdate();
      }
    }
    try (PreparedStatement subjectId =
            write.prepareStatement("SELECT id, extra FROM subjects WHERE key=?");
        PreparedStatement newSubject =
            write.prepareStatement("INSERT INTO subjects(key, extra) VALUES(?,?) RETURNING id");
        PreparedStatement setSubject =
            write.prepareStatement("UPDATE subjects SET extra=? WHERE id=?");
        PreparedStatement requestId =
            write.prepareStatement("SELECT id, extra FROM requests WHERE subject_id=? AND key=?");
        PreparedStatement newRequest =
            write.prepareStatement(
                "INSERT INTO requests(subject_id, key, extra) VALUES(?,?,?) RETURNING id");
        PreparedStatement setRequest =
            write.prepareStatement("UPDATE requests SET extra=? WHERE id=?");
        PreparedStatement count =
            write.prepareStatement(
                "INSERT INTO counts(request_id, day, outcome, count, first, last) VALUES(?,?,?,?,?,?)"
                    + " ON CONFLICT(request_id, day, outcome) DO UPDATE SET"
                    + " count=count+excluded.count,"
                    + " first=CASE WHEN first IS NULL OR excluded.first < first THEN excluded.first"
                    + " ELSE first END,"
                    + " last=CASE WHEN last IS NULL OR excluded.last > last THEN excluded.last"
                    + " ELSE last END")) {
      for (UsageDelta.SubjectDelta s : delta.subjects()) {
        long sid = upsert(subjectId, newSubject, setSubject, s.key(), s.extra(), null);
        for (UsageDelta.RequestDelta r : s.requests()) {
          long rid = upsert(requestId, newRequest, setRequest, r.key(), r.extra(), sid);
          for (UsageDelta.DayCount d : r.days()) {
            count.setLong(1, rid);
            count.setString(2, d.day());
            count.setString(3, d.outcome());
            count.setLong(4, d.count());
            count.setString(5, d.first());
            count.setString(6, d.last());
            count.addBatch();
          }
        }
      }
      count.executeBatch();
    }
  }

  /** The row id for key, inserted or with its extra merged. */
  private long upsert(
      PreparedStatement find,
      PreparedStatement insert,
      PreparedStatement update,
      String key,
      String extra,
      Long parent)
      throws SQLException {
    int i = 1;
    if (parent != null) {
      find.setLong(i++, parent);
    }
    find.setString(i, key);
    try (ResultSet rs = find.executeQuery()) {
      if (rs.next()) {
        long id = rs.getLong(1);
        String old = rs.getString(2);
        String merged =
            parent == null
                ? codec.mergeSubjectExtra(old, extra)
                : codec.mergeRequestExtra(old, extra);
        if (!merged.equals(old)) {
          update.setString(1, merged);
          update.setLong(2, id);
          update.executeUpdate();
        }
        return id;
      }
    }
    i = 1;
    if (parent != null) {
      insert.setLong(i++, parent);
    }
    insert.setString(i++, key);
    insert.setString(i, extra);
    try (ResultSet keys = insert.executeQuery()) {
      keys.next();
      return keys.getLong(1);
    }
  }

  /**
   * Once a minute: notes where the done list stands, forgets audit IDs older than the retention and
   * counts pending stages older than it for good.
   */
  private void markAndSweep(long now) throws SQLException {
    long minute = now / 60_000;
    if (minute == lastSweep) {
      return;
    }
    lastSweep = minute;
    try (Statement s = write.createStatement()) {
      s.executeUpdate(
          "INSERT OR REPLACE INTO done_marks(minute, seq) SELECT "
              + minute
              + ", coalesce(max(seq), 0) FROM done");
      long cutoffMinute = (now - retention.toMillis()) / 60_000;
      try (ResultSet rs =
          s.executeQuery("SELECT max(seq) FROM done_marks WHERE minute <= " + cutoffMinute)) {
        if (rs.next() && rs.getObject(1) != null) {
          long seq = rs.getLong(1);
          s.executeUpdate("DELETE FROM done WHERE seq <= " + seq);
        }
      }
      s.executeUpdate("DELETE FROM done_marks WHERE minute < " + cutoffMinute);
    }
    List<String> expired = new ArrayList<>();
    try (PreparedStatement old =
        write.prepareStatement("SELECT audit_id, delta FROM pending WHERE received < ?")) {
      old.setLong(1, now - retention.toMillis());
      try (ResultSet rs = old.executeQuery()) {
        while (rs.next()) {
          expired.add(rs.getString(1));
          addDelta(JSON.readValue(rs.getString(2), UsageDelta.class));
        }
      }
    }
    try (PreparedStatement del = write.prepareStatement("DELETE FROM pending WHERE audit_id=?");
        PreparedStatement done =
            write.prepareStatement("INSERT OR IGNORE INTO done(audit_id) VALUES(?)")) {
      for (String id : expired) {
        del.setString(1, id);
        del.addBatch();
        done.setString(1, id);
        done.addBatch();
      }
      del.executeBatch();
      done.executeBatch();
    }
  }

  /**
   * The usage whose days are on or after {@code sinceDay} ("" for all), pending stages included,
   * written as a ledger.
   */
  public void writeLedger(String sinceDay, java.io.OutputStream out)
      throws SQLException, IOException {
    List<UsageDelta.SubjectDelta> subjects = new ArrayList<>();
    List<UsageCodec.ClusterObservation> clusters = new ArrayList<>();
    synchronized (read) {
      read.setAutoCommit(false); // one snapshot for all queries
      try {
        try (Statement s = read.createStatement();
            ResultSet rs =
                s.executeQuery("SELECT cluster, events, bad, first, last FROM observation")) {
          while (rs.next()) {
            clusters.add(
                new UsageCodec.ClusterObservation(
                    rs.getString(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getString(4),
                    rs.getString(5)));
          }
        }
        Map<Long, String[]> subjectRows = new HashMap<>();
        try (Statement s = read.createStatement();
            ResultSet rs = s.executeQuery("SELECT id, key, extra FROM subjects")) {
          while (rs.next()) {
            subjectRows.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
          }
        }
        Map<Long, List<UsageDelta.RequestDelta>> bySubject = new HashMap<>();
        try (PreparedStatement q =
            read.prepareStatement(
                "SELECT r.subject_id, r.id, r.key, r.extra, c.day, c.outcome, c.count, c.first,"
                    + " c.last FROM requests r JOIN counts c ON c.request_id = r.id"
                    + " WHERE c.day >= ? ORDER BY r.id")) {
          q.setString(1, sinceDay);
          try (ResultSet rs = q.executeQuery()) {
            long current = -1;
            String key = null;
            String extra = null;
            long subject = -1;
            List<UsageDelta.DayCount> days = new ArrayList<>();
            while (rs.next()) {
              long id = rs.getLong(2);
              if (id != current && current != -1) {
                bySubject
                    .computeIfAbsent(subject, k -> new ArrayList<>())
                    .add(new UsageDelta.RequestDelta(key, extra, days));
                days = new ArrayList<>();
              }
              current = id;
              subject = rs.getLong(1);
              key = rs.getString(3);
              extra = rs.getString(4);
              days.add(
                  new UsageDelta.DayCount(
                      rs.getString(5),
                      rs.getString(6),
                      rs.getLong(7),
                      rs.getString(8),
                      rs.getString(9)));
            }
            if (current != -1) {
              bySubject
                  .computeIfAbsent(subject, k -> new ArrayList<>())
                  .add(new UsageDelta.RequestDelta(key, extra, days));
            }
          }
        }
        bySubject.forEach(
            (id, requests) -> {
              String[] s = subjectRows.get(id);
              subjects.add(new UsageDelta.SubjectDelta(s[0], s[1], requests));
            });
        try (Statement s = read.createStatement();
            ResultSet rs = s.executeQuery("SELECT delta FROM pending")) {
          while (rs.next()) {
            UsageDelta d = JSON.readValue(rs.getString(1), UsageDelta.class);
            for (UsageDelta.SubjectDelta sd : d.subjects()) {
              List<UsageDelta.RequestDelta> kept = new ArrayList<>();
              for (UsageDelta.RequestDelta r : sd.requests()) {
                List<UsageDelta.DayCount> days =
                    r.days().stream().filter(c -> c.day().compareTo(sinceDay) >= 0).toList();
                if (!days.isEmpty()) {
                  kept.add(new UsageDelta.RequestDelta(r.key(), r.extra(), days));
                }
              }
              if (!kept.isEmpty()) {
                subjects.add(new UsageDelta.SubjectDelta(sd.key(), sd.extra(), kept));
              }
            }
            clusters.add(
                new UsageCodec.ClusterObservation(
                    d.cluster(), d.events(), d.badRecords(), d.from(), d.to()));
          }
        }
      } finally {
        read.commit();
        read.setAutoCommit(true);
      }
    }
    codec.writeLedger(new UsageCodec.Observation(clusters), subjects, out);
  }

  /** Store figures for /metrics. */
  public record Figures(long fileBytes, long subjects, long requests, long pending) {}

  public Figures figures() throws SQLException {
    long bytes = size(file) + size(Path.of(file + "-wal")) + size(Path.of(file + "-shm"));
    synchronized (read) {
      try (Statement s = read.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT count(*) FROM subjects), (SELECT count(*) FROM requests),"
                      + " (SELECT count(*) FROM pending)")) {
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
