package dev.mig.cli;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;

/**
 * What dist/build generates from the commands' own definitions: the bash (and zsh) completion script, with
 * picocli's AutoComplete, and one man page a command, with picocli-codegen's ManPageGenerator (on the class
 * path at build time only, so reached by reflection). Usage: Release completion FILE | man DIR.
 */
public final class Release {
    private Release() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("completion")) {
            Files.writeString(Path.of(args[1]), AutoComplete.bash("mig", Main.full()), StandardCharsets.UTF_8);
        } else if (args.length == 2 && args[0].equals("man")) {
            Class<?> generator = Class.forName("picocli.codegen.docgen.manpage.ManPageGenerator");
            Object code = generator.getMethod("generateManPage", File.class, File.class, boolean[].class, boolean.class,
                    picocli.CommandLine.Model.CommandSpec[].class).invoke(null, new File(args[1]), null, new boolean[1], true,
                    new picocli.CommandLine.Model.CommandSpec[] {Main.full().getCommandSpec()});
            if (!Integer.valueOf(0).equals(code)) {
                throw new IllegalStateException("ManPageGenerator exited with " + code);
            }
        } else {
            throw new IllegalArgumentException("usage: Release completion FILE | man DIR");
        }
    }
}
