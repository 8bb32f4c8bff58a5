package dev.vibed.core.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;

/**
 * Writes accepted entries under one root folder without ever following a link: parents are created one level
 * at a time and refused if they turn out to be links, files are opened with NOFOLLOW_LINKS. The validator has
 * already refused archives that would need either; this is the second lock on the same door.
 */
final class DiskSink implements EntrySink {
    private static final Set<PosixFilePermission> PLAIN = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> EXECUTABLE = PosixFilePermissions.fromString("rwxr-xr-x");
    private static final OpenOption[] WRITE_NO_FOLLOW = {
            StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS};

    private final Path root;
    /** Folders known to be real folders we made or checked, so deep trees do not cost a stat per level per file. */
    private final Set<String> knownFolders = new HashSet<>();

    DiskSink(Path root) {
        this.root = root;
    }

    @Override
    public void directory(String path) throws IOException {
        ensureFolder(path);
    }

    @Override
    public void symlink(String path, String target) throws IOException {
        Path link = prepare(path);
        Files.createSymbolicLink(link, link.getFileSystem().getPath(target));
    }

    @Override
    public OutputStream file(String path, boolean executable) throws IOException {
        Path file = prepare(path);
        OutputStream out = Channels.newOutputStream(Files.newByteChannel(file, Set.of(WRITE_NO_FOLLOW)));
        try {
            PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
            if (view != null) {
                // Explicit, so neither the umask nor the archive's mode decides; setuid and friends never get here.
                view.setPermissions(executable ? EXECUTABLE : PLAIN);
            }
        } catch (IOException | RuntimeException e) {
            out.close();
            throw e;
        }
        return out;
    }

    /** Creates the entry's parent folders and returns where the entry goes. */
    private Path prepare(String path) throws IOException {
        int slash = path.lastIndexOf('/');
        if (slash > 0) {
            ensureFolder(path.substring(0, slash));
        }
        return inside(path);
    }

    private void ensureFolder(String path) throws IOException {
        if (knownFolders.contains(path)) {
            return;
        }
        int end = 0;
        while (end >= 0) {
            end = path.indexOf('/', end + 1);
            String prefix = end < 0 ? path : path.substring(0, end);
            if (knownFolders.contains(prefix)) {
                continue;
            }
            Path folder = inside(prefix);
            if (Files.isSymbolicLink(folder)) {
                throw new FileAlreadyExistsException(folder.toString(), null, "refusing to write through a symlink");
            }
            if (!Files.exists(folder, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(folder);
            } else if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) {
                throw new NotDirectoryException(folder.toString());
            }
            knownFolders.add(prefix);
        }
    }

    private Path inside(String relative) throws IOException {
        Path target = root.resolve(relative).normalize();
        if (!target.startsWith(root) || target.equals(root)) {
            throw new IOException("refusing to write outside the extraction folder: " + relative);
        }
        return target;
    }
}
