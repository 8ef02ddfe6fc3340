package dev.mig.run.verify;

import dev.mig.syntax.Stmt;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What a checksum comparison found: the counts, and a few examples of each kind of difference. */
final class ChecksumResult {
    private final int examples;
    private long matched;
    private long mismatched;
    private long onlySource;
    private long onlyTarget;
    private long duplicateCount;
    private long unmappable;
    private final List<String> mismatches = new ArrayList<>();
    private final List<String> sourceOnly = new ArrayList<>();
    private final List<String> targetOnly = new ArrayList<>();
    private final List<String> duplicates = new ArrayList<>();
    private final List<String> rejectedBySource = new ArrayList<>();
    private long inFlight;

    enum Kind { MISMATCHED, ONLY_SOURCE, ONLY_TARGET }

    /** Differences by key (up to a bound), so that rows written by applications meanwhile can be told apart. */
    private static final int DIFFERENCES_KEPT = 100_000;
    private final Map<String, Kind> differences = new HashMap<>();
    private final Map<String, String> described = new HashMap<>();
    private final Set<String> inFlightKeys = new HashSet<>();
    private boolean tooMany;

    ChecksumResult(int examples) {
        this.examples = examples;
    }

    /** The key's values as one string, the same for a row read from a table and a key read from mig_queue. */
    static String flat(List<Object> key) {
        StringBuilder out = new StringBuilder();
        for (Object v : key) {
            out.append(v == null ? "\u0001" : String.valueOf(v)).append('\u0000');
        }
        return out.toString();
    }

    // ---- what a comparison strategy reports, key by key or in counts

    void matched(long rows) {
        matched += rows;
    }

    void mismatched(List<Object> key, String describedKey) {
        mismatched++;
        differs(key, Kind.MISMATCHED, describedKey);
    }

    void onlySource(List<Object> key, String describedKey) {
        onlySource++;
        differs(key, Kind.ONLY_SOURCE, describedKey);
        example(sourceOnly, describedKey);
    }

    void onlyTarget(List<Object> key, String describedKey) {
        onlyTarget++;
        differs(key, Kind.ONLY_TARGET, describedKey);
        example(targetOnly, describedKey);
    }

    /** Counts found inside the database (no keys kept: the in-database compare does not tell in-flight writes apart). */
    void counted(long matchedRows, long mismatchedRows, long onlySourceRows, long onlyTargetRows) {
        matched += matchedRows;
        mismatched += mismatchedRows;
        onlySource += onlySourceRows;
        onlyTarget += onlyTargetRows;
    }

    void sourceOnlyExample(String describedKey) {
        example(sourceOnly, describedKey);
    }

    void targetOnlyExample(String describedKey) {
        example(targetOnly, describedKey);
    }

    void duplicate(String describedKey) {
        duplicateCount++;
        example(duplicates, describedKey);
    }

    /** A source row the map rejects (from several threads). */
    synchronized void unmappable(String describedKey, String reason) {
        unmappable++;
        example(rejectedBySource, describedKey + ": " + reason);
    }

    /** The values of a mismatched pair, column by column (examples only). */
    void explained(String describedKey, String difference) {
        mismatches.add(describedKey + ": " + difference);
    }

    long matched() {
        return matched;
    }

    /** Rows of the source compared: matched, mismatched or missing from the target. */
    long compared() {
        return matched + mismatched + onlySource;
    }

    /** What makes the checksum fail: every difference but extra target rows when those are allowed. */
    long differences(boolean allowExtra) {
        return mismatched + onlySource + (allowExtra ? 0 : onlyTarget) + duplicateCount + unmappable;
    }

    /** The summary line: counts, what was allowed, and rows written by applications meanwhile. */
    String summary(Stmt.Checksum s, boolean joined) {
        StringBuilder message = new StringBuilder();
        message.append(matched).append(" matched, ").append(mismatched).append(" mismatched, ")
                .append(onlySource).append(" only in ").append(s.table()).append(", ")
                .append(onlyTarget).append(" only in ").append(s.target());
        if (duplicateCount > 0) {
            message.append(", ").append(duplicateCount).append(" duplicate keys in ").append(s.table());
        }
        if (unmappable > 0) {
            message.append(", ").append(unmappable).append(" source rows the map rejects");
        }
        if (s.allowExtra()) {
            message.append(" (allowed: rows only in ").append(s.target()).append(')');
        }
        if (inFlight > 0) {
            message.append("; ").append(inFlight).append(" rows written by applications since the last replay (queued in "
                    + "mig_queue: the next replay carries them)");
        }
        if (joined) {
            message.append("; compared inside the database by key, value by value (no digests: checksum each table for them)");
        }
        return message.toString();
    }

    private void differs(List<Object> key, Kind kind, String describedKey) {
        if (differences.size() < DIFFERENCES_KEPT) {
            String k = flat(key);
            differences.put(k, kind);
            described.put(k, describedKey);
        } else {
            tooMany = true;
        }
    }

    /** Differences whose key an application wrote since the last replay are not differences of the migration. */
    void inFlight(Set<String> queuedKeys) {
        if (tooMany) {
            return; // too many differences to tell apart: all count
        }
        for (Map.Entry<String, Kind> e : differences.entrySet()) {
            if (!queuedKeys.contains(e.getKey())) {
                continue;
            }
            inFlight++;
            inFlightKeys.add(e.getKey());
            String d = described.get(e.getKey());
            switch (e.getValue()) {
                case MISMATCHED -> mismatched--;
                case ONLY_SOURCE -> {
                    onlySource--;
                    sourceOnly.remove(d);
                }
                case ONLY_TARGET -> {
                    onlyTarget--;
                    targetOnly.remove(d);
                }
            }
        }
    }

    boolean isInFlight(List<Object> key) {
        return inFlightKeys.contains(flat(key));
    }

    private void example(List<String> list, String text) {
        if (list.size() < examples) {
            list.add(text);
        }
    }

    String details(Stmt.Checksum s) {
        StringBuilder out = new StringBuilder();
        section(out, "mismatched", mismatches);
        section(out, "only in " + s.table(), sourceOnly);
        section(out, "only in " + s.target(), targetOnly);
        section(out, "duplicates", duplicates);
        section(out, "rejected by the map", rejectedBySource);
        return out.toString();
    }

    private static void section(StringBuilder out, String title, List<String> items) {
        if (!items.isEmpty()) {
            out.append("\n    ").append(title).append(" (first ").append(items.size()).append("):");
            for (String item : items) {
                out.append("\n      ").append(item);
            }
        }
    }

    /** Column by column, where the canonical values of two rows differ. */
    static String difference(Map<String, String> expected, Map<String, String> found) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, String> e : expected.entrySet()) {
            String other = found.get(e.getKey());
            if (!e.getValue().equals(other)) {
                parts.add(e.getKey() + " expected " + abbreviate(e.getValue()) + ", found " + abbreviate(other));
            }
        }
        return String.join("; ", parts);
    }

    private static String abbreviate(String s) {
        return s == null || s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
