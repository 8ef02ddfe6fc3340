package dev.mig.cli;

import dev.mig.MigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads script files; a directory stands for the .mig files in it. */
final class ScriptFiles {
    private ScriptFiles() {
    }

    static List<Path> expand(List<Path> paths) {
        List<Path> out = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.list(path)) {
                    files.filter(p -> p.toString().endsWith(".mig")).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new MigException("cannot list " + path + ": " + e.getMessage());
                }
            } else {
                out.add(path);
            }
        }
        return out;
    }

    static String read(Path path) {
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new MigException(path + ": not UTF-8 text");
        } catch (IOException e) {
            throw new MigException("cannot read " + path + ": " + (e.getMessage() == null ? e : e.getMessage()));
        }
    }
}
