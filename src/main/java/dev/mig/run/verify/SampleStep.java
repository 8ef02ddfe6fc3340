package dev.mig.run.verify;

import dev.mig.data.Canonical;
import dev.mig.data.Convert;
import dev.mig.data.EvalException;
import dev.mig.data.Evaluator;
import dev.mig.data.Row;
import dev.mig.data.Values;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.run.map.CompiledMap;
import dev.mig.run.session.RowTable;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Printer;
import dev.mig.syntax.Stmt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Predicate;

/**
 * sample: N source rows chosen at random (reservoir sampling over the key-ordered table, so the
 * same seed gives the same rows), each shown beside the target row with the same key.
 */
public final class SampleStep implements Step<Stmt.Sample> {
    private final Session session;

    public SampleStep(Session session) {
        this.session = session;
    }

    /** sample N A.t [where c] [seed S]: N random rows of one table, shown as a table (the same seed, the same rows). */
    private StepResult oneTable(Stmt.Sample s) {
        TableInfo table = session.connections().table(s.source());
        Database db = session.connections().db(s.source());
        long seed = s.seed() != null ? s.seed() : new Random().nextLong() & 0xffffffffL;
        Evaluator evaluator = session.evaluator();
        long[] seen = {0};
        List<Row> reservoir = reservoir(s, db, table, seed, seen, row -> {
            try {
                return s.where() == null || evaluator.test(s.where(), row);
            } catch (EvalException e) {
                return false; // a row the condition cannot be evaluated on is not one it selects
            }
        });
        List<String> columns = table.columnNames();
        List<List<Object>> rows = new ArrayList<>();
        for (Row row : reservoir) {
            List<Object> values = new ArrayList<>();
            for (String c : columns) {
                values.add(row.get(c));
            }
            rows.add(values);
        }
        for (String line : RowTable.lines(columns, rows, rows.size(), session.settings().expanded())) {
            session.out().line(line);
        }
        return new StepResult(seen[0], 0, 0, null, reservoir.size() + " of " + seen[0] + " rows"
                + (s.where() == null ? "" : " where " + Printer.expr(s.where())) + ", seed " + seed, true);
    }

