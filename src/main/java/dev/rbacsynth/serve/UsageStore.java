package dev.rbacsynth.serve;

import dev.rbacsynth.aggregate.RequestUse;
import dev.rbacsynth.attributes.Interpretation;
import dev.rbacsynth.attributes.Outcome;
import dev.rbacsynth.attributes.RequestAttributes;
import dev.rbacsynth.event.AuditEvent;
import dev.rbacsynth.event.AuditIds;
import dev.rbacsynth.event.Stage;
import dev.rbacsynth.ledger.Days;
import dev.rbacsynth.ledger.Fragment;
import dev.rbacsynth.ledger.Ledger;
import dev.rbacsynth.ledger.LedgerCollector;
import dev.rbacsynth.ledger.LedgerJson;
import dev.rbacsynth.ledger.Observation;
import dev.rbacsynth.ledger.RequestKey;
import dev.rbacsynth.ledger.RequestRow;
import dev.rbacsynth.ledger.Scope;
import dev.rbacsynth.ledger.Stats;
import dev.rbacsynth.ledger.SubjectDay;
import dev.rbacsynth.ledger.SubjectUsage;
import dev.rbacsynth.read.SourceLocation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * serve's state: the usage ledger as rows of counters in SQLite ({@code usage.db} in the state
 * directory, created 0700).
 *
 * <p>Durability: WAL journal, {@code synchronous=FULL} (each commit is fsync'd before {@link
 * #apply} returns), one transaction per batch, so a batch is stored all or nothing and the caller
 * acknowledges it only after the commit.
 *
 * <p>What a batch adds is computed by the ledger itself ({@link LedgerCollector}: stage merging,
 * subject interpretation, as {@code collect}), which aggregates the batch in memory to its distinct
 * (subject, request, UTC day) rows. Each row is then upserted with prepared statements kept for the
 * store's life: the counters are integer columns ({@code count = count + excluded.count}, earliest
 * first and latest last seen) per (subject, request, day, outcome); the non-additive fields of a
 * request's day (the groups its user always had, the smallest implication, only dry runs, the
 * sampled audit IDs and user agents, bounded by the ledger's own rule) are columns merged by small
 * SQL functions ({@link Columns}). Subjects and requests are numbered once ({@code subjects},
 * {@code requests}) so that the counter rows are short. {@link #ledger} rebuilds the ledger from
 * the rows through the ledger's public constructors ({@link RequestRow#of}, {@link SubjectDay#of},
 * {@link Ledger#of}). Requests whose stages straddle batches are the ledger's fragments, kept as
 * ledger documents by audit ID until their other stages arrive (few: only a batch's edges), a final
 * stage at most for the retention ({@link #expireFragments}).
 *
 * <p>Resends: a record whose (audit ID, stage) was stored in the last {@code retention} is dropped
 * before the ledger sees it, so a batch resent after a crash between commit and answer counts once.
 * The remembered records are compact keys (an audit ID that is a UUID as its 16 bytes), in an
 * indexed table pruned once a minute by a range of its row numbers. Events without an audit ID
 * cannot be recognised when resent.
 */
public final class UsageStore implements AutoCloseable {
  static final int SCHEMA_VERSION = 3;
  private static final int CACHED_REQUESTS = 100_000;
  private static final int CACHED_SUBJECTS = 10_000;

  private final Path file;
  private final Connection write;
  private final Connection read;
  private final Duration retention;
  private final Clock clock;
  private Statements sql;
  private final Map<String, Long> subjectIds = lru(CACHED_SUBJECTS);
  private final Map<RequestKey, Long> requestIds = lru(CACHED_REQUESTS);
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
      s.execute("PRAGMA cache_size=-65536"); // 64 MiB of pages
      createSchema(s);
    }
    Columns.registerMergeFunctions(write);
    this.sql = new Statements(write);
    this.read = DriverManager.getConnection(url);
    try (Statement s = read.createStatement()) {
      s.execute("PRAGMA busy_timeout=5000");
      s.execute("PRAGMA query_only=ON");
    }
    restrict(file);
  }

  private static <K> Map<K, Long> lru(int capacity) {
    return new LinkedHashMap<>(1024, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, Long> eldest) {
        return size() > capacity;
      }
    };
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
                + SCHEMA_VERSION
                + " (move usage.db away; GET /usage of the old version gives its ledger)");
      }
    }
    s.execute(
        "CREATE TABLE IF NOT EXISTS subjects(id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE)");
    s.execute(
        "CREATE TABLE IF NOT EXISTS requests(id INTEGER PRIMARY KEY, use TEXT NOT NULL,"
            + " resource_request INTEGER NOT NULL, verb TEXT NOT NULL, api_group TEXT NOT NULL,"
            + " resource TEXT NOT NULL, subresource TEXT NOT NULL, namespace TEXT NOT NULL,"
            + " name TEXT NOT NULL, path TEXT NOT NULL, UNIQUE(use, resource_request, verb,"
            + " api_group, resource, subresource, namespace, name, path))");
    // a subject's UTC day: its events, the groups it was seen with, the skipped events by reason
    s.execute(
        "CREATE TABLE IF NOT EXISTS subject_days(subject INTEGER NOT NULL, day INTEGER NOT NULL,"
            + " events INTEGER NOT NULL, groups TEXT NOT NULL, PRIMARY KEY(subject, day))"
            + " WITHOUT ROWID");
    s.execute(
        "CREATE TABLE IF NOT EXISTS subject_day_skips(subject INTEGER NOT NULL, day INTEGER NOT"
            + " NULL, reason TEXT NOT NULL, count INTEGER NOT NULL, PRIMARY KEY(subject, day,"
            + " reason)) WITHOUT ROWID");
    // a request of a subject (the ledger's RequestRow): the fields that do not add up
    s.execute(
        "CREATE TABLE IF NOT EXISTS request_rows(subject INTEGER NOT NULL, request INTEGER NOT NULL,"
            + " groups TEXT NOT NULL, implication TEXT NOT NULL, dry_run INTEGER NOT NULL,"
            + " audit_ids TEXT NOT NULL, user_agents TEXT NOT NULL, PRIMARY KEY(subject, request))"
            + " WITHOUT ROWID");
    // ... its counters per outcome, with the first and last time
    s.execute(
        "CREATE TABLE IF NOT EXISTS request_outcomes(subject INTEGER NOT NULL, request INTEGER NOT"
            + " NULL, outcome TEXT NOT NULL, count INTEGER NOT NULL, first BLOB, last BLOB,"
            + " PRIMARY KEY(subject, request, outcome)) WITHOUT ROWID");
    // ... and per UTC day and outcome
    s.execute(
        "CREATE TABLE IF NOT EXISTS request_day_counts(subject INTEGER NOT NULL, request INTEGER"
            + " NOT NULL, day INTEGER NOT NULL, outcome TEXT NOT NULL, count INTEGER NOT NULL,"
            + " PRIMARY KEY(subject, request, day, outcome)) WITHOUT ROWID");
    // what the ledger is based on: records per UTC day, per cluster, and the unusable ones
    s.execute(
        "CREATE TABLE IF NOT EXISTS observed_days(day INTEGER PRIMARY KEY, events INTEGER NOT NULL)");
    s.execute(
        "CREATE TABLE IF NOT EXISTS observed_clusters(cluster TEXT PRIMARY KEY, first BLOB, last"
            + " BLOB, events INTEGER NOT NULL)");
    // ... and per cluster and UTC day, so that ?since= cuts each cluster's window too (a store made
    // before this table keeps its older clusters whole: their days do not add up to their events)
    s.execute(
        "CREATE TABLE IF NOT EXISTS observed_cluster_days(cluster TEXT NOT NULL, day INTEGER NOT"
            + " NULL, events INTEGER NOT NULL, PRIMARY KEY(cluster, day)) WITHOUT ROWID");
    s.execute("INSERT OR IGNORE INTO meta(key, value) VALUES('bad_records', '0')");
    // open requests by audit ID, as ledger documents, with the minute they were last stored
    s.execute(
        "CREATE TABLE IF NOT EXISTS fragments(audit_id TEXT PRIMARY KEY, doc TEXT NOT NULL,"
            + " minute INTEGER NOT NULL)");
    s.execute("CREATE INDEX IF NOT EXISTS fragments_minute ON fragments(minute)");
    // (audit ID, stage) stored; seq grows with time (AUTOINCREMENT never reuses one) and marks say
    // which seq each minute ended at, so expiry deletes a seq range
    s.execute(
        "CREATE TABLE IF NOT EXISTS seen(seq INTEGER PRIMARY KEY AUTOINCREMENT,"
            + " record BLOB NOT NULL UNIQUE)");
    s.execute("CREATE TABLE IF NOT EXISTS seen_marks(minute INTEGER PRIMARY KEY, seq INTEGER)");
  }

  /** The writing connection's statements, prepared once. */
  private static final class Statements {
    final PreparedStatement remember;
    final PreparedStatement subjectId;
    final PreparedStatement newSubject;
    final PreparedStatement requestId;
    final PreparedStatement newRequest;
    final PreparedStatement subjectDay;
    final PreparedStatement subjectDaySkip;
    final PreparedStatement requestRow;
    final PreparedStatement requestOutcome;
    final PreparedStatement requestDayCount;
    final PreparedStatement observedDay;
    final PreparedStatement observedCluster;
    final PreparedStatement observedClusterDay;
    final PreparedStatement badRecords;
    final PreparedStatement fragment;
    final PreparedStatement deleteFragment;
    final PreparedStatement putFragment;

    Statements(Connection c) throws SQLException {
      remember = c.prepareStatement("INSERT OR IGNORE INTO seen(record) VALUES(?)");
      subjectId = c.prepareStatement("SELECT id FROM subjects WHERE username=?");
      newSubject = c.prepareStatement("INSERT INTO subjects(username) VALUES(?)");
      requestId =
          c.prepareStatement(
              "SELECT id FROM requests WHERE use=? AND resource_request=? AND verb=? AND"
                  + " api_group=? AND resource=? AND subresource=? AND namespace=? AND name=? AND"
                  + " path=?");
      newRequest =
          c.prepareStatement(
              "INSERT INTO requests(use, resource_request, verb, api_group, resource,"
                  + " subresource, namespace, name, path) VALUES(?,?,?,?,?,?,?,?,?)");
      subjectDay =
          c.prepareStatement(
              "INSERT INTO subject_days(subject, day, events, groups) VALUES(?,?,?,?)"
                  + " ON CONFLICT(subject, day) DO UPDATE SET events = events + excluded.events,"
                  + " groups = rs_union(groups, excluded.groups)");
      subjectDaySkip =
          c.prepareStatement(
              "INSERT INTO subject_day_skips(subject, day, reason, count) VALUES(?,?,?,?)"
                  + " ON CONFLICT(subject, day, reason) DO UPDATE SET count = count +"
                  + " excluded.count");
      requestRow =
          c.prepareStatement(
              "INSERT INTO request_rows(subject, request, groups, implication, dry_run, audit_ids,"
                  + " user_agents) VALUES(?,?,?,?,?,?,?)"
                  + " ON CONFLICT(subject, request) DO UPDATE SET"
                  + " groups = rs_intersect(groups, excluded.groups),"
                  // the smallest implication that is not empty
                  + " implication = CASE WHEN excluded.implication = '' THEN implication"
                  + " WHEN implication = '' OR excluded.implication < implication"
                  + " THEN excluded.implication ELSE implication END,"
                  + " dry_run = min(dry_run, excluded.dry_run),"
                  + " audit_ids = rs_samples(audit_ids, excluded.audit_ids),"
                  + " user_agents = rs_samples(user_agents, excluded.user_agents)");
      requestOutcome =
          c.prepareStatement(
              "INSERT INTO request_outcomes(subject, request, outcome, count, first, last)"
                  + " VALUES(?,?,?,?,?,?) ON CONFLICT(subject, request, outcome) DO UPDATE"
                  + " SET count = count + excluded.count,"
                  + " first = min(coalesce(first, excluded.first), coalesce(excluded.first, first)),"
                  + " last = max(coalesce(last, excluded.last), coalesce(excluded.last, last))");
      requestDayCount =
          c.prepareStatement(
              "INSERT INTO request_day_counts(subject, request, day, outcome, count)"
                  + " VALUES(?,?,?,?,?) ON CONFLICT(subject, request, day, outcome) DO UPDATE"
                  + " SET count = count + excluded.count");
      observedDay =
          c.prepareStatement(
              "INSERT INTO observed_days(day, events) VALUES(?,?)"
                  + " ON CONFLICT(day) DO UPDATE SET events = events + excluded.events");
      observedCluster =
          c.prepareStatement(
              "INSERT INTO observed_clusters(cluster, first, last, events) VALUES(?,?,?,?)"
                  + " ON CONFLICT(cluster) DO UPDATE SET events = events + excluded.events,"
                  + " first = min(coalesce(first, excluded.first), coalesce(excluded.first, first)),"
                  + " last = max(coalesce(last, excluded.last), coalesce(excluded.last, last))");
      observedClusterDay =
          c.prepareStatement(
              "INSERT INTO observed_cluster_days(cluster, day, events) VALUES(?,?,?)"
                  + " ON CONFLICT(cluster, day) DO UPDATE SET events = events + excluded.events");
      badRecords =
          c.prepareStatement(
              "UPDATE meta SET value = CAST(value AS INTEGER) + ? WHERE key='bad_records'");
      fragment = c.prepareStatement("SELECT doc FROM fragments WHERE audit_id=?");
      deleteFragment = c.prepareStatement("DELETE FROM fragments WHERE audit_id=?");
      putFragment =
          c.prepareStatement(
              "INSERT OR REPLACE INTO fragments(audit_id, doc, minute) VALUES(?,?,?)");
    }

    void close() {
      for (PreparedStatement p :
          List.of(
              remember,
              subjectId,
              newSubject,
              requestId,
              newRequest,
              subjectDay,
              subjectDaySkip,
              requestRow,
              requestOutcome,
              requestDayCount,
              observedDay,
              observedCluster,
              observedClusterDay,
              badRecords,
              fragment,
              deleteFragment,
              putFragment)) {
        try {
          p.close();
        } catch (SQLException ignored) {
          // closing what failed
        }
      }
    }
  }

  /** One POST's batch on its way into the store; completed by whichever thread commits it. */
  private static final class Batch {
    final List<AuditEvent> events = new ArrayList<>(); // without repeats inside the batch
    final List<byte[]> records = new ArrayList<>(); // their keys, null for no audit ID
    final long badItems;
    final String cluster;
    long repeats;
    Ledger delta;
    boolean done;
    Applied result;
    Exception error;

    Batch(List<AuditEvent> all, long badItems, String cluster) {
      this.badItems = badItems;
      this.cluster = cluster;
      Set<String> inBatch = new HashSet<>();
      for (AuditEvent e : all) {
        if (e.auditID().isEmpty()) {
          events.add(e);
          records.add(null);
        } else if (inBatch.add(e.auditID() + "/" + e.stage().wireName())) {
          events.add(e);
          records.add(record(e));
        } else {
          repeats++;
        }
      }
      // what the batch adds if none of it was stored before (a resend): computed before the
      // store's lock is taken, so that batches are interpreted in parallel
      delta = delta(events, badItems, cluster);
    }
  }

  private static Ledger delta(List<AuditEvent> events, long badItems, String cluster) {
    LedgerCollector collector = new LedgerCollector().cluster(cluster);
    SourceLocation where = new SourceLocation("POST /audit", 0);
    for (AuditEvent e : events) {
      collector.event(e, where);
    }
    for (long i = 0; i < badItems; i++) {
      collector.badRecord();
    }
    return collector.finish();
  }

  private final List<Batch> queue = new ArrayList<>();

  /**
   * Applies one batch, all or nothing. Returns only after the commit that holds it is on disk.
   *
   * <p>Group commit: batches that arrive while a commit is being written to disk wait for it, then
   * the first of them to get the store's lock writes them all in one transaction, each inside a
   * savepoint of its own (a batch that fails is rolled back alone), and one fsync acknowledges all
   * of them. Every batch is still stored completely or not at all, and answered after its commit.
   *
   * @param badItems items of the batch that were not usable Events (counted as bad records)
   * @throws SQLException when the store cannot write (the batch left no trace)
   */
  public Applied apply(List<AuditEvent> events, long badItems, String cluster) throws SQLException {
    if (closed) {
      throw new SQLException("the store is closed");
    }
    Batch batch = new Batch(events, badItems, cluster);
    synchronized (queue) {
      queue.add(batch);
    }
    synchronized (this) {
      if (!batch.done) {
        List<Batch> group;
        synchronized (queue) {
          group = new ArrayList<>(queue);
          queue.clear();
        }
        store(group);
      }
    }
    if (batch.error instanceof SQLException e) {
      throw e;
    }
    if (batch.error instanceof RuntimeException e) {
      throw e;
    }
    return batch.result;
  }

  /** Writes a group of batches: one transaction, a savepoint each, one commit. Under the lock. */
  private void store(List<Batch> group) {
    int next = 0;
    while (next < group.size()) {
      List<Batch> inTransaction = new ArrayList<>();
      try {
        if (closed) {
          throw new SQLException("the store is closed");
        }
        if (sql == null) {
          sql = new Statements(write);
        }
        begin();
      } catch (SQLException e) {
        fail(group.subList(next, group.size()), e);
        return;
      }
      boolean transactionLost = false;
      for (; next < group.size() && !transactionLost; next++) {
        Batch b = group.get(next);
        try {
          execute("SAVEPOINT batch");
          b.result = applyOne(b);
          execute("RELEASE batch");
          inTransaction.add(b);
        } catch (SQLException | RuntimeException e) {
          b.error = e;
          b.done = true;
          forgetAfterFailure(e);
          try {
            execute("ROLLBACK TO batch");
            execute("RELEASE batch");
          } catch (SQLException gone) {
            // SQLite rolled the whole transaction back (a full disk can): the batches before this
            // one in it are lost too, and fail with it
            transactionLost = true;
          }
        }
      }
      if (transactionLost) {
        rollbackQuietly();
        fail(inTransaction, group.get(next - 1).error);
        continue;
      }
      try {
        markAndSweep(clock.millis());
        commit();
        for (Batch b : inTransaction) {
          b.done = true;
        }
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly();
        forgetAfterFailure(e);
        fail(inTransaction, e);
      }
    }
  }

  private static void fail(List<Batch> batches, Exception e) {
    for (Batch b : batches) {
      b.result = null;
      b.error = e;
      b.done = true;
    }
  }

  /**
   * After a rollback: the numbers given out in it are gone, and the driver may have closed a
   * statement that failed (a full disk): prepare them again.
   */
  private void forgetAfterFailure(Exception e) {
    subjectIds.clear();
    requestIds.clear();
    if (sql != null) {
      sql.close();
    }
    try {
      sql = new Statements(write);
    } catch (SQLException again) {
      e.addSuppressed(again); // the next batch prepares them (and fails alike if it must)
      sql = null;
    }
  }

  private void execute(String statement) throws SQLException {
    try (Statement s = write.createStatement()) {
      s.execute(statement);
    }
  }

  /** One batch inside the open transaction. */
  private Applied applyOne(Batch b) throws SQLException {
    long duplicates = b.repeats;
    long absorbed = b.events.size();
    Ledger delta = b.delta;
    // remember every (audit ID, stage); those that were remembered already are resends
    int remembered = 0;
    for (byte[] record : b.records) {
      if (record != null) {
        sql.remember.setBytes(1, record);
        sql.remember.addBatch();
        remembered++;
      }
    }
    if (remembered > 0) {
      int[] inserted = sql.remember.executeBatch();
      if (Arrays.stream(inserted).anyMatch(n -> n == 0)) {
        List<AuditEvent> fresh = new ArrayList<>();
        for (int i = 0, k = 0; i < b.events.size(); i++) {
          if (b.records.get(i) == null || inserted[k++] != 0) {
            fresh.add(b.events.get(i));
          }
        }
        duplicates += b.events.size() - fresh.size();
        absorbed = fresh.size();
        delta = delta(fresh, b.badItems, b.cluster);
      }
    }
    List<SubjectUsage> rows = new ArrayList<>(delta.subjects().values());
    if (!delta.pending().isEmpty()) {
      rows.addAll(fold(delta.pending().values()));
    }
    for (SubjectUsage u : rows) {
      upsert(u);
    }
    observe(delta.observation());
    return new Applied(absorbed, duplicates);
  }

  /**
   * The key remembered for a record: the stage's rank, then the audit ID as its 16 bytes when it is
   * a UUID in the canonical form the apiserver writes, else as its UTF-8 bytes after a 0xff marker.
   */
  static byte[] record(AuditEvent e) {
    String id = e.auditID();
    byte stage = (byte) e.stage().rank();
    if (AuditIds.isCanonicalUuid(id)) {
      return ByteBuffer.allocate(17)
          .put(stage)
          .putLong(AuditIds.high(id))
          .putLong(AuditIds.low(id))
          .array();
    }
    byte[] text = id.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(text.length + 2).put(stage).put((byte) 0xff).put(text).array();
  }

  /**
   * The batch's fragments with the stored ones of the same requests, combined by the ledger: what
   * became complete is returned as rows, what is still open is stored.
   */
  private List<SubjectUsage> fold(Collection<Fragment> fresh) throws SQLException {
    List<Fragment> all = new ArrayList<>(fresh);
    List<String> stored = new ArrayList<>();
    for (Fragment f : fresh) {
      sql.fragment.setString(1, f.auditID());
      try (ResultSet rs = sql.fragment.executeQuery()) {
        if (rs.next()) {
          stored.add(f.auditID());
          all.addAll(LedgerJson.fromJson(rs.getString(1), "fragment").pending().values());
        }
      }
    }
    Ledger folded = Ledger.of(Observation.EMPTY, List.of(), all);
    for (String id : stored) {
      if (!folded.pending().containsKey(id)) {
        sql.deleteFragment.setString(1, id);
        sql.deleteFragment.executeUpdate();
      }
    }
    for (Fragment f : folded.pending().values()) {
      sql.putFragment.setString(1, f.auditID());
      sql.putFragment.setString(
          2, LedgerJson.toJson(Ledger.of(Observation.EMPTY, List.of(), List.of(f))));
      sql.putFragment.setLong(3, clock.millis() / 60_000);
      sql.putFragment.executeUpdate();
    }
    return new ArrayList<>(folded.subjects().values());
  }

  /** Adds a subject's rows of the batch to the stored counters. */
  private void upsert(SubjectUsage u) throws SQLException {
    long subject = subjectId(u.username());
    for (var day : u.days().entrySet()) {
      SubjectDay d = day.getValue();
      sql.subjectDay.setLong(1, subject);
      sql.subjectDay.setLong(2, day.getKey());
      sql.subjectDay.setLong(3, d.events());
      sql.subjectDay.setString(4, Columns.set(d.groups()));
      sql.subjectDay.addBatch();
      for (var skip : d.skipped().entrySet()) {
        sql.subjectDaySkip.setLong(1, subject);
        sql.subjectDaySkip.setLong(2, day.getKey());
        sql.subjectDaySkip.setString(3, skip.getKey().name());
        sql.subjectDaySkip.setLong(4, skip.getValue());
        sql.subjectDaySkip.addBatch();
      }
    }
    for (var request : u.requests().entrySet()) {
      long id = requestId(request.getKey());
      RequestRow r = request.getValue();
      sql.requestRow.setLong(1, subject);
      sql.requestRow.setLong(2, id);
      sql.requestRow.setString(3, Columns.set(r.commonGroups()));
      sql.requestRow.setString(4, r.implication());
      sql.requestRow.setInt(5, r.onlyDryRun() ? 1 : 0);
      sql.requestRow.setString(6, Columns.set(r.auditIDs()));
      sql.requestRow.setString(7, Columns.set(r.userAgents()));
      sql.requestRow.addBatch();
      for (var outcome : r.outcomes().entrySet()) {
        Stats st = outcome.getValue();
        sql.requestOutcome.setLong(1, subject);
        sql.requestOutcome.setLong(2, id);
        sql.requestOutcome.setString(3, outcome.getKey().name());
        sql.requestOutcome.setLong(4, st.count());
        sql.requestOutcome.setBytes(5, Columns.time(st.first()));
        sql.requestOutcome.setBytes(6, Columns.time(st.last()));
        sql.requestOutcome.addBatch();
      }
      for (var day : r.days().entrySet()) {
        for (var count : day.getValue().entrySet()) {
          sql.requestDayCount.setLong(1, subject);
          sql.requestDayCount.setLong(2, id);
          sql.requestDayCount.setLong(3, day.getKey());
          sql.requestDayCount.setString(4, count.getKey().name());
          sql.requestDayCount.setLong(5, count.getValue());
          sql.requestDayCount.addBatch();
        }
      }
    }
    sql.subjectDay.executeBatch();
    sql.subjectDaySkip.executeBatch();
    sql.requestRow.executeBatch();
    sql.requestOutcome.executeBatch();
    sql.requestDayCount.executeBatch();
  }

  private long subjectId(String username) throws SQLException {
    Long id = subjectIds.get(username);
    if (id == null) {
      sql.subjectId.setString(1, username);
      id = existing(sql.subjectId);
      if (id == null) {
        sql.newSubject.setString(1, username);
        id = inserted(sql.newSubject);
      }
      subjectIds.put(username, id);
    }
    return id;
  }

  private long requestId(RequestKey key) throws SQLException {
    Long id = requestIds.get(key);
    if (id == null) {
      bind(sql.requestId, key);
      id = existing(sql.requestId);
      if (id == null) {
        bind(sql.newRequest, key);
        id = inserted(sql.newRequest);
      }
      requestIds.put(key, id);
    }
    return id;
  }

  private static void bind(PreparedStatement p, RequestKey key) throws SQLException {
    RequestAttributes a = key.attributes();
    p.setString(1, key.use().name());
    p.setInt(2, a.resourceRequest() ? 1 : 0);
    p.setString(3, a.verb());
    p.setString(4, a.apiGroup());
    p.setString(5, a.resource());
    p.setString(6, a.subresource());
    p.setString(7, a.namespace());
    p.setString(8, a.name());
    p.setString(9, a.path());
  }

  private static Long existing(PreparedStatement query) throws SQLException {
    try (ResultSet rs = query.executeQuery()) {
      return rs.next() ? rs.getLong(1) : null;
    }
  }

  private long inserted(PreparedStatement insert) throws SQLException {
    insert.executeUpdate();
    return single("SELECT last_insert_rowid()");
  }

  /** The one number a query on the writing connection answers. */
  private long single(String query) throws SQLException {
    try (Statement s = write.createStatement();
        ResultSet rs = s.executeQuery(query)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void observe(Observation o) throws SQLException {
    for (var day : o.eventsByDay().entrySet()) {
      sql.observedDay.setLong(1, day.getKey());
      sql.observedDay.setLong(2, day.getValue());
      sql.observedDay.addBatch();
    }
    sql.observedDay.executeBatch();
    for (var cluster : o.clustersWithDays().entrySet()) {
      Observation.Window w = cluster.getValue();
      for (var day : w.eventsByDay().entrySet()) {
        sql.observedClusterDay.setString(1, cluster.getKey());
        sql.observedClusterDay.setLong(2, day.getKey());
        sql.observedClusterDay.setLong(3, day.getValue());
        sql.observedClusterDay.addBatch();
      }
      sql.observedCluster.setString(1, cluster.getKey());
      sql.observedCluster.setBytes(2, Columns.time(w.from()));
      sql.observedCluster.setBytes(3, Columns.time(w.to()));
      sql.observedCluster.setLong(4, w.events());
      sql.observedCluster.addBatch();
    }
    sql.observedCluster.executeBatch();
    sql.observedClusterDay.executeBatch();
    if (o.badRecords() > 0) {
      sql.badRecords.setLong(1, o.badRecords());
      sql.badRecords.executeUpdate();
    }
  }

  // Transactions are explicit statements (the connection stays in auto-commit mode): after SQLite
  // itself rolled back a failed transaction (a full disk), the driver's own bookkeeping would be
  // out of step, while a ROLLBACK that finds no transaction is simply ignored here.
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

  /**
   * Once a minute: notes where the list of stored records stands, forgets the expired ones, and
   * counts the expired final stages ({@link #expireFragments}).
   */
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
      expireFragments(s, cutoffMinute);
    }
  }

  /**
   * A request's final stage that has waited longer than the retention for its earlier stages is
   * counted on its own: the apiserver sends a request's stages in order and resends within the
   * retention, so they are not coming (a policy that logs {@code RequestReceived} for some requests
   * only, say); kept, such fragments would pile up without end. They are counted as a log that ends
   * there counts them, by the stage kept; a stage of the request that still came later would be a
   * resend later than the retention, which counts again (as the README says of resends). Requests
   * with no final stage yet (a watch still open) wait on.
   */
  private void expireFragments(Statement s, long cutoffMinute) throws SQLException {
    List<Fragment> expired = new ArrayList<>();
    try (ResultSet rs =
        s.executeQuery("SELECT doc FROM fragments WHERE minute <= " + cutoffMinute)) {
      while (rs.next()) {
        for (Fragment f : LedgerJson.fromJson(rs.getString(1), "fragment").pending().values()) {
          if (f.stage().isFinal()) {
            int earlier =
                (1 << Stage.REQUEST_RECEIVED.rank()) | (1 << Stage.RESPONSE_STARTED.rank());
            expired.add(
                new Fragment(
                    f.auditID(),
                    f.stages() | earlier,
                    f.stage(),
                    f.longRunning(),
                    f.requestReceivedLogged(),
                    f.contribution()));
          }
        }
      }
    }
    if (expired.isEmpty()) {
      return;
    }
    // complete now, the ledger folds them into rows
    for (SubjectUsage u : Ledger.of(Observation.EMPTY, List.of(), expired).subjects().values()) {
      upsert(u);
    }
    for (Fragment f : expired) {
      sql.deleteFragment.setString(1, f.auditID());
      sql.deleteFragment.executeUpdate();
    }
  }

  /** Requests kept open by audit ID (for tests). */
  synchronized long fragments() throws SQLException {
    return single("SELECT count(*) FROM fragments");
  }

  /** Records remembered for dropping resends (for tests of the pruning). */
  synchronized long remembered() throws SQLException {
    return single("SELECT count(*) FROM seen");
  }

  /**
   * The stored usage as a ledger (open fragments included, as {@code collect} keeps them), only the
   * UTC days from {@code since} on when it is not null.
   */
  public Ledger ledger(Instant since) throws SQLException {
    long first = since == null ? Long.MIN_VALUE : Days.of(since);
    Map<Long, SubjectUsage> subjects = new HashMap<>();
    List<Fragment> fragments = new ArrayList<>();
    Observation observation;
    synchronized (read) {
      read.setAutoCommit(false); // one snapshot for all queries
      try {
        observation = observation();
        Map<Long, String> names = new HashMap<>();
        try (Statement s = read.createStatement();
            ResultSet rs = s.executeQuery("SELECT id, username FROM subjects")) {
          while (rs.next()) {
            names.put(rs.getLong(1), rs.getString(2));
          }
        }
        Map<Long, RequestKey> requests = requests();
        subjectDays(first, names, subjects);
        requestRows(names, requests, subjects);
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
    Ledger ledger = Ledger.of(observation, subjects.values(), fragments);
    return since == null ? ledger : ledger.window(since, null);
  }

  private Observation observation() throws SQLException {
    Instant from = null;
    Instant to = null;
    long events = 0;
    TreeMap<String, Observation.Window> clusters = new TreeMap<>();
    try (Statement s = read.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT cluster, first, last, events FROM observed_clusters")) {
      while (rs.next()) {
        Observation.Window w =
            new Observation.Window(
                Columns.time(rs.getBytes(2)), Columns.time(rs.getBytes(3)), rs.getLong(4));
        clusters.put(rs.getString(1), w);
        from = earlier(from, w.from());
        to = later(to, w.to());
        events += w.events();
      }
    }
    Map<String, TreeMap<Long, Long>> clusterDays = new HashMap<>();
    try (Statement s = read.createStatement();
        ResultSet rs = s.executeQuery("SELECT cluster, day, events FROM observed_cluster_days")) {
      while (rs.next()) {
        clusterDays
            .computeIfAbsent(rs.getString(1), k -> new TreeMap<>())
            .put(rs.getLong(2), rs.getLong(3));
      }
    }
    clusterDays.forEach(
        (name, d) -> {
          Observation.Window w = clusters.get(name);
          if (w != null) {
            clusters.put(name, new Observation.Window(w.from(), w.to(), w.events(), d));
          }
        });
    TreeMap<Long, Long> days = new TreeMap<>();
    try (Statement s = read.createStatement();
        ResultSet rs = s.executeQuery("SELECT day, events FROM observed_days")) {
      while (rs.next()) {
        days.put(rs.getLong(1), rs.getLong(2));
      }
    }
    long bad;
    try (Statement s = read.createStatement();
        ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key='bad_records'")) {
      bad = rs.next() ? Long.parseLong(rs.getString(1)) : 0;
    }
    // serve keeps every subject's requests
    return new Observation(from, to, events, bad, clusters, List.of(), days, Scope.ALL);
  }

  private static Instant earlier(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
  }

  private static Instant later(Instant a, Instant b) {
    return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
  }

  private Map<Long, RequestKey> requests() throws SQLException {
    Map<Long, RequestKey> out = new HashMap<>();
    try (Statement s = read.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT id, use, resource_request, verb, api_group, resource, subresource,"
                    + " namespace, name, path FROM requests")) {
      while (rs.next()) {
        out.put(
            rs.getLong(1),
            new RequestKey(
                new RequestAttributes(
                    rs.getInt(3) != 0,
                    rs.getString(4),
                    rs.getString(5),
                    rs.getString(6),
                    rs.getString(7),
                    rs.getString(8),
                    rs.getString(9),
                    rs.getString(10)),
                RequestUse.valueOf(rs.getString(2))));
      }
    }
    return out;
  }

  private static SubjectUsage usage(
      Map<Long, SubjectUsage> subjects, Map<Long, String> names, long subject) {
    return subjects.computeIfAbsent(subject, id -> new SubjectUsage(names.get(id)));
  }

  private void subjectDays(long first, Map<Long, String> names, Map<Long, SubjectUsage> subjects)
      throws SQLException {
    Map<List<Long>, Map<Interpretation.Skip, Long>> skips = new HashMap<>();
    try (PreparedStatement q =
        read.prepareStatement(
            "SELECT subject, day, reason, count FROM subject_day_skips WHERE day >= ?")) {
      q.setLong(1, first);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          skips
              .computeIfAbsent(
                  List.of(rs.getLong(1), rs.getLong(2)),
                  k -> new EnumMap<>(Interpretation.Skip.class))
              .put(Interpretation.Skip.valueOf(rs.getString(3)), rs.getLong(4));
        }
      }
    }
    try (PreparedStatement q =
        read.prepareStatement(
            "SELECT subject, day, events, groups FROM subject_days WHERE day >= ?")) {
      q.setLong(1, first);
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          long subject = rs.getLong(1);
          long day = rs.getLong(2);
          usage(subjects, names, subject)
              .put(
                  day,
                  SubjectDay.of(
                      rs.getLong(3),
                      skips.getOrDefault(List.of(subject, day), Map.of()),
                      Columns.set(rs.getString(4))));
        }
      }
    }
  }

  /**
   * Every request row (the days of a window are the ledger's to cut: {@link Ledger#window} slices
   * rows by day).
   */
  private void requestRows(
      Map<Long, String> names, Map<Long, RequestKey> requests, Map<Long, SubjectUsage> subjects)
      throws SQLException {
    Map<List<Long>, EnumMap<Outcome, Stats>> outcomes = new HashMap<>();
    try (Statement s = read.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT subject, request, outcome, count, first, last FROM request_outcomes")) {
      while (rs.next()) {
        outcomes
            .computeIfAbsent(
                List.of(rs.getLong(1), rs.getLong(2)), k -> new EnumMap<>(Outcome.class))
            .put(
                Outcome.valueOf(rs.getString(3)),
                new Stats(
                    rs.getLong(4), Columns.time(rs.getBytes(5)), Columns.time(rs.getBytes(6))));
      }
    }
    Map<List<Long>, TreeMap<Long, Map<Outcome, Long>>> days = new HashMap<>();
    try (Statement s = read.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT subject, request, day, outcome, count FROM request_day_counts")) {
      while (rs.next()) {
        days.computeIfAbsent(List.of(rs.getLong(1), rs.getLong(2)), k -> new TreeMap<>())
            .computeIfAbsent(rs.getLong(3), d -> new EnumMap<>(Outcome.class))
            .put(Outcome.valueOf(rs.getString(4)), rs.getLong(5));
      }
    }
    try (Statement s = read.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT subject, request, groups, implication, dry_run, audit_ids, user_agents"
                    + " FROM request_rows")) {
      while (rs.next()) {
        long subject = rs.getLong(1);
        long request = rs.getLong(2);
        List<Long> key = List.of(subject, request);
        usage(subjects, names, subject)
            .put(
                requests.get(request),
                RequestRow.of(
                    outcomes.getOrDefault(key, new EnumMap<>(Outcome.class)),
                    days.getOrDefault(key, new TreeMap<>()),
                    Columns.set(rs.getString(3)),
                    rs.getString(4),
                    rs.getInt(5) != 0,
                    Columns.set(rs.getString(6)),
                    Columns.set(rs.getString(7))));
      }
    }
  }

  /** Store figures for /metrics. */
  public record Figures(long fileBytes, long subjects, long requests, long pending) {}

  public Figures figures() throws SQLException {
    long bytes = size(file) + size(Path.of(file + "-wal")) + size(Path.of(file + "-shm"));
    synchronized (read) {
      try (Statement s = read.createStatement();
          ResultSet rs =
              s.executeQuery(
                  "SELECT (SELECT count(*) FROM subjects),"
                      + " (SELECT count(*) FROM request_rows), (SELECT count(*) FROM fragments)")) {
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
    return single("PRAGMA page_count");
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
      write.close(); // closes the prepared statements too
    }
  }
}
