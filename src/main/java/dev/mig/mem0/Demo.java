package dev.mig.mem0;

import dev.mig.MigException;
import dev.mig.run.Output;
import dev.mig.run.RunOptions;
import dev.mig.run.ScriptRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-command demo: realistic legacy mem0 data under a directory (a G0 and a G1 history.db,
 * a TypeScript SDK history, a collection with payloads of every era and a mem0migrations table),
 * the shipped pack run against it on SQLite, and a short report. Each run starts from fresh data.
 */
public final class Demo {
    /** The pack scripts the demo runs (the PostgreSQL ones need a server). */
    public static final List<String> SCRIPTS = List.of("001_history_g0_sqlite.mig", "002_history_g1_sqlite.mig",
            "005_ts_memory_history_sqlite.mig", "006_collection_payloads.mig");
    private static final List<String> DATA = List.of("history_g0.db", "history_g1.db", "ts_history.db", "collection.db");
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
            throw new MigException("cannot create the demo data in " + dir + ": " + e.getMessage());
        }
        out.line("mig demo: legacy mem0 data generated in " + dir + " (" + rows + " rows each, seed " + seed + ")");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("MEM0_HISTORY_G0_URL", "jdbc:sqlite:" + dir.resolve("history_g0.db"));
        env.put("MEM0_HISTORY_G1_URL", "jdbc:sqlite:" + dir.resolve("history_g1.db"));
        env.put("MEM0_TS_HISTORY_URL", "jdbc:sqlite:" + dir.resolve("ts_history.db"));
        env.put("MEM0_COLLECTION_URL", "jdbc:sqlite:" + dir.resolve("collection.db"));
        env.put("MIG_OUT", outDir.toString());
        boolean ok = true;
        int number = 0;
        for (String name : SCRIPTS) {
            number++;
            String text = script(name);
            List<String> lines = new ArrayList<>();
            ScriptRunner runner = new ScriptRunner(new RunOptions(false, env, Path.of("."), lines::add));
            ScriptRunner.Outcome outcome = runner.run(new ScriptRunner.Source("scripts/mem0/" + name, text));
            Path log = outDir.resolve(name.replace(".mig", ".log"));
            try {
                Files.write(log, lines, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new MigException("cannot write " + log + ": " + e.getMessage());
            }
            out.line("");
            out.line(number + ". " + description(text) + " (scripts/mem0/" + name + ")");
            report(lines, out);
            out.line("   result    " + (outcome == ScriptRunner.Outcome.APPLIED ? "applied" : outcome.name()) + "; full log " + log);
            ok &= outcome == ScriptRunner.Outcome.APPLIED;
        }
        out.line("");
        out.line(ok ? "All " + SCRIPTS.size() + " scripts applied and every checksum passed. Backups, archives, samples, "
                + "audit and logs are in " + outDir + "." : "A script failed: see its log above.");
        return ok;
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
            throw new MigException("cannot read " + name + ": " + e.getMessage());
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

    /** The legacy data set: the same for the same rows and seed. */
    public static void generate(Path dir, int rows, long seed) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history_g0.db"))) {
            LegacyData.historyG0(c, rows, seed);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history_g1.db"))) {
            LegacyData.historyG1(c, rows, seed + 1);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("ts_history.db"))) {
            LegacyData.tsMemoryHistory(c, rows, seed + 2);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("collection.db"))) {
            LegacyData.collection(c, "mem0", rows, seed + 3, "TEXT", false);
            LegacyData.mem0migrations(c, "TEXT", false);
        }
    }
}
