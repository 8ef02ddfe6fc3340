package dev.mig.run.lifecycle;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mig.MigException;
import dev.mig.audit.BackupFile;
import dev.mig.audit.Storage;
import dev.mig.data.Canonical;
import dev.mig.data.Digest;
import dev.mig.data.Evaluator;
import dev.mig.data.Row;
import dev.mig.data.Values;
import dev.mig.db.Database;
import dev.mig.db.TableInfo;
import dev.mig.offsite.Locations;
import dev.mig.run.session.ScriptMemory;
import dev.mig.run.session.Session;
import dev.mig.run.session.Step;
import dev.mig.run.session.StepResult;
import dev.mig.state.Archives;
import dev.mig.state.History;
import dev.mig.syntax.Stmt;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What forgetting a person needs beyond purge: {@code backups of A.t where cond [rewrite]} finds the
 * backup and archive files mig recorded that still hold such rows (and rewrites them without those rows,
 * re-verified, manifests replaced), and {@code receipt to 'file'} writes what this run removed - counts and
 * digests per table, never content.
 */
public final class ForgetSteps implements Step<Stmt.BackupsOf> {
    private final Session session;

    public ForgetSteps(Session session) {
        this.session = session;
    }

    /** A file recorded on some connection: which registry row names it. */
    private record Recorded(Database state, Storage file, boolean archive, String location) {
    }

    @Override
    public StepResult run(Stmt.BackupsOf s) {
        Map<String, Recorded> files = new LinkedHashMap<>();
        for (Database db : session.connections().all().values()) {
            for (String[] backup : History.allBackupFiles(db)) {
                if (backup[0].equals(s.table().table())) {
                    files.putIfAbsent(normal(backup[1]), new Recorded(db, session.storage(backup[1]), false, backup[1]));
                }
            }
            for (Archives.Entry a : Archives.all(db)) {
                if (a.table().equals(s.table().table()) && a.isFile()) {
                    files.putIfAbsent(normal(a.location()), new Recorded(db, session.storage(a.location()), true, a.location()));
                }
            }
        }
        Evaluator evaluator = session.evaluator();
        List<String> lines = new ArrayList<>();
        Digest removed = new Digest();
        long matched = 0;
        int holding = 0;
        for (Recorded r : files.values()) {
            String name = r.file().location();
            if (!exists(r.file())) {
                lines.add(name + ": gone (recorded, no longer on disk)");
                continue;
            }
            BackupFile.Manifest manifest;
            try {
                manifest = BackupFile.readManifest(r.file());
                BackupFile.verify(r.file(), manifest);
            } catch (MigException e) {
                lines.add(name + ": does not verify, not read (" + e.getMessage() + ")");
                continue;
            }
            long[] hits = {0};
            Digest fileRemoved = new Digest();
            try {
                BackupFile.read(r.file(), manifest, row -> {
                    if (evaluator.test(s.where(), new Row(row, manifest.types()))) {
                        hits[0]++;
                        fileRemoved.add(Canonical.row(row, manifest.types()));
                    }
                });
            } catch (MigException e) {
                throw session.error(s.where().span(), "cannot evaluate the condition on " + name + ": " + e.getMessage(), e);
            }
            if (hits[0] == 0) {
                continue;
            }
            holding++;
            matched += hits[0];
            removed.add(fileRemoved.toString());
            if (!s.rewrite() || session.dryRun()) {
                lines.add(name + ": holds " + hits[0] + " of its " + manifest.rows() + " rows");
                continue;
            }
            BackupFile.Manifest after = rewrite(s, r, manifest, evaluator);
            lines.add(name + ": rewritten without its " + hits[0] + " rows (" + after.rows() + " left, verified, sha256 "
                    + after.sha256().substring(0, 12) + "...)");
        }
        String head = files.isEmpty() ? "no backup or archive of a table named " + s.table().table() + " is recorded"
                : holding == 0 ? "none of the " + files.size() + " backup and archive files of " + s.table().table() + " holds such rows"
                : holding + " of " + files.size() + " backup and archive files of " + s.table().table() + " held " + matched + " such rows";
        String message = head + (lines.isEmpty() ? "" : ":\n  " + String.join("\n  ", lines));
        return new StepResult(matched, s.rewrite() ? matched : 0, 0, removed.toString(), message);
    }

