package dev.mig.refs;

import dev.mig.syntax.Diagnostic;
import dev.mig.syntax.Span;
import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code mig refs}: reads application code (Python, TypeScript/JavaScript, SQL) and package manifests
 * line by line for what a finished mem0 migration made obsolete ({@link RefRule}). Text patterns, not a
 * parser: every finding names its file, line and column, what the code expects and the fix; a comment
 * {@code mig:ignore RULE} on the line before (or on the line) silences a reviewed one. Files that cannot be
 * read are named and the scan goes on. Dependency and build folders are skipped.
 */
public final class Scanner {
    private static final Set<String> SKIPPED = Set.of("node_modules", ".git", "dist", "build", "target", ".venv", "venv",
            "__pycache__", ".mypy_cache", ".pytest_cache", ".next", "coverage", "site-packages");
    private static final Set<String> CODE = Set.of("py", "ts", "tsx", "js", "jsx", "mjs", "cjs", "sql");
    private static final Pattern IGNORE = Pattern.compile("mig:ignore\\s+([a-z0-9-]+(?:\\s*,\\s*[a-z0-9-]+)*)");

    /** One file's findings (its text kept for source lines), or why it could not be read. */
    public record FileResult(Path file, String text, List<Diagnostic> findings, String unreadable) {
    }

    private Scanner() {
    }

    public static List<FileResult> scan(List<Path> roots) throws IOException {
        List<FileResult> out = new ArrayList<>();
        for (Path root : roots) {
            if (Files.isRegularFile(root)) {
                FileResult r = file(root);
                if (r != null) {
                    out.add(r);
                }
                continue;
            }
            List<Path> files = new ArrayList<>();
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && SKIPPED.contains(dir.getFileName().toString()) ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    files.add(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    files.add(file); // named as unreadable below
                    return FileVisitResult.CONTINUE;
                }
            });
            files.sort(null);
            for (Path f : files) {
                FileResult r = file(f);
                if (r != null) {
                    out.add(r);
                }
            }
        }
        return out;
    }

    /** The rules that read this file, by its name; null when none does. */
    static Set<RefRule.Files> kinds(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = name.lastIndexOf('.');
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        Set<RefRule.Files> kinds = new HashSet<>();
        if (CODE.contains(ext)) {
            kinds.add(RefRule.Files.CODE_AND_SQL);
        }
        if (name.matches("requirements.*\\.(txt|in)") || name.equals("pyproject.toml") || name.equals("setup.py")
                || name.equals("setup.cfg") || name.equals("pipfile") || name.equals("environment.yml")) {
            kinds.add(RefRule.Files.PYTHON_MANIFESTS);
        }
        if (name.equals("package.json")) {
            kinds.add(RefRule.Files.NODE_MANIFESTS);
        }
        return kinds.isEmpty() ? null : kinds;
    }

    static FileResult file(Path file) {
        Set<RefRule.Files> kinds = kinds(file);
        if (kinds == null) {
            return null;
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            return new FileResult(file, null, List.of(), "not UTF-8 text");
        } catch (IOException e) {
            return new FileResult(file, null, List.of(), e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return new FileResult(file, text, findings(file.toString(), text, kinds), null);
    }

    static List<Diagnostic> findings(String file, String text, Set<RefRule.Files> kinds) {
        List<Diagnostic> out = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        int offset = 0;
        Set<String> ignoredNext = Set.of();
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Set<String> ignored = new HashSet<>(ignoredNext);
            Matcher ig = IGNORE.matcher(line);
            ignoredNext = new HashSet<>();
            if (ig.find()) {
                for (String id : ig.group(1).split(",")) {
                    ignored.add(id.strip());
                    ignoredNext.add(id.strip());
                }
            }
            for (RefRule rule : RefRule.values()) {
                if (!kinds.contains(rule.files()) || ignored.contains(rule.id())) {
                    continue;
                }
                Matcher m = rule.pattern().matcher(line);
                if (m.find() && (rule.unless() == null || !rule.unless().matcher(line).find())) {
                    out.add(Diagnostic.warning(file, new Span(i + 1, m.start() + 1, offset + m.start(), offset + m.end()),
                            rule.message()).withRule(rule.id()));
                }
            }
            offset += line.length() + 1;
        }
        return out;
    }
}
