package dev.mig.pushdown;

import dev.mig.db.RowWriter;
import dev.mig.db.TableInfo;
import dev.mig.syntax.Stmt;
import java.util.List;

/** A map resolved against its tables, as far as its SQL needs it (the map engine's CompiledMap is one). */
public interface MapShape {
    /** One line, with its target split into column and JSON path, and its value's form (decided once). */
    record Line(Stmt.MapLine line, String column, List<String> path, boolean star, String starSource, LineForm form) {
    }

    Stmt.MapTable map();

    TableInfo source();

    TableInfo target();

    boolean inPlace();

    /** The target columns that identify a row. */
    List<String> key();

    /** The target columns written, in order. */
    List<String> written();

    /** The lines that write this target column, or null for an in-place key column. */
    List<Line> lines(String column);

    RowWriter.Mode mode();
}
