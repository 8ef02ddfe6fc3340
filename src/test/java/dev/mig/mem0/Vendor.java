package dev.mig.mem0;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real Python clients the tests run (none of them is copied into this repository): qdrant-client's
 * source and mem0's own vector-store code from the steering repository's shared/vendor (or the folders
 * MIG_QDRANT_CLIENT / MIG_MEM0_SRC name), run by Debian's /usr/bin/python3 with Debian's packages
 * (python3-numpy, -pydantic, -grpcio, -protobuf, -httpx, -portalocker, -psycopg2, -faiss: .ci/run installs them).
 * Where the steering repository's vendor folder is not beside this checkout, the tests that need it are
 * skipped, saying what is missing (as the tests of mem0's storage.py are).
 */
public final class Vendor {
    public static final String PYTHON = "/usr/bin/python3";
    private static final Path SHARED = Path.of("../shared/vendor");

    private Vendor() {
    }

    /** The folder that holds qdrant_client/ (unpacked from shared/vendor into target/ on first use). */
    public static synchronized Path qdrantClient() throws IOException, InterruptedException {
        String env = System.getenv("MIG_QDRANT_CLIENT");
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath();
        }
        Path unpacked = Path.of("target/vendor/qdrant-client").toAbsolutePath();
        if (Files.isDirectory(unpacked.resolve("qdrant_client"))) {
            return unpacked;
        }
        Path tarball = SHARED.resolve("qdrant-client-v1.18.0.tar.gz");
        assumeTrue(Files.isRegularFile(tarball), "qdrant-client's source: set MIG_QDRANT_CLIENT or provide " + tarball.toAbsolutePath());
        Files.createDirectories(unpacked);
        run(List.of("tar", "-xzf", tarball.toAbsolutePath().toString(), "-C", unpacked.toString()));
        return unpacked;
    }

    /** The folder holding mem0/ (mem0's current Python code: storage.py, vector_stores/qdrant.py, pgvector.py). */
    public static Path mem0() {
        String env = System.getenv("MIG_MEM0_SRC");
        Path p = env != null && !env.isBlank() ? Path.of(env) : SHARED.resolve("mem0");
        if (Files.isRegularFile(p)) { // MIG_MEM0_SRC may name storage.py itself
            p = p.getParent().getParent().getParent();
        }
        assumeTrue(Files.isRegularFile(p.resolve("mem0/vector_stores/qdrant.py")), "mem0's source at " + p.toAbsolutePath());
        return p.toAbsolutePath();
    }

    /** mem0 v0.1.98's vector_stores/qdrant.py (one unnamed vector, no bm25 slot). */
    public static Path mem0OldQdrant() {
        Path p = SHARED.resolve("mem0-v0.1.98/vector_stores/qdrant.py");
        String env = System.getenv("MIG_MEM0_OLD_QDRANT");
        if (env != null && !env.isBlank()) {
            p = Path.of(env);
        }
        assumeTrue(Files.isRegularFile(p), "mem0 v0.1.98's qdrant.py at " + p.toAbsolutePath());
        return p.toAbsolutePath();
    }

    /** Runs a command to its end; its output when it exits 0, else a failed assertion with the output. */
    public static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "finished: " + command);
        assertEquals(0, p.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }

    /** A script of src/test/resources/live, run by Debian's python3. */
    public static String python(String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON, Path.of("src/test/resources/live", script).toAbsolutePath().toString()));
        command.addAll(List.of(args));
        return run(command);
    }
}
