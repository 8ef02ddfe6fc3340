package dev.mig.run.verify;

import dev.mig.syntax.Stmt;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    ChecksumResult(int examples) {
        this.examples = examples;
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
