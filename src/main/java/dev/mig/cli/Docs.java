package dev.mig.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Absolute links into mig's documentation, for SARIF's informationUri and helpUri: MIG_DOCS_URL when a
 * team hosts the docs (e.g. its repository's web view), else the docs beside the installed mig.jar as
 * file: URIs, so a link is never invented.
 */
final class Docs {
    private Docs() {
    }

    static String uri(String page, String anchor) {
        String base = System.getenv("MIG_DOCS_URL");
        String fragment = anchor == null ? "" : "#" + anchor;
        if (base != null && !base.isBlank()) {
            return (base.endsWith("/") ? base : base + "/") + page + fragment;
        }
        return installation().resolve(page).toUri() + fragment;
    }

    /** The folder that holds docs/: the project folder of target/mig.jar, or the working directory. */
    private static Path installation() {
        try {
            Path jar = Path.of(Docs.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("docs"))) {
                    return p;
                }
            }
        } catch (Exception e) {
            // no code source (an unusual class loader): fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
