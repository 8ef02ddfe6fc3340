package dev.mig.run.session;

import dev.mig.data.Row;
import dev.mig.data.Values;
import dev.mig.db.TableInfo;
import java.util.ArrayList;
import java.util.List;

/** How a row is named in messages: by its primary key, else by its first column. */
public final class Keys {
    private Keys() {
    }

    public static String describe(TableInfo table, Row row) {
        List<String> key = table.primaryKey().isEmpty() ? List.of(table.columns().get(0).name()) : table.primaryKey();
        List<String> parts = new ArrayList<>();
        for (String k : key) {
            parts.add(k + "=" + Values.describe(row.get(k)));
        }
        return String.join(", ", parts);
    }
}