    /**
     * N rows chosen uniformly from the rows {@code selected} accepts (reservoir sampling over the table in key
     * order, so the same seed gives the same rows); {@code seen[0]} counts the rows it accepted.
     */
    private List<Row> reservoir(Stmt.Sample s, Database db, TableInfo table, long seed, long[] seen,
                                Predicate<Row> selected) {
        Random random = new Random(seed);
        List<Row> reservoir = new ArrayList<>();
        TableReader reader = new TableReader(db, table);
        try {
            reader.everyRow(reader.pageKey().equals(List.of("rowid")) ? List.of() : table.primaryKey(), row -> {
                if (!selected.test(row)) {
                    return;
                }
                seen[0]++;
                if (reservoir.size() < s.count()) {
                    reservoir.add(row);
                } else {
                    long j = (long) (random.nextDouble() * seen[0]);
                    if (j < s.count()) {
                        reservoir.set((int) j, row);
                    }
                }
            }, session.settings().fetch());
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("cannot read " + s.source(), e));
        }
        return reservoir;
    }

    /** One field of one sampled row: where it came from, where it went, both values. */
    private record Field(String from, String fromValue, String to, String toValue, boolean same) {
    }

    @Override
    public StepResult run(Stmt.Sample s) {
        if (s.target() == null) {
            return oneTable(s);
        }
        Stmt.MapTable map = session.memory().mapOrRecorded(s.source(), s.target());
        CompiledMap compiled = map == null ? null : CompiledMap.compile(session, map);
        TableInfo source = session.connections().table(s.source());
        TableInfo target = session.connections().table(s.target());
        Database sourceDb = session.connections().db(s.source());
        Database targetDb = session.connections().db(s.target());
        long seed = s.seed() != null ? s.seed() : new Random().nextLong() & 0xffffffffL;
        Evaluator evaluator = session.evaluator();
        long[] seen = {0};
        List<Row> reservoir = reservoir(s, sourceDb, source, seed, seen,
                row -> compiled == null || safeSelects(compiled, evaluator, row));
        List<String> key = compiled != null ? compiled.key()
                : target.primaryKey().isEmpty() ? source.primaryKey() : target.primaryKey();
        List<String> sections = new ArrayList<>();
        List<String> console = new ArrayList<>();
        int same = 0;
        TableReader targetReader = new TableReader(targetDb, target);
        for (Row row : reservoir) {
            Map<String, Object> expected = null;
            String problem = null;
            try {
                expected = compiled != null ? compiled.transform(row, evaluator) : row.values();
            } catch (EvalException e) {
                problem = "the map rejects this row: " + e.getMessage();
            }
            List<Object> keyValues = new ArrayList<>();
            StringBuilder described = new StringBuilder();
            for (String k : key) {
                Object v = expected != null ? expected.get(target.column(k).name()) : row.get(k);
                keyValues.add(v);
                described.append(described.length() > 0 ? ", " : "").append(k).append('=').append(Values.describe(v));
            }
            Row found = null;
            if (expected != null) {
                try {
                    List<Row> rows = targetReader.byKey(key, keyValues);
                    found = rows.isEmpty() ? null : rows.get(0);
                } catch (SQLException e) {
                    throw session.error(s.span(), targetDb.error("cannot read " + s.target(), e));
                }
                if (found == null) {
                    problem = "no row with this key in " + s.target();
                }
            }
            List<Field> fields = fields(compiled, source, target, row, expected, found, evaluator);
            boolean allSame = problem == null && fields.stream().allMatch(Field::same);
            same += allSame ? 1 : 0;
            sections.add(markdown(described.toString(), fields, problem));
            console.add("  " + described + ": " + (allSame ? "same" : problem != null ? problem
                    : "DIFFERS in " + String.join(", ", fields.stream().filter(f -> !f.same()).map(Field::to).toList())));
        }
        String summary = reservoir.size() + " of " + seen[0] + " rows, seed " + seed + ", " + same + " as mapped";
        if (s.to() != null) {
            Path file = session.path(s.to());
            write(s, file, summary, sections);
            summary += ", written to " + file;
        }
        for (String line : console) {
            session.out().line(line);
        }
        return new StepResult(reservoir.size(), 0, 0, null, summary);
    }

    private static boolean safeSelects(CompiledMap compiled, Evaluator evaluator, Row row) {
        try {
            return compiled.selects(evaluator, row);
        } catch (EvalException e) {
            return true; // shown as rejected by the map
        }
    }

    private static List<Field> fields(CompiledMap compiled, TableInfo source, TableInfo target, Row row,
                                      Map<String, Object> expected, Row found, Evaluator evaluator) {
        List<Field> out = new ArrayList<>();
        if (compiled != null) {
            for (Stmt.MapLine line : compiled.map().lines()) {
                String column = target.column(line.target().first()).name();
                Object fromValue;
                try {
                    fromValue = evaluator.eval(line.source(), row);
                } catch (EvalException e) {
                    fromValue = "(" + e.getMessage() + ")";
                }
                Column c = target.column(column);
                String want = expected == null ? null : Canonical.value(expected.get(column), c.type());
                String got = found == null ? null : Canonical.value(found.get(column), c.type());
                out.add(new Field(Printer.expr(line.source()), Values.describe(fromValue), line.target().source(),
                        found == null ? "-" : Values.describe(found.get(column)), want != null && want.equals(got)));
            }
            return out;
        }
        for (Column c : target.columns()) {
            if (source.column(c.name()) == null) {
                continue;
            }
            Object from = row.get(c.name());
            Object to = found == null ? null : found.get(c.name());
            String want = Canonical.value(safeConvert(c, from), c.type());
            String got = Canonical.value(to, c.type());
            out.add(new Field(c.name(), Values.describe(from), c.name(), found == null ? "-" : Values.describe(to),
                    found != null && want.equals(got)));
        }
        return out;
    }

    private static Object safeConvert(Column c, Object v) {
        try {
            return Convert.to(c.type(), v);
        } catch (EvalException e) {
            return v;
        }
    }

    private static String markdown(String key, List<Field> fields, String problem) {
        StringBuilder out = new StringBuilder("## " + key + "\n\n");
        if (problem != null) {
            out.append("**").append(problem).append("**\n\n");
        }
        out.append("| legacy field | legacy value | new field | new value | |\n|---|---|---|---|---|\n");
        for (Field f : fields) {
            out.append("| ").append(cell(f.from())).append(" | ").append(cell(f.fromValue())).append(" | ")
                    .append(cell(f.to())).append(" | ").append(cell(f.toValue())).append(" | ")
                    .append(f.same() ? "same" : "**differs**").append(" |\n");
        }
        return out.toString();
    }

    private static String cell(String s) {
        return s.replace("|", "\\|").replace("\n", " ");
    }

    private void write(Stmt.Sample s, Path file, String summary, List<String> sections) {
        StringBuilder out = new StringBuilder("# Sample: " + s.source() + " -> " + s.target() + "\n\n" + summary
                + ". Re-run with `seed` to see the same rows.\n\n");
        for (String section : sections) {
            out.append(section).append('\n');
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw session.error(s.span(), "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
