package dev.mig.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown bench/run writes: one table of timings (median of the runs, each run listed), one of the
 * goals with the ratios of mig to its anchor, and the profile behind each mig number.
 */
final class Report {
    final List<String> header = new ArrayList<>();
    private final List<String> timings = new ArrayList<>();
    private final List<String> goals = new ArrayList<>();
    private final List<String> profiles = new ArrayList<>();

    /** Milliseconds of the runs of one tool on one case (-1 for a run that failed). */
    record Runs(List<Long> millis) {
        Runs() {
            this(new ArrayList<>());
        }

        void add(long ms) {
            millis.add(ms);
        }

        long median() {
            List<Long> ok = millis.stream().filter(t -> t >= 0).sorted().toList();
            return ok.isEmpty() ? -1 : ok.get(ok.size() / 2);
        }

        String all() {
            return String.join(", ", millis.stream().map(Report::seconds).toList());
        }
    }

    void timing(String goal, String tool, Runs runs, long rows, String peak, String note) {
        long median = runs.median();
        String rate = median <= 0 ? "-" : String.format(Locale.ROOT, "%,d", rows * 1000 / median);
        timings.add("| " + goal + " | " + tool + " | " + seconds(median) + " | " + rate + " | " + peak + " | " + runs.all()
                + " | " + note + " |");
        System.out.println(timings.get(timings.size() - 1));
    }

    /** A goal of mig against an anchor: the ratio of the medians and of each pair of runs made back to back. */
    void ratio(String goal, String target, Runs mig, Runs anchor, double limit, boolean strictlyBelow) {
        double ratio = (double) mig.median() / anchor.median();
        List<String> pairs = new ArrayList<>();
        for (int i = 0; i < Math.min(mig.millis().size(), anchor.millis().size()); i++) {
            pairs.add(String.format(Locale.ROOT, "%.2f", (double) mig.millis().get(i) / anchor.millis().get(i)));
        }
        boolean met = mig.median() > 0 && anchor.median() > 0 && (strictlyBelow ? ratio < limit : ratio <= limit);
        goal(goal, target, String.format(Locale.ROOT, "**%.2fx** (%s / %s; run by run %s)", ratio, seconds(mig.median()),
                seconds(anchor.median()), String.join(", ", pairs)), met);
    }

    void goal(String goal, String target, String measured, boolean met) {
        goals.add("| " + goal + " | " + target + " | " + measured + " | " + (met ? "met" : "**not met**") + " |");
        System.out.println(goals.get(goals.size() - 1));
    }

    void profile(String what, String summary) {
        profiles.add("- **" + what + "**: " + summary);
        System.out.println(profiles.get(profiles.size() - 1));
    }

    List<String> lines() {
        List<String> out = new ArrayList<>(header);
        out.add("");
        out.add("| goal | target | measured (median of the runs; ratios of runs made back to back) | status |");
        out.add("|---|---|---|---|");
        out.addAll(goals);
        out.add("");
        out.add("| case | tool | wall time (median) | rows/s | peak RSS | runs (s) | how it ran |");
        out.add("|---|---|---|---|---|---|---|");
        out.addAll(timings);
        out.add("");
        out.add("Profiles of one more run of each mig case with JFR (execution samples of mig's JVM; the database's "
                + "own work is not in them):");
        out.add("");
        out.addAll(profiles);
        return out;
    }

    static String seconds(long millis) {
        return millis < 0 ? "failed" : String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
