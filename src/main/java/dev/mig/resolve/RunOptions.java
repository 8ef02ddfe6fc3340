package dev.mig.resolve;

import dev.mig.Output;
import java.nio.file.Path;
import java.util.Map;

/**
 * How a script runs: dry or for real, the environment for ${VAR}, where files it writes go
 * relative to ({@code baseDir}), and where it reports.
 */
public record RunOptions(boolean dryRun, Map<String, String> environment, Path baseDir, Output output) {
    public static RunOptions defaults(Output output) {
        return new RunOptions(false, System.getenv(), Path.of("."), output);
    }

    public RunOptions dry(boolean dry) {
        return new RunOptions(dry, environment, baseDir, output);
    }
}
