package dev.vibed.core.testing;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * Builds real .tar.gz archives for tests, hostile ones included (absolute names, "..", links, devices,
 * setuid bits). Shared through the core test-jar so every module tests with the same archives.
 */
public final class TarGz {
    private final List<Consumer<TarArchiveOutputStream>> entries = new ArrayList<>();

    public static TarGz create() {
        return new TarGz();
    }

    public TarGz file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    public TarGz file(String name, byte[] content, int mode) {
        entries.add(out -> {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(content.length);
            e.setMode(TarArchiveEntry.DEFAULT_FILE_MODE & ~0777 | mode);
            write(out, e, content);
        });
        return this;
    }

    /** A regular file whose header claims {@code size} bytes of zeros: cheap to build, large once expanded. */
    public TarGz zeros(String name, long size) {
        entries.add(out -> {
            TarArchiveEntry e = new TarArchiveEntry(name, true);
            e.setSize(size);
            try {
                out.putArchiveEntry(e);
                byte[] chunk = new byte[64 * 1024];
                for (long left = size; left > 0; left -= chunk.length) {
                    out.write(chunk, 0, (int) Math.min(chunk.length, left));
                }
                out.closeArchiveEntry();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
        return this;
    }

    public TarGz dir(String name) {
        entries.add(out -> write(out, new TarArchiveEntry(name.endsWith("/") ? name : name + "/", true), new byte[0]));
        return this;
    }

    public TarGz symlink(String name, String target) {
        entries.add(out -> {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
            e.setLinkName(target);
            write(out, e, new byte[0]);
        });
        return this;
    }

    public TarGz hardlink(String name, String target) {
        entries.add(out -> {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
            e.setLinkName(target);
            write(out, e, new byte[0]);
        });
        return this;
    }

    public TarGz charDevice(String name) {
        entries.add(out -> {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
            e.setDevMajor(1);
            e.setDevMinor(3);
            write(out, e, new byte[0]);
        });
        return this;
    }

    public TarGz fifo(String name) {
        entries.add(out -> write(out, new TarArchiveEntry(name, TarConstants.LF_FIFO, true), new byte[0]));
        return this;
    }

    public byte[] bytes() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        writeTo(buf);
        return buf.toByteArray();
    }

    public Path writeTo(Path file) {
        try (OutputStream out = Files.newOutputStream(file)) {
            writeTo(out);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void writeTo(OutputStream target) {
        try (GZIPOutputStream gz = new GZIPOutputStream(target);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            entries.forEach(e -> e.accept(tar));
            tar.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(TarArchiveOutputStream out, TarArchiveEntry entry, byte[] content) {
        try {
            out.putArchiveEntry(entry);
            out.write(content);
            out.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
