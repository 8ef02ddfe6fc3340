package dev.mig.bench;

import dev.mig.bench.Report.Runs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Goals A to D: moving G0 history (SQLite) to G2 (PostgreSQL). A: into an empty table, against
 * pgloader and the hand pipeline {@code sqlite3 -csv | psql \copy}. B: into a table that already
 * holds half the rows, and from another PostgreSQL database, each against the best hand-written
 * COPY. C: the checksums after A. D: 5,000,000 rows under -Xmx256m.
 */
final class HistoryCases {
    private final Bench bench;
    private final Report report;

    HistoryCases(Bench bench) {
        this.bench = bench;
        this.report = bench.report;
    }

    private String mapScript(String version, String source, String extra) {
        return """
                migration %s 'bench'
                connect legacy '%s' readonly
                connect pg '%s'
                map legacy.history -> pg.history key id {
                %s}
                %s
                """.formatted(version, source, "%s", Bench.HISTORY_MAP, extra);
    }

    private Path script(String name, String text) throws Exception {
        Path file = bench.work.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** sqlite3 -csv with the transform, into psql's COPY: the pipeline a user would write by hand. */
    private String pipeline(Path sqlite, String db, String where) {
        return "sqlite3 -csv " + sqlite + " \"" + Bench.G2_SELECT + where + "\" | psql -q -v ON_ERROR_STOP=1 '"
                + bench.libpq(db) + "' -c \"\\copy history FROM STDIN WITH (FORMAT csv)\"";
    }

    private String emptyTarget() throws Exception {
        String db = bench.newDatabase();
        bench.sql(db, "CREATE TABLE history " + Bench.G2_TABLE);
        return db;
    }

    /** A target that already holds every second row (loaded by the hand pipeline, not timed). */
    private String halfFullTarget(Path g0) throws Exception {
        String db = emptyTarget();
        if (bench.shell(pipeline(g0, db, " WHERE rowid % 2 = 0")).exit != 0) {
            throw new IllegalStateException("could not fill half the target");
        }
        bench.sql(db, "VACUUM ANALYZE history");
        return db;
    }

    /** One tool's run in a repetition. */
    private interface Step {
        void run() throws Exception;
    }

    // ---- A and C

    void caseAandC() throws Exception {
        Path g0 = bench.g0("g0.db", bench.rows, 42);
        String source = "jdbc:sqlite:" + g0;
        Runs mig = new Runs();
        Runs loader = new Runs();
        Runs hand = new Runs();
        Runs checksumCross = new Runs();
        Runs checksumSame = new Runs();
        long[] peakKb = {-1};
        String[] how = {"", ""}; // the map's line, the same-database checksum's line
        for (int i = 0; i < bench.repeat; i++) {
            String db = emptyTarget();
            Path script = script("a.mig", mapScript("1." + i, source, """
                    checksum legacy.history -> pg.history
                    sql pg 'CREATE TABLE history_copy AS SELECT * FROM history; ALTER TABLE history_copy ADD PRIMARY KEY (id)'
                    checksum pg.history -> pg.history_copy
                    """).formatted(bench.url(db)));
            String[] handDb = {null};
            List<Step> tools = List.of(() -> {
                bench.settle(db);
                Child run = bench.mig(null, script, null);
                mig.add(run.statementMillis("map legacy.history -> pg.history"));
                checksumCross.add(run.statementMillis("checksum legacy.history -> pg.history"));
                checksumSame.add(run.statementMillis("checksum pg.history -> pg.history_copy"));
                peakKb[0] = Math.max(peakKb[0], run.peakKb);
                how[0] = run.statementLine("map legacy.history");
                how[1] = run.statementLine("checksum pg.history -> pg.history_copy");
            }, () -> {
                String loaderDb = bench.newDatabase();
                bench.settle(loaderDb, db);
                loader.add(pgloader(g0, loaderDb));
            }, () -> {
                handDb[0] = emptyTarget();
                bench.settle(handDb[0], db);
                hand.add(bench.shell(pipeline(g0, handDb[0], "")).millis);
            });
            for (int k = 0; k < tools.size(); k++) {
                tools.get((k + i) % tools.size()).run(); // the order rotates from repetition to repetition
            }
            if (i == 0) {
                check(db, handDb[0]); // the first repetition runs mig, then pgloader, then the pipeline: both targets still here
            }
        }
        long peak = peakKb[0];
        String checksumHow = how[1];
        report.timing("A. SQLite G0 -> PostgreSQL G2, empty target", "mig", mig, bench.rows, Bench.mb(peak),
                "peak RSS of the whole run (map and both checksums); " + how[0]);
        report.timing("A.", "pgloader", loader, bench.rows, "-", "copies the G0 table as it is (it has no per-column "
                + "expressions: no renames, upper(event) or UTC timestamps), workers = 2");
        report.timing("A.", "sqlite3 -csv \\| psql \\copy", hand, bench.rows, "-", "the same transform in SQLite's SQL, "
                + "one COPY");
        report.timing("C. checksum legacy -> new, across databases", "mig", checksumCross, bench.rows, "-",
                "the source through the map, per key against the target");
        report.timing("C. checksum of two tables in one PostgreSQL database", "mig", checksumSame, bench.rows, "-",
                "the copy made by CREATE TABLE AS just before; " + checksumHow);
        report.ratio("A. plain map vs pgloader", "< 0.9x", mig, loader, 0.9, true);
        report.ratio("A. plain map vs hand pipeline", "<= 1.1x", mig, hand, 1.1, false);
        report.ratio("C. checksum across databases vs the map", "< 1x (faster)", checksumCross, mig, 1.0, true);
        long same = checksumSame.median();
        report.goal("C. checksum in one PostgreSQL database", ">= 1,000,000 rows/s", same <= 0 ? "failed"
                : String.format("**%,d rows/s** (%s)", bench.rows * 1000L / same, Report.seconds(same)), same > 0
                && bench.rows * 1000L / same >= 1_000_000);
        report.goal("D. case A's peak RSS", "<= 575 MB", Bench.mb(peak), peak > 0 && peak <= 575 * 1024);
        String profiled = emptyTarget();
        bench.settle(profiled);
        bench.profile("A. map, SQLite -> PostgreSQL", script("a-profile.mig", mapScript("91", source, "")
                .formatted(bench.url(profiled))), () -> { });
        // the checksum alone, on the table that map just wrote (it uses the map migration 91 recorded)
        bench.profile("C. checksum across databases", script("c-profile.mig", """
                migration 94 'bench'
                connect legacy '%s' readonly
                connect pg '%s'
                checksum legacy.history -> pg.history
                """.formatted(source, bench.url(profiled))), () -> { });
    }

    /** mig's result and the hand pipeline's agree, read with plain SQL (a benchmark of a wrong result is worthless). */
    private void check(String migDb, String handDb) throws Exception {
        String digest = "SELECT md5(string_agg(concat_ws('|', id, memory_id, old_memory, new_memory, event, created_at, "
                + "updated_at, is_deleted, actor_id, role), ',' ORDER BY id)) FROM history";
        String a = bench.query(migDb, digest);
        String b = bench.query(handDb, digest);
        if (!a.equals(b)) {
            throw new IllegalStateException("mig and the hand pipeline wrote different tables: " + a + " vs " + b);
        }
    }

    private long pgloader(Path sqlite, String db) throws Exception {
        Path load = script("a.load", """
                LOAD DATABASE
                  FROM sqlite://%s
                  INTO %s
                WITH include drop, create tables, create indexes, reset sequences, workers = 2, concurrency = 1
                CAST type datetime to timestamptz drop default using zero-dates-to-null
                ;
                """.formatted(sqlite, bench.libpq(db)));
        Child c = Child.run(List.of("pgloader", load.toString()), bench.work);
        return c.exit == 0 ? c.millis : -1;
    }

    // ---- B

    void caseB() throws Exception {
        Path g0 = bench.g0("g0.db", bench.rows, 42);
        String sourceDb = bench.newDatabase();
        bench.sql(sourceDb, "CREATE TABLE history (id TEXT PRIMARY KEY, memory_id TEXT, prev_value TEXT, new_value TEXT, "
                + "event TEXT, timestamp TEXT, is_deleted INTEGER)");
        bench.shell("sqlite3 -csv " + g0 + " \"SELECT * FROM history\" | psql -q '" + bench.libpq(sourceDb)
                + "' -c \"\\copy history FROM STDIN WITH (FORMAT csv)\"");
        bench.sql(sourceDb, "VACUUM ANALYZE history");
        bench.pinned.add(sourceDb);
        Runs upsert = new Runs();
        Runs upsertHand = new Runs();
        Runs across = new Runs();
        Runs acrossHand = new Runs();
        String upsertHow = "";
        String acrossHow = "";
        String columns = "memory_id, old_memory, new_memory, event, created_at, updated_at, is_deleted, actor_id, role";
        String set = String.join(", ", Arrays.stream(columns.split(", ")).map(c -> c + " = excluded." + c).toList());
        for (int i = 0; i < bench.repeat; i++) {
            String db = halfFullTarget(g0);
            bench.settle(db);
            Child run = bench.mig(null, script("b1.mig", mapScript("2." + i, "jdbc:sqlite:" + g0, "")
                    .formatted(bench.url(db))), null);
            upsert.add(run.statementMillis("map"));
            upsertHow = run.statementLine("map");
            String handDb = halfFullTarget(g0);
            bench.settle(handDb, db);
            upsertHand.add(bench.shell("sqlite3 -csv " + g0 + " \"" + Bench.G2_SELECT + "\" | psql -q -v ON_ERROR_STOP=1 '"
                    + bench.libpq(handDb) + "' -c 'CREATE TEMP TABLE staged (LIKE history)' "
                    + "-c \"\\copy staged FROM STDIN WITH (FORMAT csv)\" "
                    + "-c 'INSERT INTO history SELECT * FROM staged ON CONFLICT (id) DO UPDATE SET " + set + "'").millis);
            if (i == 0) {
                check(db, handDb);
            }

            String target = emptyTarget();
            bench.settle(target);
            run = bench.mig(null, script("b2.mig", mapScript("3." + i, bench.url(sourceDb), "")
                    .formatted(bench.url(target))), null);
            across.add(run.statementMillis("map"));
            acrossHow = run.statementLine("map");
            String handTarget = emptyTarget();
            bench.settle(handTarget, target);
            acrossHand.add(bench.shell("psql -q -v ON_ERROR_STOP=1 '" + bench.libpq(sourceDb) + "' -c \"\\copy ("
                    + Bench.G2_SELECT.replace("timestamp || 'Z'", "(timestamp || 'Z')::timestamptz")
                    + ") TO STDOUT\" | psql -q -v ON_ERROR_STOP=1 '" + bench.libpq(handTarget)
                    + "' -c \"\\copy history FROM STDIN\"").millis);
            if (i == 0) {
                check(target, handTarget);
            }
        }
        report.timing("B. SQLite -> PostgreSQL, target holds half the rows", "mig", upsert, bench.rows, "-", upsertHow);
        report.timing("B.", "sqlite3 -csv \\| psql: COPY into a temporary table, INSERT ... ON CONFLICT DO UPDATE", upsertHand,
                bench.rows, "-", "one session");
        report.timing("B. PostgreSQL -> PostgreSQL, another database", "mig", across, bench.rows, "-", acrossHow);
        report.timing("B.", "psql \\copy (SELECT ...) TO STDOUT \\| psql \\copy FROM STDIN", acrossHand, bench.rows, "-",
                "the transform in the source's SQL");
        report.ratio("B. upsert into a half-full table vs hand-written", "<= 1.2x", upsert, upsertHand, 1.2, false);
        report.ratio("B. PostgreSQL -> PostgreSQL vs hand-written COPY", "<= 1.2x", across, acrossHand, 1.2, false);
        bench.profile("B. map into a half-full table", script("b1-profile.mig", mapScript("92", "jdbc:sqlite:" + g0, "")
                .formatted(bench.url(halfFullTarget(g0)))), () -> { });
        bench.profile("B. map PostgreSQL -> PostgreSQL", script("b2-profile.mig", mapScript("93", bench.url(sourceDb), "")
                .formatted(bench.url(emptyTarget()))), () -> { });
    }

    // ---- D

    void caseD(int bigRows) throws Exception {
        Path big = bench.g0("big.db", bigRows, 5);
        String db = emptyTarget();
        bench.settle(db);
        Child run = bench.mig("256m", script("d.mig", mapScript("4", "jdbc:sqlite:" + big,
                "assert count(pg.history) = count(legacy.history)").formatted(bench.url(db))), null);
        Runs map = new Runs();
        map.add(run.statementMillis("map"));
        boolean ok = run.exit == 0 && bench.query(db, "SELECT count(*) FROM history").equals(String.valueOf(bigRows));
        report.timing("D. " + String.format("%,d", bigRows) + " rows SQLite -> PostgreSQL, -Xmx256m", "mig", map, bigRows,
                Bench.mb(run.peakKb), "resident set at 25/50/75/100% of the run: " + run.rssCurve() + "; "
                        + run.statementLine("map"));
        long quarter = run.rssKb.isEmpty() ? -1 : run.rssKb.get(run.rssKb.size() / 4);
        long last = run.rssKb.isEmpty() ? -1 : run.rssKb.get(run.rssKb.size() - 1);
        report.goal("D. 5,000,000 rows under -Xmx256m, flat RSS", "succeeds; RSS at the end within 10% of RSS at a quarter",
                (ok ? "succeeded, count checked with SQL" : "FAILED: " + run.lastLines()) + "; RSS " + run.rssCurve(),
                ok && quarter > 0 && last <= quarter * 1.1);
    }
}
