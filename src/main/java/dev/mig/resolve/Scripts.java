package dev.mig.resolve;

import dev.mig.MigException;
import dev.mig.syntax.ParseResult;
import dev.mig.syntax.Stmt;
import dev.mig.syntax.Syntax;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.commons.codec.digest.DigestUtils;

/**
 * The one resolver of scripts (as Flyway's): reads files (a directory stands for its .mig files),
 * parses and hashes each once, and orders them by version for run, status and rollback.
 */
public final class Scripts {
    private Scripts() {
    }

    /** A script file's name and text, parsed once, with the sha256 its mig_history row is checked against. */
    public record Resolved(String file, String text, ParseResult parsed, String sha256) {
        public Optional<Stmt.Migration> header() {
            return parsed.script().header();
        }

        /** The version of its migration header, or null for an unversioned script. */
        public String version() {
            return header().map(Stmt.Migration::version).orElse(null);
        }
    }

    public static Resolved resolve(ScriptSource source) {
        return new Resolved(source.file(), source.text(), Syntax.parse(source.file(), source.text()),
                DigestUtils.sha256Hex(source.text().getBytes(StandardCharsets.UTF_8)));
    }

    /** Every source resolved, in version order; unversioned scripts after, in the order given. */
    public static List<Resolved> inVersionOrder(List<ScriptSource> sources) {
        List<Resolved> out = new ArrayList<>();
        for (ScriptSource source : sources) {
            out.add(resolve(source));
        }
        out.sort((a, b) -> Versions.compare(a.version(), b.version())); // stable: equal versions keep their order
        return out;
    }

    /** The files to read: each path, or the .mig files of a directory and its subdirectories, in path order. */
    public static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(p -> p.toString().endsWith(".mig") && Files.isRegularFile(p)).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new MigException("cannot list " + path + ": " + e.getMessage(), e);
                }
            } else {
                out.add(path);
            }
        }
        return out;
    }

    /** Reads every file of {@link #expand}. */
    public static List<ScriptSource> read(List<Path> paths) {
        return expand(paths).stream().map(p -> new ScriptSource(p.toString(), read(p))).toList();
    }

    public static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            throw new MigException(path + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw new MigException("cannot read " + path + ": " + (e.getMessage() == null ? e : e.getMessage()), e);
        }
    }
}
