package dev.mig.cli;

import dev.mig.MigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** What the scripts looked like before a change: at a git revision, or in another directory. */
abstract class Baseline {
    abstract String name();

    /** The text the file had there, or null when it did not exist. */
    abstract String text(Path file);

    static Baseline of(String since) {
        Path dir = Path.of(since);
        if (Files.isDirectory(dir)) {
            return new Directory(dir);
        }
        Git git = new Git(since);
        git.verify();
        return git;
    }

    /** Files compared by name with a directory of the earlier scripts. */
    static final class Directory extends Baseline {
        private final Path dir;

        Directory(Path dir) {
            this.dir = dir;
        }

        @Override
        String name() {
            return dir.toString();
        }

        @Override
        String text(Path file) {
            Path before = dir.resolve(file.getFileName().toString());
            try {
                return Files.isRegularFile(before) ? Files.readString(before, StandardCharsets.UTF_8) : null;
            } catch (IOException e) {
                throw new MigException("cannot read " + before + ": " + e.getMessage(), e);
            }
        }
    }

    /** Files read with {@code git show REV:./path} from the file's own directory. */
    static final class Git extends Baseline {
        private final String rev;

        Git(String rev) {
            this.rev = rev;
        }

        @Override
        String name() {
            return rev;
        }

        void verify() {
            Result inside = git(Path.of("."), "rev-parse", "--is-inside-work-tree");
            if (inside.code() != 0) {
                throw new MigException("--since " + rev + ": not a git checkout here, and not a directory ("
                        + inside.err().strip() + ")");
            }
            Result commit = git(Path.of("."), "rev-parse", "--verify", "--quiet", rev + "^{commit}");
            if (commit.code() != 0) {
                throw new MigException("--since " + rev + ": no such git revision");
            }
        }

        @Override
        String text(Path file) {
            Path parent = file.toAbsolutePath().getParent();
            Result r = git(parent, "show", rev + ":./" + file.getFileName());
            return r.code() == 0 ? r.out() : null;
        }

        record Result(int code, String out, String err) {
        }

        private static Result git(Path dir, String... args) {
            String[] command = new String[args.length + 1];
            command[0] = "git";
            System.arraycopy(args, 0, command, 1, args.length);
            try {
                Process p = new ProcessBuilder(command).directory(dir.toFile()).start();
                byte[] out = p.getInputStream().readAllBytes();
                byte[] err = p.getErrorStream().readAllBytes();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    throw new MigException("git " + String.join(" ", args) + " did not finish");
                }
                return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new MigException("--since needs git, which could not be run: " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new MigException("interrupted while running git", e);
            }
        }
    }
}
