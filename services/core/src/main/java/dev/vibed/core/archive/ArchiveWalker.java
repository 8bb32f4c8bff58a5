package dev.vibed.core.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static dev.vibed.core.archive.ArchiveRejectedException.CORRUPT;
import static dev.vibed.core.archive.ArchiveRejectedException.NOT_GZIP;
import static dev.vibed.core.archive.ArchiveRejectedException.TOO_LARGE;

/**
 * The single streaming pass shared by inspection and extraction: gunzip, read tar headers, validate each entry,
 * hand accepted entries to an {@link EntrySink}, and count every byte on the way so that no size claim has to be
 * trusted. Nothing is buffered beyond one chunk and the small key files.
 */
final class ArchiveWalker {
    private static final int CHUNK = 64 * 1024;
    /** Room for one entry's headers: pax records, GNU long names and the previous entry's padding. */
    private static final long HEADER_WINDOW = 1024 * 1024;
    /** Room for all headers together, on top of {@link #HEADER_PER_ENTRY} per allowed entry. */
    private static final long HEADER_BASE = 16L * 1024 * 1024;
    /** Generous next to the 1-2 KiB a real entry needs, even with macOS extended attributes. */
    private static final long HEADER_PER_ENTRY = 4 * 1024;
    /** Room for the zero blocks tar writes after its end-of-archive marker (10 KiB is usual). */
    private static final long TRAILER_WINDOW = 1024 * 1024;

    private final ArchiveLimits limits;
    private final EntrySink sink;
    private final EntryValidator validator;
    private final KeyFileCollector keyFiles = new KeyFileCollector();
    private final Map<String, ArchiveEntry> entries = new LinkedHashMap<>();
    private long expandedBytes;

    private ArchiveWalker(ArchiveLimits limits, EntrySink sink) {
        this.limits = limits;
        this.sink = sink;
        this.validator = new EntryValidator(limits);
    }

    static ArchiveManifest walk(Path tarGz, ArchiveLimits limits, EntrySink sink) throws ArchiveRejectedException, IOException {
        long compressed = Files.size(tarGz);
        if (compressed > limits.maxCompressedBytes()) {
            throw new ArchiveRejectedException(TOO_LARGE,
                    "the archive is " + compressed + " bytes; the limit is " + limits.maxCompressedBytes(), null);
        }
        try (InputStream file = Files.newInputStream(tarGz)) {
            return new ArchiveWalker(limits, sink).run(file);
        }
    }

    /** As {@link #walk(Path, ArchiveLimits, EntrySink)} from a stream it does not close; its size is capped as it is read. */
    static ArchiveManifest walk(InputStream tarGz, ArchiveLimits limits, EntrySink sink) throws ArchiveRejectedException, IOException {
        InputStream unclosed = new java.io.FilterInputStream(tarGz) {
            @Override
            public void close() {
                // the caller's stream: it may still read the rest (e.g. to finish a hash)
            }
        };
        return new ArchiveWalker(limits, sink).run(unclosed);
    }

    private ArchiveManifest run(InputStream file) throws ArchiveRejectedException, IOException {
        // The cap on the compressed side only matters if the file grows while we read; Files.size caught the rest.
        InputStream compressed = new BufferedInputStream(new CappedInputStream(new SourceInputStream(file),
                limits.maxCompressedBytes(), "the archive is larger than " + limits.maxCompressedBytes() + " bytes"), CHUNK);
        requireGzip(compressed);
        try (CappedInputStream tarBytes = new CappedInputStream(openGzip(compressed), Long.MAX_VALUE, "");
             StrictTarInputStream tar = new StrictTarInputStream(tarBytes)) {
            String previous = null;
            long headerBudget = HEADER_BASE + HEADER_PER_ENTRY * limits.maxEntries();
            while (true) {
                // Everything read so far that was not file content was headers and padding.
                long headersLeft = headerBudget - (tarBytes.count() - expandedBytes);
                tarBytes.limit(tarBytes.count() + Math.min(HEADER_WINDOW, Math.max(headersLeft, 0)),
                        "the tar headers after " + describe(previous) + " are too large (over " + HEADER_WINDOW
                                + " bytes for one entry or " + headerBudget + " in all)");
                TarArchiveEntry header = nextHeader(tar, previous);
                if (header == null) {
                    break;
                }
                previous = header.getName();
                // File content is capped by the expanded-size budget in copyContent, byte for byte.
                tarBytes.limit(Long.MAX_VALUE, "");
                AcceptedEntry accepted = validator.check(header);
                if (accepted != null) {
                    accept(accepted, tar);
                }
            }
            tarBytes.limit(tarBytes.count() + TRAILER_WINDOW,
                    "more than " + TRAILER_WINDOW + " bytes of data follow the end of the tar archive");
            drainTrailer(tarBytes);
        }
        return new ArchiveManifest(new ArrayList<>(entries.values()), expandedBytes, keyFiles.texts());
    }

