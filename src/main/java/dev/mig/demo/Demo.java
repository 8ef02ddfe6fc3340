package dev.mig.demo;

import dev.mig.MigException;
import dev.mig.Output;
import dev.mig.mem0.Inspector;
import dev.mig.mem0.emulation.CurrentMem0;
import dev.mig.mem0.emulation.Internal;
import dev.mig.mem0.emulation.Life;
import dev.mig.mem0.emulation.Payloads;
import dev.mig.mem0.emulation.Stores;
import dev.mig.mem0.emulation.TsMem0;
import dev.mig.report.Model;
import dev.mig.report.Render;
import dev.mig.report.Reporter;
import dev.mig.resolve.RunOptions;
import dev.mig.resolve.ScriptSource;
import dev.mig.run.ScriptRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-command demo: mem0 stores made by emulations of mem0's own releases under a directory (a
 * G0 history.db; a G1 one with the rows 0.0.10's restart bug orphaned in old_history; a G2 one
 * mem0 rebuilt itself, mixing every release's spellings, epochs and NULLs; a TypeScript SDK
 * memory.db; a Python and a TypeScript v2 collection with telemetry and entity tables), what
 * current mem0's own start-up would do to them, the shipped pack run on them, and a short report.
 * Each run starts from fresh data.
 */
public final class Demo {
    /** One pack script run on one demo file, with the variable that points the script at it. */
    record Step(String script, String file, String variable) {
    }

    public static final List<Step> STEPS = List.of(
            new Step("001_history_g0_sqlite.mig", "history_g0.db", "MEM0_HISTORY_G0_URL"),
            new Step("002_history_g1_sqlite.mig", "history_g1.db", "MEM0_HISTORY_G1_URL"),
            new Step("008_history_orphans_old_history.mig", "history_g1.db", "MEM0_HISTORY_URL"),
            new Step("007_history_g2_sqlite.mig", "history_g2.db", "MEM0_HISTORY_URL"),
            new Step("005_ts_memory_history_sqlite.mig", "memory.db", "MEM0_TS_HISTORY_URL"),
            new Step("006_collection_payloads.mig", "collection.db", "MEM0_COLLECTION_URL"),
            new Step("011_ts_collection_v2_to_v3.mig", "ts_collection.db", "MEM0_COLLECTION_URL"));
    private static final List<String> DATA = List.of("history_g0.db", "history_g1.db", "history_g2.db", "memory.db",
            "collection.db", "ts_collection.db", "mem0_upgrade_g0.db", "mem0_upgrade_g1.db");
    private static final Pattern SUMMARY = Pattern.compile("^line \\d+: (\\w+) (.*?): (.*) \\([0-9.]+ m?s\\)$");

    private Demo() {
    }

