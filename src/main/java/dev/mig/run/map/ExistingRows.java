package dev.mig.run.map;

import dev.mig.data.Canonical;
import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * For {@code map ... on conflict keep}: looks a mapped row's key up in the target. A key that is
 * not there is written; one that is there with the same values (canonically, as checksums compare)
 * is already done; one there with other values is a conflict the map reports instead of guessing.
 */
final class ExistingRows {
    /** What the target holds for a mapped row's key. */
    sealed interface Found permits Absent, Same, Differs {
    }

    record Absent() implements Found {
    }

    record Same() implements Found {
    }

    /** The target's row differs in these columns (target values shown in the reason). */
    record Differs(String reason) implements Found {
    }

    private final Database db;
    private final List<Column> key;
    private final List<Column> columns;
    private final String select;

    ExistingRows(Database db, TableInfo target, List<String> key, List<String> written) {
        this.db = db;
        this.key = key.stream().map(target::column).toList();
        this.columns = written.stream().map(target::column).toList();
        StringBuilder sql = new StringBuilder("SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i > 0 ? ", " : "").append(db.dialect().quote(columns.get(i).name()));
        }
        sql.append(" FROM ").append(db.dialect().table(target.name())).append(" WHERE ");
        for (int i = 0; i < this.key.size(); i++) {
            sql.append(i > 0 ? " AND " : "").append(db.dialect().quote(this.key.get(i).name())).append(" = ")
                    .append(db.dialect().placeholder(this.key.get(i)));
        }
        this.select = sql.toString();
    }

    Found lookUp(Map<String, Object> mapped) throws SQLException {
        try (PreparedStatement ps = db.connection().prepareStatement(select)) {
            for (int i = 0; i < key.size(); i++) {
                db.dialect().bind(ps, i + 1, mapped.get(key.get(i).name()), key.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Absent();
                }
                List<String> differ = new ArrayList<>();
                for (int i = 0; i < columns.size(); i++) {
                    Column c = columns.get(i);
                    Object there = db.dialect().read(rs, i + 1, c);
                    if (!Canonical.value(there, c.type()).equals(Canonical.value(mapped.get(c.name()), c.type()))) {
                        differ.add(c.name() + " (the target has " + Canonical.value(there, c.type()) + ")");
                    }
                }
                return differ.isEmpty() ? new Same()
                        : new Differs("conflict: the key is already in the target with another " + String.join(", ", differ)
                                + "; the target's row is kept");
            }
        }
    }
}