    private void accept(AcceptedEntry entry, InputStream tar) throws ArchiveRejectedException, IOException {
        switch (entry.kind()) {
            case DIRECTORY -> {
                sink.directory(entry.path());
                entries.putIfAbsent(entry.path(), ArchiveEntry.directory(entry.path()));
            }
            case SYMLINK -> {
                sink.symlink(entry.path(), entry.linkTarget());
                entries.put(entry.path(), ArchiveEntry.symlink(entry.path(), entry.linkTarget()));
            }
            case FILE -> {
                long size = copyContent(entry, tar);
                entries.put(entry.path(), ArchiveEntry.file(entry.path(), size));
            }
        }
    }

    /** Streams one file's bytes into the sink, counting them against the expanded-size budget. */
    private long copyContent(AcceptedEntry entry, InputStream tar) throws ArchiveRejectedException, IOException {
        long remaining = limits.maxExpandedBytes() - expandedBytes;
        String overBudget = "entry '" + entry.rawName() + "' takes the expanded size over the limit of "
                + limits.maxExpandedBytes() + " bytes";
        if (entry.declaredSize() > remaining) {
            // The header's claim is enough to refuse early; it is never enough to accept.
            throw new ArchiveRejectedException(TOO_LARGE, overBudget, entry.rawName());
        }
        CappedInputStream content = new CappedInputStream(tar, remaining, overBudget);
        ByteArrayOutputStream capture = keyFiles.wants(entry.path(), entry.declaredSize()) ? new ByteArrayOutputStream() : null;
        byte[] chunk = new byte[CHUNK];
        long size = 0;
        try (OutputStream out = sink.file(entry.path(), entry.executable())) {
            for (int n; (n = readContent(content, chunk, entry.rawName())) != -1; ) {
                out.write(chunk, 0, n);
                size += n;
                if (capture != null) {
                    capture = capture.size() + n <= KeyFileCollector.MAX_FILE_BYTES ? append(capture, chunk, n) : null;
                }
            }
        }
        expandedBytes += size;
        if (capture != null) {
            keyFiles.add(entry.path(), capture.toByteArray());
        } else {
            keyFiles.forget(entry.path());
        }
        return size;
    }

    private static ByteArrayOutputStream append(ByteArrayOutputStream capture, byte[] chunk, int n) {
        capture.write(chunk, 0, n);
        return capture;
    }

    private static void requireGzip(InputStream in) throws ArchiveRejectedException, IOException {
        in.mark(2);
        int first;
        int second;
        try {
            first = in.read();
            second = first == -1 ? -1 : in.read();
        } catch (SourceInputStream.Failure e) {
            throw e.original();
        }
        in.reset();
        if (first != 0x1f || second != 0x8b) {
            throw new ArchiveRejectedException(NOT_GZIP, "the upload is not gzip data (a .tar.gz is expected)", null);
        }
    }

    private static InputStream openGzip(InputStream compressed) throws ArchiveRejectedException, IOException {
        try {
            return new GZIPInputStream(compressed, CHUNK);
        } catch (IOException e) {
            throw rejection(e, null, "the gzip header is corrupt");
        }
    }

    private static TarArchiveEntry nextHeader(StrictTarInputStream tar, String previous) throws ArchiveRejectedException, IOException {
        TarArchiveEntry header;
        try {
            header = tar.getNextEntry();
        } catch (IOException | RuntimeException e) {
            throw rejection(e, null, "the archive is truncated or corrupt after " + describe(previous));
        }
        if (header != null && !header.isCheckSumOK()) {
            throw new ArchiveRejectedException(CORRUPT,
                    "the tar header of entry '" + header.getName() + "' (after " + describe(previous)
                            + ") has a bad checksum: the data is corrupt or not a tar archive", header.getName());
        }
        return header;
    }

    private static int readContent(InputStream content, byte[] chunk, String rawName) throws ArchiveRejectedException, IOException {
        try {
            return content.read(chunk, 0, chunk.length);
        } catch (IOException | RuntimeException e) {
            throw rejection(e, rawName, "entry '" + rawName + "' is truncated or corrupt");
        }
    }

    /** Reads to the end of the gzip stream so its checksum and length trailer are verified too. */
    private static void drainTrailer(InputStream tarBytes) throws ArchiveRejectedException, IOException {
        byte[] chunk = new byte[CHUNK];
        try {
            while (tarBytes.read(chunk) != -1) {
                // discard: only the gzip trailer check matters
            }
        } catch (IOException e) {
            throw rejection(e, null, "the archive is truncated or corrupt at its end");
        }
    }

    /**
     * Sorts a failure that surfaced while reading: a passed cap is {@code archive_too_large}, a failing source
     * file is a plain IOException (our problem, not the user's), anything else means the data is broken.
     */
    private static ArchiveRejectedException rejection(Exception e, String entry, String corruptMessage) throws IOException {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof CapExceededException cap) {
                return new ArchiveRejectedException(TOO_LARGE, cap.getMessage(), entry);
            }
            if (t instanceof SourceInputStream.Failure failure) {
                throw failure.original();
            }
        }
        return new ArchiveRejectedException(CORRUPT, corruptMessage + ": " + e.getMessage(), entry);
    }

    private static String describe(String previousEntry) {
        return previousEntry == null ? "the start of the archive" : "entry '" + previousEntry + "'";
    }
}
