package dev.mig.bench;

import dev.mig.bench.Report.Runs;
import dev.mig.mem0.LegacyData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;

/** Goal E: a collection's payloads normalised in place (PostgreSQL), mig with nothing set against one hand-written UPDATE. */
final class CollectionCase {
    static final String HAND_WRITTEN = """
            UPDATE mem0 SET payload = payload || jsonb_build_object(
              'created_at', to_char(ts(payload->>'created_at') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
              'updated_at', to_char(ts(coalesce(payload->>'updated_at', payload->>'created_at')) AT TIME ZONE 'UTC',
                                    'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
              'hash', md5(payload->>'data'))
            WHERE payload->>'data' IS NOT NULL""";

    private final Bench bench;

    CollectionCase(Bench bench) {
        this.bench = bench;
    }

    void caseE() throws Exception {
        String db = bench.newDatabase();
        try (Connection c = DriverManager.getConnection(bench.url(db))) {
            LegacyData.collection(c, "mem0_template", bench.rows, 7, "real[]", true);
        }
        bench.pinned.add(db);
        Path script = bench.work.resolve("e.mig");
        Runs mig = new Runs();
        Runs hand = new Runs();
        String how = "";
        for (int i = 0; i < bench.repeat; i++) {
            fresh(db);
            Files.writeString(script, script("5." + i, db));
            bench.settle();
            Child run = bench.mig(null, script, null);
            mig.add(run.statementMillis("map"));
            how = run.statementLine("map");
            fresh(db);
            bench.settle();
            long start = System.nanoTime();
            try (Connection c = DriverManager.getConnection(bench.url(db)); Statement s = c.createStatement()) {
                s.execute("SET TIME ZONE 'UTC'");
                s.executeUpdate(HAND_WRITTEN);
            }
            hand.add((System.nanoTime() - start) / 1_000_000);
        }
        bench.report.timing("E. collection payloads normalised in place (PostgreSQL)", "mig", mig, bench.rows, "-", how);
        bench.report.timing("E.", "hand-written SQL", hand, bench.rows, "-", "one UPDATE (docs/benchmarks.md)");
        bench.report.ratio("E. in place vs one hand-written UPDATE", "<= 1.3x", mig, hand, 1.3, false);
        Path profiled = bench.work.resolve("e-profile.mig");
        Files.writeString(profiled, script("95", db));
        bench.profile("E. map in place (the work is SQL in PostgreSQL; this is mig's side)", profiled, () -> {
            try {
                fresh(db);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private String script(String version, String db) {
        return """
                migration %s 'bench E'
                connect pg '%s'
                map pg.mem0 -> pg.mem0 key id {
                  utc(payload.created_at)                               -> payload.created_at
                  utc(coalesce(payload.updated_at, payload.created_at)) -> payload.updated_at
                  md5(payload.data)                                     -> payload.hash
                } where payload.data is not null
                """.formatted(version, bench.url(db));
    }

    private void fresh(String db) throws Exception {
        bench.sql(db, "DROP TABLE IF EXISTS mem0", "CREATE TABLE mem0 AS SELECT * FROM mem0_template",
                "ALTER TABLE mem0 ADD PRIMARY KEY (id)",
                "CREATE OR REPLACE FUNCTION ts(t text) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$ "
                        + "SELECT CASE WHEN t ~ '^[0-9]+(\\.[0-9]+)?$' THEN to_timestamp(t::numeric) ELSE t::timestamptz END $$",
                "VACUUM ANALYZE mem0");
    }
}
