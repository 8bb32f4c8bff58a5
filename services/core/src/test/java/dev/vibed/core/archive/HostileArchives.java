package dev.vibed.core.archive;

import dev.vibed.core.testing.TarGz;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static dev.vibed.core.archive.ArchiveRejectedException.ABSOLUTE_PATH;
import static dev.vibed.core.archive.ArchiveRejectedException.CORRUPT;
import static dev.vibed.core.archive.ArchiveRejectedException.HARD_LINK;
import static dev.vibed.core.archive.ArchiveRejectedException.LINK_ESCAPE;
import static dev.vibed.core.archive.ArchiveRejectedException.NOT_GZIP;
import static dev.vibed.core.archive.ArchiveRejectedException.PATH_TOO_LONG;
import static dev.vibed.core.archive.ArchiveRejectedException.PATH_TRAVERSAL;
import static dev.vibed.core.archive.ArchiveRejectedException.SETUID;
import static dev.vibed.core.archive.ArchiveRejectedException.SPECIAL_FILE;
import static dev.vibed.core.archive.ArchiveRejectedException.TOO_LARGE;
import static dev.vibed.core.archive.ArchiveRejectedException.TOO_MANY_ENTRIES;

/**
 * Every archive we must refuse, with the code and the entry the refusal has to name. The inspector and the
 * extractor tests run the same table, which is how we know they agree.
 */
final class HostileArchives {
    static final long MiB = 1024 * 1024;
    static final ArchiveLimits DEFAULTS = ArchiveLimits.defaults();
    /** 200 MiB of zeros: about 200 KiB compressed. */
    static final long BOMB_SIZE = 200 * MiB;
    static final ArchiveLimits BOMB_LIMITS = new ArchiveLimits(50 * MiB, 10 * MiB, 10_000, 255);

    private static byte[] bomb;

    /**
     * @param entry the entry the rejection must name, or null when no entry is to blame (e.g. not gzip at all)
     */
    record Case(String name, Supplier<byte[]> archive, ArchiveLimits limits, String code, String entry) {
        @Override
        public String toString() {
            return name;
        }
    }

    private HostileArchives() {
    }

    static List<Case> all() {
        return List.of(
                tar("absolute path", site().file("/etc/evil", "x"), ABSOLUTE_PATH, "/etc/evil"),
                tar("windows drive path", site().file("C:\\Windows\\evil.txt", "x"), ABSOLUTE_PATH, "C:\\Windows\\evil.txt"),
                tar("windows root path", site().file("\\evil.txt", "x"), ABSOLUTE_PATH, "\\evil.txt"),
                tar("parent traversal ../x", site().file("../x", "x"), PATH_TRAVERSAL, "../x"),
                tar("nested traversal a/../../x", site().file("a/../../x", "x"), PATH_TRAVERSAL, "a/../../x"),
                tar("dot-dot that stays inside a/../b", site().file("a/../b", "x"), PATH_TRAVERSAL, "a/../b"),
                tar("backslash traversal", site().file("..\\..\\x", "x"), PATH_TRAVERSAL, "..\\..\\x"),
                tar("NUL in a long name", site().file(nulName(), "x"), PATH_TRAVERSAL, nulName()),
                tar("symlink to /etc/passwd", site().symlink("passwd", "/etc/passwd"), LINK_ESCAPE, "passwd"),
                tar("symlink ../../x", site().symlink("a/up", "../../x"), LINK_ESCAPE, "a/up"),
                tar("symlink climbing through a folder", site().symlink("x/link", "..").symlink("y", "x/link/.."),
                        LINK_ESCAPE, "y"),
                tar("write through a symlink", site().dir("sub").symlink("link", "sub").file("link/x", "x"), LINK_ESCAPE, "link/x"),
                tar("file replacing a symlink", site().symlink("page.html", "index.html").file("page.html", "x"),
                        LINK_ESCAPE, "page.html"),
                tar("symlink replacing a folder", site().file("lib/a.js", "x").symlink("lib", "assets"), LINK_ESCAPE, "lib"),
                tar("file used as a folder", site().file("a", "x").file("a/b", "y"), CORRUPT, "a/b"),
                tar("hard link", site().hardlink("copy.html", "index.html"), HARD_LINK, "copy.html"),
                tar("character device", site().charDevice("dev/null"), SPECIAL_FILE, "dev/null"),
                tar("fifo", site().fifo("pipe"), SPECIAL_FILE, "pipe"),
                tar("setuid file", site().file("bin/su", bytes("x"), 04755), SETUID, "bin/su"),
                tar("setgid file", site().file("bin/sg", bytes("x"), 02755), SETUID, "bin/sg"),
                new Case("too many entries", () -> numbered(6, 10).bytes(), new ArchiveLimits(50 * MiB, 200 * MiB, 5, 255),
                        TOO_MANY_ENTRIES, "f5"),
                tar("path too long", site().file("a".repeat(300), "x"), PATH_TOO_LONG, "a".repeat(300)),
                new Case("name segment over 255 bytes", () -> site().file("a/" + "é".repeat(200), "x").bytes(),
                        new ArchiveLimits(50 * MiB, 200 * MiB, 10_000, 1000), PATH_TOO_LONG, "a/" + "é".repeat(200)),
                new Case("expanded size over the cap", () -> site().zeros("big.bin", 2 * MiB).bytes(),
                        new ArchiveLimits(50 * MiB, MiB, 10_000, 255), TOO_LARGE, "big.bin"),
                new Case("expanded size over the cap across files", () -> numbered(5, 300 * 1024).bytes(),
                        new ArchiveLimits(50 * MiB, MiB, 10_000, 255), TOO_LARGE, "f3"),
                new Case("gzip bomb", HostileArchives::bomb, BOMB_LIMITS, TOO_LARGE, "bomb.bin"),
                new Case("compressed size over the cap", () -> site().bytes(),
                        new ArchiveLimits(100, 200 * MiB, 10_000, 255), TOO_LARGE, null),
                new Case("truncated gzip", HostileArchives::truncated, DEFAULTS, CORRUPT, "big.bin"),
                new Case("tar cut inside a header", HostileArchives::cutInsideHeader, DEFAULTS, CORRUPT, null),
                new Case("bad header checksum", HostileArchives::badChecksum, DEFAULTS, CORRUPT, "indey.html"),
                new Case("gzip of plain text", () -> gzip(bytes("just some text, not a tar")), DEFAULTS, CORRUPT, null),
                new Case("plain text", () -> bytes("hello, this is not an archive"), DEFAULTS, NOT_GZIP, null),
                new Case("zero bytes", () -> new byte[0], DEFAULTS, NOT_GZIP, null),
                new Case("zip file", () -> new byte[]{'P', 'K', 3, 4, 0, 0, 0, 0}, DEFAULTS, NOT_GZIP, null),
                new Case("sparse file bomb", HostileArchives::sparseBomb, BOMB_LIMITS, TOO_LARGE, "bomb.bin"));
    }

