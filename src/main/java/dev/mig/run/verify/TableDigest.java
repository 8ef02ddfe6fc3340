package dev.mig.run.verify;

import dev.mig.data.Canonical;
import dev.mig.data.Digest;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.db.TableReader;
import dev.mig.pushdown.CanonicalSql;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.syntax.Stmt;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * checksum A.t: the table's digest (row count and an order-independent sum of row hashes), compared with
 * the digest this run saw earlier for the same table (unchanged or CHANGED since that line).
 */
public final class TableDigest implements Step<Stmt.Checksum> {
    private final Session session;

    public TableDigest(Session session) {
        this.session = session;
    }

    @Override
    public StepResult run(Stmt.Checksum s) {
        Database db = session.connections().db(s.table());
        TableInfo table = session.connections().table(s.table());
        Digest digest = new Digest();
        try {
            String hash = CanonicalSql.rowHash(db.dialect(), table, table.columnNames());
            if (hash != null) {
                inDatabase(db, table, hash, digest);
            } else {
                Canonical.RowText text = Canonical.rows(table.columnNames(), table.types());
                new TableReader(db, table).ordered(List.of(), row -> digest.add(text.of(row.values())), session.settings().fetch());
            }
        } catch (SQLException e) {
            throw session.error(s.span(), db.error("cannot read " + s.table(), e));
        }
        String earlier = session.memory().rememberDigest(s.table(), digest.toString(), s.span().line());
        String note = "";
        if (earlier != null) {
            String[] parts = earlier.split(": ", 2);
            note = parts[1].equals(digest.toString()) ? " (unchanged since line " + parts[0] + ")"
                    : " (CHANGED since line " + parts[0] + ": was " + parts[1] + ")";
        }
        return new StepResult(digest.rows(), 0, 0, digest.toString(), digest.rows() + " rows, digest " + digest + note);
    }

    /**
     * The table digest summed inside PostgreSQL (in parallel where it chooses to): only the count
     * and the sum come back; rows the SQL cannot render exactly are read and hashed here.
     */
    private void inDatabase(Database db, TableInfo table, String hash, Digest digest) throws SQLException {
        String sql = "SELECT count(h), sum(" + CanonicalSql.asBigint("h") + ")::text, count(*) - count(h) FROM (SELECT "
                + hash + " AS h FROM " + db.dialect().table(table.name()) + ") AS s";
        long missing;
        try (PreparedStatement ps = db.connection().prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            rs.next();
            String sum = rs.getString(2);
            digest.add(rs.getLong(1), sum == null ? 0 : new BigInteger(sum).longValue());
            missing = rs.getLong(3);
        }
        if (missing > 0) {
            Canonical.RowText text = Canonical.rows(table.columnNames(), table.types());
            new TableReader(db, table).where("(" + hash + ") IS NULL", row -> digest.add(text.of(row.values())),
                    session.settings().fetch());
        }
        db.commit();
    }
}
