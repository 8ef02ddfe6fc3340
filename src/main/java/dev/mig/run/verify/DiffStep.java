package dev.mig.run.verify;

import dev.mig.db.Column;
import dev.mig.db.TableInfo;
import dev.mig.run.map.CompiledMap;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.run.session.TextTable;
import dev.mig.syntax.QName;
import dev.mig.syntax.Stmt;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * diff: column-by-column schema review of two tables, and which differences a map of the script
 * accounts for (a column renamed by a map line, a new column the map fills).
 */
public final class DiffStep implements Step<Stmt.Diff> {
    private final Session session;
    private final List<Stmt.MapTable> scriptMaps;

    DiffStep(Session session, List<Stmt.MapTable> scriptMaps) {
        this.session = session;
        this.scriptMaps = scriptMaps;
    }

    public DiffStep(Session session) {
        this(session, session.memory().scriptMaps());
    }

    @Override
    public StepResult run(Stmt.Diff s) {
        TableInfo left = session.connections().table(s.left());
        TableInfo right = session.connections().table(s.right());
        Stmt.MapTable map = null;
        for (Stmt.MapTable m : scriptMaps) {
            if (m.source().sameTable(s.left()) && m.target().sameTable(s.right())) {
                map = m;
            }
        }
        TextTable table = new TextTable("column", s.left().toString(), s.right().toString(), "difference");
        int differences = 0;
        for (Column a : left.columns()) {
            Column b = right.column(a.name());
            if (b == null) {
                differences++;
                table.row(a.name(), a.declaredType(), "-", "missing in " + s.right() + accountedFrom(map, a.name()));
            } else if (!a.declaredType().equalsIgnoreCase(b.declaredType())) {
                differences++;
                table.row(a.name(), a.declaredType(), b.declaredType(), "type " + a.type().name().toLowerCase()
                        + (a.type() == b.type() ? "" : " -> " + b.type().name().toLowerCase()));
            } else {
                table.row(a.name(), a.declaredType(), b.declaredType(), "same");
            }
        }
        for (Column b : right.columns()) {
            if (left.column(b.name()) == null) {
                differences++;
                table.row(b.name(), "-", b.declaredType(), "added in " + s.right() + accountedTo(map, b.name()));
            }
        }
        List<String> lines = table.lines("  ");
        for (String line : lines) {
            session.out().line(line);
        }
        String message = differences + " difference" + (differences == 1 ? "" : "s")
                + (map == null ? "" : " (map at line " + map.span().line() + " considered)");
        if (s.to() != null) {
            Path file = session.path(s.to());
            write(s, file, left, right, lines, message);
            message += ", written to " + file;
        }
        return StepResult.of(message);
    }

    private static String accountedFrom(Stmt.MapTable map, String column) {
        if (map == null) {
            return "";
        }
        List<String> targets = new ArrayList<>();
        for (Stmt.MapLine line : map.lines()) {
            if (CompiledMap.names(line.source(), new ArrayList<>()).stream().anyMatch(q -> q.first().equalsIgnoreCase(column))) {
                targets.add(line.target().source());
            }
        }
        if (targets.isEmpty()) {
            return "; NOT used by the map (its data is not carried over)";
        }
        boolean renamed = map.lines().stream().anyMatch(l -> l.source() instanceof QName q && q.size() == 1
                && q.first().equalsIgnoreCase(column));
        return (renamed && targets.size() == 1 ? "; renamed by the map to " : "; the map carries it into ")
                + String.join(", ", targets);
    }

    private static String accountedTo(Stmt.MapTable map, String column) {
        if (map == null) {
            return "";
        }
        for (Stmt.MapLine line : map.lines()) {
            if (line.target().first().equalsIgnoreCase(column)) {
                return "; filled by the map (line " + line.span().line() + ")";
            }
        }
        return "; not filled by the map (stays null or default)";
    }

    private void write(Stmt.Diff s, Path file, TableInfo left, TableInfo right, List<String> lines, String message) {
        StringBuilder md = new StringBuilder("# Schema review: " + s.left() + " vs " + s.right() + "\n\n");
        md.append(message).append(".\n\n| column | ").append(s.left()).append(" | ").append(s.right())
                .append(" | difference |\n|---|---|---|---|\n");
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.trim().split("\\s{2,}", 4);
            md.append("| ").append(String.join(" | ", cells)).append(" |\n");
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw session.error(s.span(), "cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