    /** Benign content first, so the extractor has really written something it must then remove. */
    static TarGz site() {
        return TarGz.create().file("index.html", "<h1>hi</h1>").dir("assets").file("assets/app.js", "console.log(1)");
    }

    static synchronized byte[] bomb() {
        if (bomb == null) {
            bomb = TarGz.create().file("index.html", "<h1>hi</h1>").zeros("bomb.bin", BOMB_SIZE).bytes();
        }
        return bomb;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Files f0, f1, ... of {@code size} zero bytes each. */
    static TarGz numbered(int count, long size) {
        TarGz tar = TarGz.create();
        for (int i = 0; i < count; i++) {
            tar.zeros("f" + i, size);
        }
        return tar;
    }

    /** Long enough to travel in a pax header, which (unlike the ustar name field) can carry a NUL. */
    private static String nulName() {
        return "a".repeat(120) + "\0" + ".html";
    }

    private static Case tar(String name, TarGz archive, String code, String entry) {
        return new Case(name, archive::bytes, DEFAULTS, code, entry);
    }

    /** Random bytes do not compress, so cutting the gzip in half cuts through big.bin's content. */
    private static byte[] truncated() {
        byte[] noise = new byte[256 * 1024];
        new Random(42).nextBytes(noise);
        byte[] whole = TarGz.create().file("index.html", "<h1>hi</h1>").file("big.bin", noise, 0644).bytes();
        return Arrays.copyOf(whole, whole.length / 2);
    }

    /** A valid gzip whose tar stops 100 bytes into the end-of-archive block. */
    private static byte[] cutInsideHeader() {
        byte[] tar = gunzip(TarGz.create().file("index.html", "<h1>hi</h1>").bytes());
        return gzip(Arrays.copyOf(tar, 512 + 512 + 100));
    }

    /** Renames index.html to indey.html in its ustar header without fixing the header's checksum. */
    private static byte[] badChecksum() {
        byte[] tar = gunzip(TarGz.create().file("index.html", "<h1>hi</h1>").bytes());
        byte[] name = bytes("index.html");
        for (int block = 0; block < tar.length; block += 512) {
            if (Arrays.equals(tar, block, block + name.length, name, 0, name.length)) {
                tar[block + 4] = 'y';
                return gzip(tar);
            }
        }
        throw new IllegalStateException("no ustar header named index.html");
    }

    /**
     * A GNU 1.0 sparse file whose header claims 513 stored bytes but that expands to {@link #BOMB_SIZE}: the
     * size in the header is not the size on disk. The pax record is written by hand because commons-compress
     * keeps GNU.sparse.* keys to itself when writing.
     */
    private static byte[] sparseBomb() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(raw)) {
            byte[] pax = bytes(paxRecord("GNU.sparse.major", "1") + paxRecord("GNU.sparse.minor", "0")
                    + paxRecord("GNU.sparse.name", "bomb.bin") + paxRecord("GNU.sparse.realsize", Long.toString(BOMB_SIZE)));
            TarArchiveEntry header = new TarArchiveEntry("PaxHeaders/bomb.bin", TarConstants.LF_PAX_EXTENDED_HEADER_LC);
            header.setSize(pax.length);
            out.putArchiveEntry(header);
            out.write(pax);
            out.closeArchiveEntry();

            byte[] map = Arrays.copyOf(bytes("1\n" + (BOMB_SIZE - 1) + "\n1\n"), 512);
            TarArchiveEntry entry = new TarArchiveEntry("GNUSparseFile.0/bomb.bin");
            entry.setSize(map.length + 1);
            out.putArchiveEntry(entry);
            out.write(map);
            out.write('x');
            out.closeArchiveEntry();
            out.finish();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return gzip(raw.toByteArray());
    }

    /** "LEN key=value\n", where LEN counts the whole record including its own digits. */
    private static String paxRecord(String key, String value) {
        String body = " " + key + "=" + value + "\n";
        int length = body.length() + 1;
        while (length != Integer.toString(length).length() + body.length()) {
            length++;
        }
        return length + body;
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzip(byte[] data) {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(data))) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
