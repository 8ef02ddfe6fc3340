package dev.mig.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher ./mig in a checkout that was copied, then moved: the class-data archive made for the old
 * path is made again for the new one, and no JVM warning reaches the terminal. The jar is a stand-in with
 * one class (the launcher's archive logic does not depend on what the jar holds, and a fresh clone has no
 * target/mig.jar before `mvn package`).
 */
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void aCopiedThenMovedCheckoutStartsWithoutAWord() throws Exception {
        Path first = dir.resolve("first");
        Files.createDirectories(first.resolve("target"));
        Files.createDirectories(first.resolve("scripts/mem0"));
        Files.copy(Path.of("mig"), first.resolve("mig"));
        Files.setPosixFilePermissions(first.resolve("mig"), PosixFilePermissions.fromString("rwxr-xr-x"));
        standInJar(first.resolve("target/mig.jar"));

        List<String> run = launch(first);
        assertEquals("stand-in ran", run.get(0), run.toString());
        assertEquals("", run.get(1), "stderr of the first start");
        assertTrue(Files.isRegularFile(first.resolve("target/mig.jsa")), "the archive was made");

        Path copy = dir.resolve("copy");
        copyTree(first, copy);
        Path moved = dir.resolve("moved");
        Files.move(copy, moved);
        run = launch(moved);
        assertEquals("stand-in ran", run.get(0));
        assertEquals("", run.get(1), "stderr after a copy and a move: no '[warning][cds' line");
        assertTrue(Files.readString(moved.resolve("target/mig.jsa.stamp")).startsWith(moved.resolve("target/mig.jar").toString()),
                "the archive was made again for the new path");
        run = launch(moved);
        assertEquals("", run.get(1), "stderr of the next start");
    }

    private static List<String> launch(Path checkout) throws Exception {
        Process p = new ProcessBuilder(checkout.resolve("mig").toString(), "--version").start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        String err = new String(p.getErrorStream().readAllBytes()).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        return List.of(out, err);
    }

    /** A jar whose main class prints one line and ignores its arguments. */
    private void standInJar(Path jar) throws IOException {
        Path src = dir.resolve("src/StandIn.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "public class StandIn { public static void main(String[] a) { System.out.println(\"stand-in ran\"); } }");
        assertEquals(0, ToolProvider.getSystemJavaCompiler().run(null, null, null, "-d", src.getParent().toString(), src.toString()));
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "StandIn");
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest)) {
            out.putNextEntry(new JarEntry("StandIn.class"));
            out.write(Files.readAllBytes(src.getParent().resolve("StandIn.class")));
            out.closeEntry();
        }
    }

    /** cp -r: new files, new times (the archive's stamp no longer matches the jar). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
        Files.setPosixFilePermissions(to.resolve("mig"), PosixFilePermissions.fromString("rwxr-xr-x"));
        // cp -r copies the jar before the archive: the archive looks newer than the jar, so a check of times
        // alone keeps an archive the JVM refuses for the new path
        FileTime archive = Files.getLastModifiedTime(to.resolve("target/mig.jsa"));
        Files.setLastModifiedTime(to.resolve("target/mig.jar"), FileTime.fromMillis(archive.toMillis() - 2000));
    }
}
