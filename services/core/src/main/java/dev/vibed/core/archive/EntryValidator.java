package dev.vibed.core.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

import static dev.vibed.core.archive.ArchiveRejectedException.HARD_LINK;
import static dev.vibed.core.archive.ArchiveRejectedException.PATH_TRAVERSAL;
import static dev.vibed.core.archive.ArchiveRejectedException.SETUID;
import static dev.vibed.core.archive.ArchiveRejectedException.SPECIAL_FILE;
import static dev.vibed.core.archive.ArchiveRejectedException.TOO_MANY_ENTRIES;

/**
 * Decides, one tar header at a time, whether an entry may exist. The inspector and the extractor both go through
 * this class (via {@link ArchiveWalker}), so an archive the inspector accepted is one the extractor will accept.
 */
final class EntryValidator {
    private static final int SETUID_BIT = 04000;
    private static final int SETGID_BIT = 02000;
    private static final int OWNER_EXECUTE_BIT = 0100;

    private final ArchiveLimits limits;
    private final ArchiveTree tree = new ArchiveTree();
    private int entries;

    EntryValidator(ArchiveLimits limits) {
        this.limits = limits;
    }

    /** Returns the accepted entry, or null for the archive's own root folder ("./"), which needs no action. */
    AcceptedEntry check(TarArchiveEntry header) throws ArchiveRejectedException {
        String rawName = header.getName();
        if (++entries > limits.maxEntries()) {
            throw new ArchiveRejectedException(TOO_MANY_ENTRIES,
                    "the archive has more than " + limits.maxEntries() + " entries (stopped at '" + rawName + "')", rawName);
        }
        String path = EntryPaths.normalize(rawName, limits.maxPathLength());
        ArchiveEntry.Kind kind = kindOf(header);
        if ((header.getMode() & (SETUID_BIT | SETGID_BIT)) != 0) {
            throw new ArchiveRejectedException(SETUID,
                    "entry '" + rawName + "' has the setuid or setgid bit (mode " + Integer.toOctalString(header.getMode()) + ")", rawName);
        }
        String linkTarget = null;
        if (kind == ArchiveEntry.Kind.SYMLINK) {
            linkTarget = header.getLinkName();
            EntryPaths.checkLinkTarget(path, linkTarget, rawName, limits.maxPathLength());
        }
        if (path.isEmpty()) {
            if (kind != ArchiveEntry.Kind.DIRECTORY) {
                throw new ArchiveRejectedException(PATH_TRAVERSAL, "entry '" + rawName + "' would replace the extraction root", rawName);
            }
            return null;
        }
        tree.add(path, kind, rawName);
        long declared = kind == ArchiveEntry.Kind.FILE ? Math.max(header.getSize(), header.getRealSize()) : 0;
        boolean executable = (header.getMode() & OWNER_EXECUTE_BIT) != 0;
        return new AcceptedEntry(rawName, path, kind, linkTarget, declared, executable);
    }

    /** An allow-list: only plain files, folders and symlinks get through; every other type is refused by name. */
    private static ArchiveEntry.Kind kindOf(TarArchiveEntry header) throws ArchiveRejectedException {
        String rawName = header.getName();
        byte flag = header.getLinkFlag();
        if (header.isLink()) {
            throw new ArchiveRejectedException(HARD_LINK,
                    "entry '" + rawName + "' is a hard link (to '" + header.getLinkName() + "')", rawName);
        }
        if (header.isSymbolicLink()) {
            return ArchiveEntry.Kind.SYMLINK;
        }
        if (header.isCharacterDevice() || header.isBlockDevice()) {
            throw new ArchiveRejectedException(SPECIAL_FILE, "entry '" + rawName + "' is a device file", rawName);
        }
        if (header.isFIFO()) {
            throw new ArchiveRejectedException(SPECIAL_FILE, "entry '" + rawName + "' is a FIFO (named pipe)", rawName);
        }
        boolean plain = flag == TarConstants.LF_NORMAL || flag == TarConstants.LF_OLDNORM;
        if (flag == TarConstants.LF_DIR || plain && rawName.endsWith("/")) {
            return ArchiveEntry.Kind.DIRECTORY;
        }
        // Contiguous and sparse files are regular files with unusual storage; commons-compress expands them.
        if (plain || flag == TarConstants.LF_CONTIG || flag == TarConstants.LF_GNUTYPE_SPARSE) {
            return ArchiveEntry.Kind.FILE;
        }
        throw new ArchiveRejectedException(SPECIAL_FILE,
                "entry '" + rawName + "' has the unsupported tar type '" + typeName(flag) + "'", rawName);
    }

    private static String typeName(byte flag) {
        return flag >= 0x20 && flag < 0x7f ? String.valueOf((char) flag) : "\\" + Integer.toOctalString(flag & 0xff);
    }
}
