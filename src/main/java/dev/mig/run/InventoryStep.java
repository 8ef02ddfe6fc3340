package dev.mig.run;

import dev.mig.data.Values;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.mem0.Formats;
import dev.mig.mem0.PayloadEras;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.run.session.TextTable;
import dev.mig.syntax.Stmt;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** inventory: tables, columns, row counts, the mem0 format of each, and the payload eras of collections. */
final class InventoryStep implements Step<Stmt.Inventory> {
    private final Session session;

    InventoryStep(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Inventory s) {
        Database db = session.connections().db(s.conn(), s.target());
        List<String> names = s.table() == null ? db.tables() : List.of(s.table());
        TextTable table = new TextTable("table", "rows", "mem0 format", "columns");
        List<String> notes = new ArrayList<>();
        long total = 0;
        for (String name : names) {
            TableInfo info = db.describe(name);
            if (info == null) {
                throw session.error(s.target(), "no table " + name + " on '" + s.conn() + "'");
            }
            long rows = count(db, info, s);
            total += rows;
            String format = Formats.recognise(info);
            table.row(name, Long.toString(rows), format, columns(info));
            List<String> dropped = Formats.droppedByMem0Upgrade(format);
            if (!dropped.isEmpty()) {
                notes.add(name + ": mem0's own upgrade to G2 would drop " + String.join(", ", dropped)
                        + "; a mig map keeps them");
            }
            if (Formats.isCollection(info)) {
                notes.add(name + " payloads: " + eras(db, info, s).describe());
            }
        }
        session.out().line("inventory " + s.conn() + " (" + db.kind() + ", " + db.redactedUrl() + ")");
        for (String line : table.lines("  ")) {
            session.out().line(line);
        }
        for (String note : notes) {
            session.out().line("  " + note);
        }
        return new StepResult(total, 0, 0, null, names.size() + " table" + (names.size() == 1 ? "" : "s") + ", "
                + total + " rows");
    }

    private static String columns(TableInfo info) {
        List<String> out = new ArrayList<>();
        for (Column c : info.columns()) {
            out.add(c.name() + " " + (c.declaredType().isEmpty() ? "(any)" : c.declaredType())
                    + (c.pkPosition() > 0 ? " pk" : ""));
        }
        return String.join(", ", out);
    }

    private long count(Database db, TableInfo info, Stmt.Inventory s) {
        String sql = "SELECT count(*) FROM " + db.dialect().table(info.name());
        try (PreparedStatement ps = db.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("cannot count " + info.name(), e));
        }
    }

    private PayloadEras eras(Database db, TableInfo info, Stmt.Inventory s) {
        PayloadEras eras = new PayloadEras();
        String payload = info.column("payload").name();
        try {
            new TableReader(db, info).ordered(List.of(), row -> {
                Object value = row.get(payload);
                eras.add(value instanceof String text ? parse(text) : value);
            }, session.settings().fetch());
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("cannot read " + info.name(), e));
        }
        return eras;
    }

    private static Object parse(String text) {
        try {
            return Values.parseJson(text);
        } catch (RuntimeException e) {
            return text;
        }
    }
}
