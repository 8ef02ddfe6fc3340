package dev.mig.db.internal;

import dev.mig.db.Column;
import dev.mig.db.Database;
import dev.mig.db.Dialect;
import dev.mig.db.TableInfo;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mig.data.Canonical;
import dev.mig.data.LogicalType;
import dev.mig.data.Timestamps;
import dev.mig.data.Values;
import dev.mig.data.Vector;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

/**
 * PostgreSQL: values travel as text with an explicit CAST to the column's declared type, so any
 * type (jsonb, timestamptz, uuid, arrays, pgvector's vector or a domain) is written as it reads.
 */
public final class Postgres implements Dialect {
    @Override
    public String name() {
        return "postgresql";
    }

    @Override
    public List<String> tables(Connection c) throws SQLException {
        List<String> out = new ArrayList<>();
        String sql = "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')"
                + " ORDER BY schemaname = current_schema() DESC, schemaname, tablename";
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String schema = rs.getString(1);
                out.add(schema.equals(currentSchema(c)) ? rs.getString(2) : schema + "." + rs.getString(2));
            }
        }
        return out;
    }

    private static String currentSchema(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT current_schema()"); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getString(1);
        }
    }

    @Override
    public TableInfo describe(Connection c, String table) throws SQLException {
        String regclass = table(table);
        String sql = """
                SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
                       coalesce(array_position(i.indkey::int2[], a.attnum) - array_lower(i.indkey::int2[], 1) + 1, 0),
                       t.typtype, format_type(t.typbasetype, t.typtypmod),
                       coalesce((SELECT CASE WHEN co.collname = 'default'
                                             THEN (SELECT datcollate FROM pg_database WHERE datname = current_database())
                                             ELSE co.collcollate END
                                 FROM pg_collation co WHERE co.oid = a.attcollation)
                                IN ('C', 'POSIX', 'C.UTF-8', 'C.utf8'), false)
                FROM pg_attribute a
                JOIN pg_type t ON t.oid = a.atttypid
                LEFT JOIN pg_index i ON i.indrelid = a.attrelid AND i.indisprimary
                WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped
                ORDER BY a.attnum""";
        List<Column> columns = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, regclass);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String declared = rs.getString(2);
                    // A domain reads as its base type: one named vector over real[] is an array, not pgvector's type
                    String logicalFrom = "d".equals(rs.getString(5)) ? rs.getString(6) : declared;
                    columns.add(new Column(rs.getString(1), declared, LogicalType.of(logicalFrom), rs.getInt(4), rs.getBoolean(3),
                            rs.getBoolean(7)));
                }
            }
        }
        if (columns.isEmpty()) {
            return null;
        }
        List<List<String>> unique = new ArrayList<>();
        String uniqueSql = """
                SELECT array_agg(a.attname ORDER BY k.ord)
                FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                WHERE i.indrelid = to_regclass(?) AND i.indisunique AND i.indpred IS NULL
                GROUP BY i.indexrelid""";
        try (PreparedStatement ps = c.prepareStatement(uniqueSql)) {
            ps.setString(1, regclass);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    unique.add(List.of((String[]) rs.getArray(1).getArray()));
                }
            }
        }
        return new TableInfo(table, columns, unique);
    }

    @Override
    public Object read(ResultSet rs, int i, Column column) throws SQLException {
        Object value;
        switch (column.type()) {
            case INTEGER -> value = rs.getLong(i);
            case FLOAT -> value = rs.getBigDecimal(i);
            case BOOLEAN -> value = rs.getBoolean(i);
            case TIMESTAMP -> {
                String declared = column.declaredType();
                if (declared.equals("date")) {
                    LocalDate d = rs.getObject(i, LocalDate.class);
                    value = d == null ? null : d.toString();
                } else if (declared.contains("with time zone")) {
                    OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                    value = t == null ? null : Timestamps.format(t.toInstant());
                } else {
                    LocalDateTime t = rs.getObject(i, LocalDateTime.class);
                    value = t == null ? null : Timestamps.format(t.toInstant(ZoneOffset.UTC));
                }
            }
            case JSON -> {
                String text = rs.getString(i);
                value = text == null ? null : Values.parseJson(text);
            }
            case BINARY -> value = rs.getBytes(i);
            case VECTOR -> {
                String text = rs.getString(i);
                value = text == null ? null : Vector.of(text);
            }
            default -> value = rs.getString(i);
        }
        return rs.wasNull() ? null : value;
    }

    /**
     * A timestamp as PostgreSQL's own text when that is UTC ISO text (the session's time zone is UTC):
     * canonical already, where parsing it into an OffsetDateTime and formatting it again cost a fifth of
     * a checksum's target side. Other text (BC, infinity, another zone) is read as {@link #read} reads it.
     */
    @Override
    public Object readForDigest(ResultSet rs, int i, Column column) throws SQLException {
        if (column.type() != LogicalType.TIMESTAMP || column.declaredType().equals("date")) {
            return read(rs, i, column);
        }
        String text = rs.getString(i);
        if (text == null) {
            return null;
        }
        String utc = column.declaredType().contains("with time zone") ? text : text + "+00"; // read() takes a naive time as UTC
        return Canonical.instantTextEnd(utc) >= 0 ? utc : read(rs, i, column);
    }

    @Override
    public void bind(PreparedStatement ps, int i, Object value, Column column) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.VARCHAR);
        } else if (value instanceof byte[] bytes) {
            ps.setBytes(i, bytes);
        } else {
            ps.setString(i, text(value, column));
        }
    }

    /** The text PostgreSQL reads a value of this column from (for CAST and for COPY). */
    /** The text of small whole numbers (flags, counts, enum codes), made once rather than once a row. */
    private static final String[] SMALL = IntStream.range(0, 1024).mapToObj(Integer::toString)
            .toArray(String[]::new);

    static String text(Object value, Column column) {
        if (value instanceof Long l && l >= 0 && l < SMALL.length) {
            return SMALL[l.intValue()];
        }
        if (value instanceof Number n) {
            return Canonical.number(n);
        }
        if (value instanceof byte[] bytes) {
            return "\\x" + HexFormat.of().formatHex(bytes);
        }
        if (value instanceof JsonNode node && node.isArray()
                && column != null && column.type() != LogicalType.JSON) {
            return arrayLiteral(node);
        }
        return Values.text(value);
    }

    /** A JSON array as a PostgreSQL array literal: [1, 2.5] -> {1,2.5}, ["a b"] -> {"a b"}. */
    static String arrayLiteral(JsonNode array) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < array.size(); i++) {
            JsonNode item = array.get(i);
            out.append(i > 0 ? "," : "");
            if (item.isNull()) {
                out.append("NULL");
            } else if (item.isArray()) {
                out.append(arrayLiteral(item));
            } else if (item.isNumber() || item.isBoolean()) {
                out.append(item.asText());
            } else {
                out.append('"').append(item.asText().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
            }
        }
        return out.append('}').toString();
    }

    @Override
    public String placeholder(Column column) {
        if (column.type() == LogicalType.BINARY) {
            return "?";
        }
        return "CAST(? AS " + column.castType() + ")";
    }


    @Override
    public String orderKey(Column column) {
        String name = quote(column.name());
        return column.type() == LogicalType.TEXT && !column.codePointOrder() ? name + " COLLATE \"C\"" : name;
    }

    @Override
    public Sql sql() {
        return Sql.POSTGRES;
    }

    @Override
    public String asText(String expression) {
        return expression + "::text";
    }

    @Override
    public String autoIncrementId() {
        return "id BIGSERIAL PRIMARY KEY";
    }

    @Override
    public String dryRunNote() {
        return "nothing is committed";
    }

    @Override
    public String orderKeyAsText(Column column) {
        return "CAST(" + quote(column.name()) + " AS TEXT) COLLATE \"C\"";
    }

    @Override
    public String indexNamesQuery() {
        return "SELECT indexname FROM pg_indexes WHERE tablename = ? AND schemaname = current_schema() ORDER BY 1";
    }

    @Override
    public String changePosition(Database db, TableInfo table) {
        return table.column("xmin") == null ? "(xmin::text::bigint)" : null;
    }

    @Override
    public boolean concurrentWriters() {
        return true;
    }

    @Override
    public void lockAgainstWriters(Statement st, String table) throws SQLException {
        st.execute("LOCK TABLE " + table(table) + " IN SHARE ROW EXCLUSIVE MODE");
    }

    @Override
    public String reclaimBesideWriters(Statement st, String table) throws SQLException {
        st.execute("VACUUM " + table(table));
        return "dead rows vacuumed (VACUUM: their space is reused by the table; VACUUM FULL would lock writers out while it "
                + "rewrites it)";
    }

    @Override
    public String reclaim(Statement st, String table) throws SQLException {
        st.execute("VACUUM (FULL) " + table(table));
        return "storage reclaimed (VACUUM FULL)";
    }

    @Override
    public String removeJsonKey(String table, Column column, List<String> path) {
        String c = quote(column.name());
        String array = "'{" + String.join(",", path.stream().map(p -> "\"" + p.replace("\"", "\\\"").replace("'", "''") + "\"").toList()) + "}'";
        boolean jsonb = column.declaredType().equalsIgnoreCase("jsonb");
        String value = jsonb ? c : c + "::jsonb";
        String removed = jsonb ? value + " #- " + array : "(" + value + " #- " + array + ")::" + column.declaredType();
        return "UPDATE " + table(table) + " SET " + c + " = " + removed + " WHERE jsonb_typeof(" + value + ") = 'object' AND "
                + value + " #> " + array + " IS NOT NULL";
    }
}
