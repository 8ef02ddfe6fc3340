package dev.mig.run.lifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Convert;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.LogicalType;
import dev.mig.data.Row;
import dev.mig.data.Values;
import dev.mig.db.Capture;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import dev.mig.db.RowWriter;
import dev.mig.db.TableInfo;
import dev.mig.run.map.CompiledMap;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.state.ReplayMarks;
import dev.mig.syntax.Stmt;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * replay A.t -> B.u: applies the writes queued since freeze, in queue order, through the map of
 * A.t -> B.u: inserts and updates upsert by key, deletes delete by key. The last seq applied is
 * recorded (mig_replayed) after each page; since every change is a whole-row upsert or delete by
 * key, applying a page again after a crash gives the same result, so each write counts once.
 */
public final class ReplayStep implements Step<Stmt.Replay> {
    private final Session session;
    /** Pages commit as they go (replay), or everything stays in the caller's transaction (cutover). */
    private boolean commitPages = true;

    public ReplayStep(Session session) {
        this.session = session;
    }

    /** The replay inside a transaction the caller holds (writers held off): nothing is committed here. */
    StepResult carryOver(Stmt.Replay s) {
        commitPages = false;
        return run(s);
    }

    @Override
    public StepResult run(Stmt.Replay s) {
        Stmt.MapTable map = session.memory().mapOrRecorded(s.source(), s.target());
        if (map == null) {
            throw session.error(s.span(), "no map " + s.source() + " -> " + s.target() + " ran in this script or before "
                    + "(mig_maps): replay needs it to know how a queued row becomes a target row");
        }
        CompiledMap compiled = CompiledMap.compile(session, map);
        boolean inPlace = compiled.inPlace();
        Database queueDb = session.connections().db(s.source());
        Database target = session.connections().db(s.target());
        TableInfo source = compiled.source();
        Evaluator evaluator = session.evaluator();
        List<String> sourceKey = Capture.keyColumns(queueDb, source);
        String source_ = s.source().toString();
        String target_ = s.target().toString();
        Pass pass;
        try {
            if (queueDb.describe("mig_queue") == null) {
                return StepResult.of("nothing queued (" + s.source() + " was never frozen)");
            }
            ReplayMarks.ensure(queueDb);
            long last = ReplayMarks.last(queueDb, source_, target_);
            RowWriter writer = new RowWriter(target, compiled.target(), compiled.written(), compiled.key(),
                    compiled.mode(), // in place: plain updates, so a row deleted later in the queue is not re-inserted
                    (row, reason) -> session.outputs().rejects().write(s.span().line(), "replay " + source_ + " -> " + target_,
                            target_, row, reason, row));
            pass = new Pass(s, compiled, writer, target, sourceKey, evaluator);
            while (true) {
                List<Object[]> page = page(queueDb, source.name(), last, session.settings().batch());
                if (page.isEmpty()) {
                    break;
                }
                if (commitPages) {
                    queueDb.dialect().endReadBeforeWrite(queueDb); // the page is in memory; never upgrade a read to a write
                }
                for (Object[] entry : page) {
                    pass.apply(entry);
                    last = (Long) entry[0];
                }
                if (inPlace) {
                    // The map rewrites the queued row images in place; its own updates are not queued again.
                    Capture.uncaptured(target, compiled.target(), writer::flush);
                } else {
                    writer.flush();
                }
                if (commitPages) {
                    target.commit();
                }
                ReplayMarks.mark(queueDb, source_, target_, last);
                if (commitPages) {
                    queueDb.commit();
                }
            }
        } catch (SQLException e) {
            throw session.error(s.span(), target.error("replay failed", e));
        }
        long applied = pass.applied;
        long upserts = pass.upserts;
        long deletes = pass.deletes;
        long rejected = pass.rejected;
        return new StepResult(applied, upserts + deletes, rejected, null, applied + " queued writes applied (" + upserts
                + " upserts, " + deletes + " deletes), " + rejected + " rejected");
    }

