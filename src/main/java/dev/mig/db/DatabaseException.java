package dev.mig.db;

import dev.mig.MigException;
import java.sql.SQLException;
import java.util.Set;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * A database refused something: the message (secrets removed), the driver's exception as the cause,
 * and its SQLState and vendor code, so that retry decisions read codes, never message text (a server
 * with another lc_messages words them differently).
 */
public class DatabaseException extends MigException {
    /** serialization_failure, deadlock_detected, lock_not_available (lock_timeout). */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03");

    private final String sqlState;
    private final int vendorCode;

    public DatabaseException(String message, SQLException cause) {
        super(message, cause);
        this.sqlState = cause.getSQLState();
        this.vendorCode = cause.getErrorCode();
    }

    public String sqlState() {
        return sqlState;
    }

    public int vendorCode() {
        return vendorCode;
    }

    /** admin_shutdown, crash_shutdown, cannot_connect_now: the server ended or refused the session. */
    private static final Set<String> LOST_STATES = Set.of("57P01", "57P02", "57P03");

    /**
     * Whether the connection itself was lost: SQLState class 08 (connection exception: broken, closed,
     * refused) or the server terminating the session (57P01-57P03: an administrator, a crash, a restart
     * under way). Then the connection is opened again and the statement run again (Interpreter).
     */
    public static boolean isConnectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null
                    && (s.getSQLState().startsWith("08") || LOST_STATES.contains(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** The SQLState of the first cause that has one, or null. */
    public static String stateOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException s && s.getSQLState() != null) {
                return s.getSQLState();
            }
        }
        return null;
    }

    /**
     * Whether running the statement again may succeed: another connection held a lock (SQLite
     * SQLITE_BUSY / SQLITE_LOCKED and their extended codes; PostgreSQL deadlock, serialization
     * failure, lock timeout). Looks through the causes of {@code e}.
     */
    public static boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLiteException s) {
                SQLiteErrorCode code = s.getResultCode();
                int primary = code == null ? s.getErrorCode() & 0xff : code.code & 0xff;
                if (primary == SQLiteErrorCode.SQLITE_BUSY.code || primary == SQLiteErrorCode.SQLITE_LOCKED.code) {
                    return true;
                }
            } else if (t instanceof SQLException s && s.getSQLState() != null && TRANSIENT_STATES.contains(s.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
