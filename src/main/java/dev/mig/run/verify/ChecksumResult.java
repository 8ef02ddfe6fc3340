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
    long matched;
    long mismatched;
    long onlySource;
    long onlyTarget;
    long duplicateCount;
    long unmappable;
    final List<String> mismatches = new ArrayList<>();
    final List<String> sourceOnly = new ArrayList<>();
    final List<String> targetOnly = new ArrayList<>();
    final List<String> duplicates = new ArrayList<>();
    final List<String> rejectedBySource = new ArrayList<>();
    long inFlight;

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

    void differs(List<Object> key, Kind kind, String describedKey) {
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

    void example(List<String> list, String text) {
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
