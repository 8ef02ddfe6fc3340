package dev.mig.audit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** A backup file on this machine: written to a temp file readable by the owner only, renamed into place. */
public final class LocalStorage implements Storage {
    private final Path file;
    private Path temp;

    public LocalStorage(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public boolean exists() {
        return Files.exists(file);
    }

    @Override
    public OutputStream create() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        temp = ownerOnlyTemp(dir, file.getFileName().toString());
        return Files.newOutputStream(temp);
    }

    @Override
    public void commit() throws IOException {
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        temp = null;
    }

    @Override
    public void abort() {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // best effort: a temp file named after the backup, never read as one
            }
            temp = null;
        }
    }

    @Override
    public InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    private Path manifest() {
        return BackupFile.manifestPath(file);
    }

    @Override
    public void writeManifest(byte[] json) throws IOException {
        Path target = manifest();
        Path t = ownerOnlyTemp(target.toAbsolutePath().getParent(), target.getFileName().toString());
        try {
            Files.write(t, json);
            Files.move(t, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(t);
        }
    }

    @Override
    public byte[] readManifest() throws IOException {
        return Files.exists(manifest()) ? Files.readAllBytes(manifest()) : null;
    }

    @Override
    public String manifestLocation() {
        return manifest().toString();
    }

    static Path ownerOnlyTemp(Path dir, String name) throws IOException {
        try {
            return Files.createTempFile(dir, "." + name + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            return Files.createTempFile(dir, "." + name + ".", ".tmp");
        }
    }
}
