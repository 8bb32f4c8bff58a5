package dev.vibed.standalone.store;

import dev.vibed.core.app.App;
import dev.vibed.core.app.MemoryAppStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Standalone app store: one JSON file per app under {@code <data>/apps}, written atomically (temp file + rename)
 * before a change becomes visible, with the in-memory store serving reads. One process owns the directory. Files are
 * private to the user (they hold env values).
 */
public final class FileAppStore extends MemoryAppStore {
    private static final Logger LOG = Logger.getLogger(FileAppStore.class.getName());

    private FileAppStore(AppFiles files, List<App> initial) {
        super(files, initial);
    }

    public static FileAppStore open(Path dir) throws IOException {
        AppFiles files = new AppFiles(Files.createDirectories(dir));
        return new FileAppStore(files, files.loadAll());
    }

    /** The directory of app files as a {@link Persistence}. */
    private record AppFiles(Path dir) implements Persistence {

        List<App> loadAll() throws IOException {
            List<App> apps = new ArrayList<>();
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    String name = p.getFileName().toString();
                    if (name.endsWith(".tmp")) {
                        Files.deleteIfExists(p);
                    } else if (name.endsWith(".json")) {
                        try {
                            apps.add(AppCodec.decode(Files.readString(p)));
                        } catch (IOException | RuntimeException e) {
                            // A damaged file must not stop the platform; it stays for a human to look at.
                            LOG.log(Level.WARNING, "ignoring unreadable app file " + p.getFileName() + ": " + e.getMessage());
                        }
                    }
                }
            }
            return apps;
        }

        @Override
        public void save(App app) {
            try {
                Path tmp = dir.resolve(app.id() + ".json.tmp");
                Files.writeString(tmp, AppCodec.encode(app), StandardCharsets.UTF_8);
                try {
                    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // non-POSIX file system: nothing stronger to do
                }
                try {
                    Files.move(tmp, file(app.id()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file(app.id()), StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("saving app " + app.id() + " failed", e);
            }
        }

        @Override
        public void delete(String id) {
            try {
                Files.deleteIfExists(file(id));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private Path file(String id) {
            return dir.resolve(id + ".json");
        }
    }
}
