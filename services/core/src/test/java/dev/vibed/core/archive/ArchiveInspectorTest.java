package dev.vibed.core.archive;

import dev.vibed.core.testing.TarGz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static dev.vibed.core.archive.ArchiveEntry.Kind.DIRECTORY;
import static dev.vibed.core.archive.ArchiveEntry.Kind.FILE;
import static dev.vibed.core.archive.ArchiveEntry.Kind.SYMLINK;
import static dev.vibed.core.archive.HostileArchives.BOMB_LIMITS;
import static dev.vibed.core.archive.HostileArchives.MiB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ArchiveInspectorTest {
    private final ArchiveInspector inspector = new ArchiveInspector();

    @TempDir
    Path tmp;

    static Stream<HostileArchives.Case> hostile() {
        return HostileArchives.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusesHostileArchivesWithAStableCodeNamingTheEntry(HostileArchives.Case c) throws IOException {
        Path archive = Files.write(tmp.resolve("upload.tar.gz"), c.archive().get());

        ArchiveRejectedException e = catchThrowableOfType(ArchiveRejectedException.class,
                () -> inspector.inspect(archive, c.limits()));

        assertThat(e).as("rejection").isNotNull();
        assertThat(e.code()).isEqualTo(c.code());
        assertThat(e.entry()).isEqualTo(c.entry());
        if (c.entry() != null) {
            assertThat(e.getMessage()).contains(c.entry().replace("\0", "\\0"));
        }
    }

    @Test
    void stopsAGzipBombLongBeforeReadingItAll() throws Exception {
        Path archive = Files.write(tmp.resolve("bomb.tar.gz"), HostileArchives.bomb());
        inspector.inspect(writeArchive(HostileArchives.site()), BOMB_LIMITS); // warm up class loading and the JIT a little
        long fullRead = timeToDecompressEverything(archive);

        long start = System.nanoTime();
        ArchiveRejectedException e = catchThrowableOfType(ArchiveRejectedException.class, () -> inspector.inspect(archive, BOMB_LIMITS));
        long rejection = System.nanoTime() - start;

        assertThat(e.code()).isEqualTo(ArchiveRejectedException.TOO_LARGE);
        assertThat(rejection).as("rejection took %d ms, reading it all takes %d ms", rejection / 1_000_000, fullRead / 1_000_000)
                .isLessThan(fullRead / 3);
    }

    @Test
    void countsRealBytesAcrossFilesNotJustTheLargestHeader() throws Exception {
        Path archive = writeArchive(HostileArchives.numbered(40, 512 * 1024));

        ArchiveRejectedException e = catchThrowableOfType(ArchiveRejectedException.class,
                () -> inspector.inspect(archive, new ArchiveLimits(50 * MiB, 10 * MiB, 10_000, 255)));

        assertThat(e.code()).isEqualTo(ArchiveRejectedException.TOO_LARGE);
        assertThat(e.entry()).isEqualTo("f20");
    }

    @Test
    void acceptsAnArchiveExactlyAtEveryLimit() throws Exception {
        String longest = "p/" + "a".repeat(253);
        Path archive = writeArchive(TarGz.create().zeros("a.bin", 1000).zeros("b.bin", 24).file(longest, ""));

        ArchiveManifest manifest = inspector.inspect(archive, new ArchiveLimits(Files.size(archive), 1024, 3, 255));

        assertThat(manifest.expandedBytes()).isEqualTo(1024);
        assertThat(manifest.filePaths()).containsExactly("a.bin", "b.bin", longest);
    }

    @Test
    void listsNormalisedEntriesWithKindsSizesAndLinkTargets() throws Exception {
        Path archive = writeArchive(TarGz.create()
                .dir("./")
                .file("./index.html", "<h1>hi</h1>")
                .dir("./assets/")
                .file("assets//css/./site.css", "body{}")
                .symlink("latest", "assets/css")
                .symlink("assets/css/again.css", "site.css")
                .file("bin/run.sh", HostileArchives.bytes("#!/bin/sh\n"), 0755));

        ArchiveManifest manifest = inspector.inspect(archive, ArchiveLimits.defaults());

        assertThat(manifest.entries()).containsExactly(
                new ArchiveEntry("index.html", 11, FILE, null),
                new ArchiveEntry("assets", 0, DIRECTORY, null),
                new ArchiveEntry("assets/css/site.css", 6, FILE, null),
                new ArchiveEntry("latest", 0, SYMLINK, "assets/css"),
                new ArchiveEntry("assets/css/again.css", 0, SYMLINK, "site.css"),
                new ArchiveEntry("bin/run.sh", 10, FILE, null));
        assertThat(manifest.expandedBytes()).isEqualTo(27);
        assertThat(manifest.hasFile("index.html")).isTrue();
        assertThat(manifest.hasFile("latest")).isTrue();
        assertThat(manifest.hasFile("assets")).isFalse();
        assertThat(manifest.hasFile("missing.html")).isFalse();
    }

    @Test
    void acceptsInRootSymlinksWithLeadingDotDot() throws Exception {
        Path archive = writeArchive(TarGz.create()
                .file("node_modules/vite/bin/vite.js", "x")
                .symlink("node_modules/.bin/vite", "../vite/bin/vite.js")
                .symlink("a/b/top", "../../index.html")
                .symlink("self", "."));

        assertThat(inspector.inspect(archive, ArchiveLimits.defaults()).entries()).hasSize(4);
    }

    @Test
    void acceptsUnicodeAndLongPaxNames() throws Exception {
        String deep = "docs/" + "chapter-".repeat(20) + "/intro.html";
        Path archive = writeArchive(TarGz.create().file("café/naïve 文件.txt", "ü").file(deep, "x"));

        ArchiveManifest manifest = inspector.inspect(archive, ArchiveLimits.defaults());

        assertThat(manifest.filePaths()).containsExactly("café/naïve 文件.txt", deep);
        assertThat(manifest.entries().getFirst().size()).isEqualTo(2);
    }

    @Test
    void keepsTheLaterCopyOfADuplicateFile() throws Exception {
        Path archive = writeArchive(TarGz.create()
                .file("package.json", "{\"name\":\"first\"}")
                .file("index.html", "x")
                .file("package.json", "{\"name\":\"second!\"}"));

        ArchiveManifest manifest = inspector.inspect(archive, ArchiveLimits.defaults());

        assertThat(manifest.entries()).containsExactly(ArchiveEntry.file("package.json", 18), ArchiveEntry.file("index.html", 1));
        assertThat(manifest.keyFile("package.json")).contains("{\"name\":\"second!\"}");
        assertThat(manifest.expandedBytes()).isEqualTo(16 + 1 + 18);
    }

    @Test
    void doesNotRejectAnEmptyArchive() throws Exception {
        ArchiveManifest manifest = inspector.inspect(writeArchive(TarGz.create()), ArchiveLimits.defaults());

        assertThat(manifest.isEmpty()).isTrue();
        assertThat(manifest.expandedBytes()).isZero();
        assertThat(manifest.keyFiles()).isEmpty();
    }

    @Test
    void capturesTheSmallFilesTheClassifierAndAgentRead() throws Exception {
        Path archive = writeArchive(TarGz.create()
                .file("package.json", "{}")
                .file("wrangler.toml", "name = \"w\"")
                .file("requirements.txt", "flask")
                .file("pyproject.toml", "[project]")
                .file("server.js", "listen()")
                .file("src/index.ts", "export {}")
                .file("lib/util.mjs", "export {}")
                .file("myapp/src/worker.js", "export default {}")
                .file("myapp/package.json", "{}")
                .file("README.md", "# hi")
                .file("a/b/deep.js", "no")
                .file("node_modules/x/package.json", "{}")
                .file("node_modules/y.js", "no")
                .file("big.js", new byte[KeyFileCollector.MAX_FILE_BYTES + 1], 0644));

        ArchiveManifest manifest = inspector.inspect(archive, ArchiveLimits.defaults());

        assertThat(manifest.keyFiles()).containsOnlyKeys("package.json", "wrangler.toml", "requirements.txt", "pyproject.toml",
                "server.js", "src/index.ts", "lib/util.mjs", "myapp/src/worker.js", "myapp/package.json");
        assertThat(manifest.keyFile("server.js")).contains("listen()");
        assertThat(manifest.keyFile("big.js")).isEmpty();
    }

    @Test
    void manyScriptsCannotCrowdOutAManifestOrEntryPointThatComesLater() throws Exception {
        TarGz tar = TarGz.create();
        for (int i = 0; i < 60; i++) {
            tar.file("js/lib" + i + ".js", "x".repeat(100));
        }
        tar.file("package.json", "{\"scripts\":{\"start\":\"node index.js\"}}").file("index.js", "require('http')");

        ArchiveManifest manifest = inspector.inspect(writeArchive(tar), ArchiveLimits.defaults());

        assertThat(manifest.keyFiles()).containsKeys("package.json", "index.js");
        assertThat(manifest.keyFiles()).hasSizeLessThanOrEqualTo(KeyFileCollector.MAX_FILES);
        assertThat(manifest.keyFiles().keySet().stream().filter(p -> p.startsWith("js/")))
                .hasSize(KeyFileCollector.MAX_ORDINARY_FILES);
    }

    @Test
    void capsTheCapturedTextAtAboutOneMebibyte() throws Exception {
        TarGz tar = TarGz.create();
        for (int i = 0; i < 30; i++) {
            tar.file("d" + i + "/index.js", "x".repeat(60 * 1024));
        }

        ArchiveManifest manifest = inspector.inspect(writeArchive(tar), ArchiveLimits.defaults());

        long total = manifest.keyFiles().values().stream().mapToLong(String::length).sum();
        assertThat(total).isLessThanOrEqualTo(KeyFileCollector.MAX_TOTAL_BYTES);
        assertThat(manifest.keyFiles()).hasSize(17);
    }

    @Test
    void writesNothingToDisk() throws Exception {
        Path archive = writeArchive(HostileArchives.site().file("x/y/z.txt", "z"));
        List<Path> before = listTree(tmp);

        inspector.inspect(archive, ArchiveLimits.defaults());

        assertThat(listTree(tmp)).isEqualTo(before);
    }

    @Test
    void reportsAMissingFileAsAnIoErrorNotAsABadArchive() {
        assertThatThrownBy(() -> inspector.inspect(tmp.resolve("missing.tar.gz"), ArchiveLimits.defaults()))
                .isInstanceOf(IOException.class);
    }

    private Path writeArchive(TarGz tar) throws IOException {
        return tar.writeTo(Files.createTempFile(tmp, "archive", ".tar.gz"));
    }

    private static long timeToDecompressEverything(Path archive) throws IOException {
        long start = System.nanoTime();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive), 64 * 1024)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return System.nanoTime() - start;
    }

    private static List<Path> listTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.sorted().toList();
        }
    }
}
