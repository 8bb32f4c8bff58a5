package dev.vibed.cli.pack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Packs a project folder into the tar.gz a deploy uploads. What it leaves out is the point: {@code .git} always,
 * {@code node_modules} unless asked, whatever {@code .gitignore}/{@code .vibedignore} ignore, and anything not
 * inside the folder: links are never followed; a link whose target stays inside is packed as a (relative) link,
 * one that leads out is skipped. Entries are sorted and carry no owner names, and modes keep only the
 * permission bits, so the server's archive checks accept what we send.
 */
public final class SourcePacker {
    private static final int LARGEST = 5;

    private final boolean includeNodeModules;

    public SourcePacker(boolean includeNodeModules) {
        this.includeNodeModules = includeNodeModules;
    }

    public PackResult pack(Path folder) throws IOException {
        Path root = folder.toRealPath();
        Path archive = Files.createTempFile("vibed-deploy-", ".tar.gz",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Walk walk = new Walk(root);
        try (OutputStream file = Files.newOutputStream(archive);
             GZIPOutputStream gz = new GZIPOutputStream(new BufferedOutputStream(file, 1 << 16), 1 << 16) {
                 {
                     def.setLevel(Deflater.BEST_COMPRESSION);
                 }
             };
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            walk.directory(tar, root, "", IgnoreRules.none().enter("", root));
            tar.finish();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(archive);
            throw e;
        }
        List<PackResult.Packed> largest = new ArrayList<>(walk.largest);
        largest.sort(Comparator.comparingLong(PackResult.Packed::sizeBytes).reversed());
        return new PackResult(archive, Files.size(archive), walk.files, walk.bytesIn, List.copyOf(walk.skipped), largest);
    }

    private final class Walk {
        private final Path root;
        private final List<PackResult.Skipped> skipped = new ArrayList<>();
        private final PriorityQueue<PackResult.Packed> largest = new PriorityQueue<>(Comparator.comparingLong(PackResult.Packed::sizeBytes));
        private int files;
        private long bytesIn;

        Walk(Path root) {
            this.root = root;
        }

        void directory(TarArchiveOutputStream tar, Path dir, String rel, IgnoreRules rules) throws IOException {
            List<Path> children = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                ds.forEach(children::add);
            }
            children.sort(Comparator.comparing(p -> p.getFileName().toString()));
            for (Path child : children) {
                String name = child.getFileName().toString();
                String path = rel.isEmpty() ? name : rel + "/" + name;
                BasicFileAttributes attrs = Files.readAttributes(child, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                boolean isDir = attrs.isDirectory();
                if (name.equals(".git")) {
                    skip(path, isDir, PackResult.Reason.ALWAYS);
                } else if (name.equals("node_modules") && !includeNodeModules) {
                    skip(path, isDir, PackResult.Reason.NODE_MODULES);
                } else if (rules.ignored(path, isDir)) {
                    skip(path, isDir, PackResult.Reason.IGNORED);
                } else if (attrs.isSymbolicLink()) {
                    link(tar, child, path);
                } else if (isDir) {
                    TarArchiveEntry e = anonymous(new TarArchiveEntry(path + "/"));
                    e.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
                    e.setModTime(attrs.lastModifiedTime());
                    tar.putArchiveEntry(e);
                    tar.closeArchiveEntry();
                    directory(tar, child, path, rules.enter(path, child));
                } else if (attrs.isRegularFile()) {
                    file(tar, child, path, attrs);
                } else {
                    skip(path, false, PackResult.Reason.SPECIAL);
                }
            }
        }

        private void file(TarArchiveOutputStream tar, Path file, String path, BasicFileAttributes attrs) throws IOException {
            TarArchiveEntry e = anonymous(new TarArchiveEntry(path));
            e.setSize(attrs.size());
            e.setMode(0100000 | mode(file));
            e.setModTime(attrs.lastModifiedTime());
            tar.putArchiveEntry(e);
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                in.transferTo(tar);
            }
            tar.closeArchiveEntry();
            files++;
            bytesIn += attrs.size();
            largest.add(new PackResult.Packed(path, attrs.size()));
            if (largest.size() > LARGEST) {
                largest.poll();
            }
        }

        private void link(TarArchiveOutputStream tar, Path link, String path) throws IOException {
            Path target;
            try {
                target = link.toRealPath();
            } catch (IOException e) {
                skip(path, false, PackResult.Reason.BROKEN_LINK);
                return;
            }
            if (!target.startsWith(root) || target.equals(root)) {
                skip(path, false, PackResult.Reason.LINK_OUTSIDE);
                return;
            }
            // Relative to the link's own (real) directory, so the archive never holds an absolute path.
            String relative = link.getParent().toRealPath().relativize(target).toString();
            TarArchiveEntry e = anonymous(new TarArchiveEntry(path, TarConstants.LF_SYMLINK));
            e.setLinkName(relative);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
        }

        private void skip(String path, boolean dir, PackResult.Reason reason) {
            skipped.add(new PackResult.Skipped(dir ? path + "/" : path, reason));
        }
    }

    /** No local user or group names (the entry would otherwise carry this machine's login name). */
    private static TarArchiveEntry anonymous(TarArchiveEntry e) {
        e.setUserName("");
        e.setGroupName("");
        e.setIds(0, 0);
        return e;
    }

    /** rwx bits only: no setuid, setgid or sticky bit (the server rejects those). */
    private static int mode(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file, LinkOption.NOFOLLOW_LINKS);
            int mode = 0;
            for (PosixFilePermission p : perms) {
                mode |= 1 << (8 - p.ordinal());
            }
            return mode;
        } catch (IOException | UnsupportedOperationException e) {
            // No POSIX permissions here (a Windows file system), or the file went away since the walk: the
            // usual rw-r--r--. A file that cannot be read fails the pack when its bytes are read, not here.
            return 0644;
        }
    }
}