    /** The file without the rows meeting the condition, written beside it and moved over it, re-verified; registries updated. */
    private BackupFile.Manifest rewrite(Stmt.BackupsOf s, Recorded r, BackupFile.Manifest manifest, Evaluator evaluator) {
        TableInfo shape = new TableInfo(manifest.table(), manifest.columns(), List.of());
        BackupFile.Manifest after;
        try {
            // the rows are read from a copy while the new version is written (for an object: downloaded first)
            Path copy = Files.createTempFile("mig-rewrite-", ".jsonl.gz");
            try {
                try (InputStream in = r.file().open()) {
                    Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
                }
                after = BackupFile.write(r.file(), shape, manifest.dialect(), sink -> BackupFile.read(copy, manifest, row -> {
                    if (!evaluator.test(s.where(), new Row(row, manifest.types()))) {
                        sink.row(row);
                    }
                }));
                BackupFile.verify(r.file(), after);
            } finally {
                Files.deleteIfExists(copy);
            }
        } catch (IOException e) {
            throw session.error(s.span(), "cannot rewrite " + r.file().location() + ": " + e.getMessage(), e);
        } catch (MigException e) {
            throw session.error(s.span(), "cannot rewrite " + r.file().location() + ": " + e.getMessage(), e);
        }
        if (r.archive()) {
            Archives.rewritten(r.state(), r.location(), after.rows(), after.digest());
        } else {
            History.backupRewritten(r.state(), r.location(), after.digest());
        }
        r.state().commit();
        return after;
    }

    private static String normal(String location) {
        return Locations.isObject(location) ? location : Path.of(location).toAbsolutePath().normalize().toString();
    }

    private static boolean exists(Storage file) {
        try {
            return file.exists();
        } catch (IOException e) {
            return false;
        }
    }

    StepResult receipt(Stmt.Receipt s) {
        Storage file = PolicyStep.fresh(session, session.resolve(s.file()));
        List<ScriptMemory.Removal> removals = session.memory().removals();
        long total = removals.stream().mapToLong(ScriptMemory.Removal::rows).sum();
        ObjectNode root = Values.JSON.createObjectNode();
        root.put("format", "mig-receipt/1");
        root.put("script", session.file());
        root.put("version", session.version());
        root.put("run_id", session.runId());
        root.put("written_at", Instant.now().toString());
        root.put("rows_removed", total);
        ArrayNode steps = root.putArray("removed");
        for (ScriptMemory.Removal r : removals) {
            ObjectNode step = steps.addObject();
            step.put("line", r.line());
            step.put("statement", r.statement());
            step.put("from", r.table());
            step.put("rows", r.rows());
            step.put("digest", r.digest());
        }
        if (!session.dryRun()) {
            try {
                byte[] bytes = (Values.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                try (OutputStream out = file.create()) {
                    out.write(bytes);
                }
                file.commit();
            } catch (IOException e) {
                file.abort();
                throw session.error(s.span(), "cannot write the receipt " + file.location() + ": " + e.getMessage(), e);
            }
        }
        String summary = total == 0 ? "nothing was removed by this run (" + removals.size() + " statements removed 0 rows): "
                + "nothing matched - is the id right?" : total + " rows removed by " + removals.size() + " statements";
        return StepResult.of("receipt " + file.location() + (session.dryRun() ? " (not written in a dry run)" : "") + ": " + summary);
    }

    /** The family's second statement, as a step of its own. */
    public static final class Receipt implements Step<Stmt.Receipt> {
        private final ForgetSteps family;

        public Receipt(Session session) {
            this.family = new ForgetSteps(session);
        }

        @Override
        public StepResult run(Stmt.Receipt s) {
            return family.receipt(s);
        }
    }
}