    /** Generates the data, runs the pack, prints the report; true when every script applied. */
    public static boolean run(Path dir, int rows, long seed, Output out) {
        Path outDir = dir.resolve("out");
        try {
            reset(dir);
            Files.createDirectories(outDir);
            generate(dir, rows, seed);
        } catch (IOException | SQLException e) {
            throw new MigException("cannot create the demo data in " + dir + ": " + e.getMessage(), e);
        }
        out.line("mig demo: mem0 stores made by emulated mem0 releases in " + dir + " (about " + rows + " events each, seed "
                + seed + ")");
        try {
            mem0sOwnUpgrade(dir, out);
        } catch (IOException | SQLException e) {
            throw new MigException("cannot show mem0's own upgrade: " + e.getMessage(), e);
        }
        out.line("");
        out.line("What mig finds (mig inspect):");
        new Inspector(line -> out.line("  " + line)).inspect(DATA.subList(0, 6).stream().map(f -> "jdbc:sqlite:" + dir.resolve(f)).toList());
        boolean ok = true;
        int number = 0;
        List<Model.Report> reports = new ArrayList<>();
        for (Step step : STEPS) {
            number++;
            Map<String, String> env = new HashMap<>(System.getenv());
            env.put(step.variable(), "jdbc:sqlite:" + dir.resolve(step.file()));
            env.put("MIG_OUT", outDir.toString());
            String text = script(step.script());
            List<String> lines = new ArrayList<>();
            ScriptRunner runner = new ScriptRunner(new RunOptions(false, env, Path.of("."), lines::add));
            ScriptRunner.Outcome outcome = runner.run(new ScriptSource("scripts/mem0/" + step.script(), text));
            Path log = outDir.resolve(step.script().replace(".mig", ".log"));
            try {
                Files.write(log, lines, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new MigException("cannot write " + log + ": " + e.getMessage(), e);
            }
            out.line("");
            out.line(number + ". " + description(text) + " (scripts/mem0/" + step.script() + " on " + step.file() + ")");
            report(lines, out);
            out.line("   result    " + (outcome == ScriptRunner.Outcome.APPLIED ? "applied" : outcome.name()) + "; full log " + log);
            ok &= outcome == ScriptRunner.Outcome.APPLIED;
            reports.add(new Reporter(new RunOptions(false, env, Path.of("."), line -> { }))
                    .buildFrom(List.of(new ScriptSource("scripts/mem0/" + step.script(), text)), Instant.now()));
        }
        for (String file : List.of("history_g0.db", "history_g1.db", "history_g2.db")) {
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve(file))) {
                if (CurrentMem0.wouldRebuild(c)) {
                    out.line(file + ": current mem0 would still rebuild its history table");
                    ok = false;
                }
            } catch (SQLException e) {
                throw new MigException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        Model.Report report = Reporter.combine(reports, Instant.now());
        Path html = outDir.resolve("report.html");
        Path md = outDir.resolve("report.md");
        try {
            Files.writeString(html, Render.html(report));
            Files.writeString(md, Render.markdown(report));
        } catch (IOException e) {
            throw new MigException("cannot write the report: " + e.getMessage(), e);
        }
        out.line("");
        out.line("The handover report (mig report): " + html + " and " + md);
        out.line("");
        out.line(ok ? "All " + STEPS.size() + " scripts applied and every check passed; current mem0 opens every history "
                + "file without rebuilding it. Backups, archives, samples, audit and logs are in " + outDir + "."
                : "A script failed: see its log above.");
        return ok;
    }

    /** Current mem0 started on copies of the G0 and G1 files: what its own start-up keeps and loses. */
    private static void mem0sOwnUpgrade(Path dir, Output out) throws IOException, SQLException {
        out.line("");
        out.line("What current mem0's own start-up would do to the same files (on copies):");
        for (String[] f : new String[][] {{"history_g0.db", "mem0_upgrade_g0.db", "prev_value IS NOT NULL", "new_value IS NOT NULL",
            "timestamp IS NOT NULL"}, {"history_g1.db", "mem0_upgrade_g1.db", "new_value IS NOT NULL"}}) {
            Path copy = dir.resolve(f[1]);
            Files.copy(dir.resolve(f[0]), copy, StandardCopyOption.REPLACE_EXISTING);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy)) {
                long values = 0;
                for (int i = 2; i < f.length; i++) {
                    values += count(c, "SELECT count(*) FROM history WHERE " + f[i]);
                }
                long orphans = count(c, "SELECT count(*) FROM sqlite_master WHERE name = 'old_history'") > 0
                        ? count(c, "SELECT count(*) FROM old_history") : 0;
                CurrentMem0.open(c);
                out.line("   " + f[0] + ": rebuilt to G2, " + values + " values lost ("
                        + String.join(", ", List.of(f).subList(2, f.length)).replace(" IS NOT NULL", "") + ")"
                        + (orphans > 0 ? "; " + orphans + " rows in old_history never read" : ""));
            }
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void report(List<String> lines, Output out) {
        boolean inInventory = false;
        for (String line : lines) {
            if (line.startsWith("inventory ")) {
                inInventory = true;
                continue;
            }
            if (inInventory && line.startsWith("  ")) {
                if (line.trim().startsWith("table ")) {
                    continue; // the header
                }
                String[] cells = line.trim().split("\\s{2,}");
                if (cells.length >= 3 && !cells[2].equals("-") && !cells[2].equals("mig state")) {
                    out.line("   found     " + cells[0] + ": " + cells[1] + " rows, " + cells[2]);
                } else if (cells.length == 1 || line.contains(": mem0's own upgrade") || line.contains(" payloads: ")) {
                    out.line("             " + line.trim());
                }
                continue;
            }
            inInventory = false;
            Matcher m = SUMMARY.matcher(line);
            if (!m.matches()) {
                continue;
            }
            String keyword = m.group(1);
            String message = m.group(3);
            switch (keyword) {
                case "map" -> out.line("   migrated  " + m.group(2) + ": " + message);
                case "replay" -> out.line("   replayed  " + message);
                case "checksum" -> {
                    if (m.group(2).contains("->")) {
                        out.line("   checksum  " + message + "   PASS");
                    }
                }
                case "sample" -> out.line("   sample    " + message);
                case "backup" -> out.line("   backup    " + message);
                case "archive" -> out.line("   archive   " + message);
                default -> {
                    // the full log has the rest
                }
            }
        }
    }

    private static String description(String script) {
        Matcher m = Pattern.compile("migration \\S+ '([^']*)'").matcher(script);
        return m.find() ? m.group(1) : "script";
    }

    static String script(String name) {
        try (InputStream in = Demo.class.getResourceAsStream("/dev/mig/scripts/mem0/" + name)) {
            if (in == null) {
                throw new MigException("the mem0 pack script " + name + " is missing from this build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new MigException("cannot read " + name + ": " + e.getMessage(), e);
        }
    }

    /** Removes only what an earlier demo made, so re-running is safe. */
    private static void reset(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : DATA) {
            for (String suffix : List.of("", "-journal", "-wal", "-shm")) {
                Files.deleteIfExists(dir.resolve(name + suffix));
            }
        }
        Path out = dir.resolve("out");
        if (Files.isDirectory(out)) {
            try (var files = Files.list(out)) {
                for (Path f : files.toList()) {
                    if (Files.isRegularFile(f)) {
                        Files.delete(f);
                    }
                }
            }
        }
    }

    /** The mem0 stores: the same for the same rows and seed. */
    public static void generate(Path dir, int rows, long seed) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history_g0.db"))) {
            Stores.g0(c, rows, seed);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history_g1.db"))) {
            Stores.g1WithOldHistory(c, rows, seed + 1);
        }
        Life g2;
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history_g2.db"))) {
            g2 = Stores.g2(c, rows, seed + 2);
        }
        Payloads ts = new Payloads();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("memory.db"))) {
            new TsMem0(c, ts, 2, seed + 3).run(rows);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("collection.db"))) {
            g2.store().writeCollection(c, "mem0", false, "TEXT", seed);
            Internal.telemetry(c, "mem0migrations", false, "TEXT", 3, seed);
            Internal.entities(c, "mem0_entities", false, "TEXT", g2.store(), seed);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ts_collection.db"))) {
            ts.writeCollection(c, "memories", false, "TEXT", seed);
        }
    }
}