    /** One replay's way through the queue: each entry applied to the target through the map, counted. */
    private final class Pass {
        private final Stmt.Replay s;
        private final CompiledMap compiled;
        private final RowWriter writer;
        private final Database target;
        private final List<String> sourceKey;
        private final Evaluator evaluator;
        long applied;
        long upserts;
        long deletes;
        long rejected;

        Pass(Stmt.Replay s, CompiledMap compiled, RowWriter writer, Database target, List<String> sourceKey, Evaluator evaluator) {
            this.s = s;
            this.compiled = compiled;
            this.writer = writer;
            this.target = target;
            this.sourceKey = sourceKey;
            this.evaluator = evaluator;
        }

        /** A queue entry {seq, op, old key, new key, row image}: a delete, a key change, or an upsert of the mapped row. */
        void apply(Object[] entry) throws SQLException {
            long seq = (Long) entry[0];
            String op = (String) entry[1];
            Row row = row(compiled.source(), (String) entry[4]);
            applied++;
            if (compiled.inPlace() && op.equals("DELETE")) {
                return; // the row is gone from the table itself
            }
            if (!compiled.inPlace() && (op.equals("DELETE") || op.equals("UPDATE") && keyChanged((String) entry[2], (String) entry[3]))) {
                JsonNode oldKey = Values.parseJson(op.equals("DELETE") ? (String) entry[2] : (String) entry[3]);
                writer.flush();
                deletes += RowWriter.deleteByKey(target, compiled.target(), compiled.key(),
                        List.of(targetKey(compiled, sourceKey, oldKey, s)));
                if (op.equals("DELETE")) {
                    return;
                }
            }
            String source = s.source().toString();
            try {
                if (compiled.selects(evaluator, row)) {
                    writer.add(compiled.transform(row, evaluator));
                    upserts++;
                }
            } catch (EvalException e) {
                rejected++;
                session.outputs().rejects().write(s.span().line(), "replay " + source + " -> " + s.target(), source,
                        keyOf(row, sourceKey), "queue seq " + seq + ": " + e.getMessage(), row.values());
            }
        }
    }

    private static List<Object[]> page(Database db, String table, long after, int size) throws SQLException {
        Dialect d = db.dialect();
        String sql = "SELECT seq, op, " + d.asText("key") + ", " + d.asText("old_key") + ", " + d.asText("row") + " FROM mig_queue "
                + "WHERE table_name = ? AND seq > ? ORDER BY seq LIMIT " + size;
        List<Object[]> out = new ArrayList<>();
        try (PreparedStatement ps = db.connection().prepareStatement(sql)) {
            ps.setString(1, table);
            ps.setLong(2, after);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Object[] {rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5)});
                }
            }
        }
        return out;
    }

    /** A queued row image as a row of the source table (JSON values back to column values). */
    static Row row(TableInfo table, String json) {
        JsonNode node = Values.parseJson(json);
        Map<String, Object> values = new LinkedHashMap<>();
        for (Column c : table.columns()) {
            JsonNode v = node.get(c.name());
            values.put(c.name(), c.type() == LogicalType.JSON ? (v == null || v.isNull() ? null : v)
                    : v != null && v.isArray() ? v : Values.fromJson(v));
        }
        return new Row(values, table.types());
    }

    private static boolean keyChanged(String key, String oldKey) {
        return oldKey != null && !Values.parseJson(key).equals(Values.parseJson(oldKey));
    }

    /** The target key of a source key, through the plain key columns of the map. */
    private List<Object> targetKey(CompiledMap compiled, List<String> sourceKey, JsonNode key, Stmt.Replay s) {
        List<Object> out = new ArrayList<>();
        for (String k : compiled.key()) {
            String from = compiled.plainSource(k);
            if (from == null || key.get(from) == null) {
                throw session.error(s.span(), "a queued delete names its row by " + String.join(", ", sourceKey)
                        + ", but the map does not copy it plainly into the key column " + k);
            }
            out.add(Convert.to(compiled.target().column(k).type(), Values.fromJson(key.get(from))));
        }
        return out;
    }

    private static Map<String, Object> keyOf(Row row, List<String> key) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : key) {
            out.put(k, row.get(k));
        }
        return out;
    }
}
