package dev.vibed.core.archive;

import dev.vibed.core.testing.TarGz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class SafeExtractorTest {
    private final SafeExtractor extractor = new SafeExtractor();

    /** Holds only the archive, which lives one level away from where we extract. */
    @TempDir
    Path uploads;

    /** Where extraction happens: after a rejection it must look exactly as before. */
    @TempDir
    Path workspace;

    static Stream<HostileArchives.Case> hostile() {
        return HostileArchives.all().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusesHostileArchivesAndLeavesNoFileBehindWhenItCreatedTheFolder(HostileArchives.Case c) throws IOException {
        Path archive = Files.write(uploads.resolve("upload.tar.gz"), c.archive().get());
        Path dest = workspace.resolve("app").resolve("v1");

        ArchiveRejectedException e = catchThrowableOfType(ArchiveRejectedException.class,
                () -> extractor.extract(archive, dest, c.limits()));

        assertThat(e).as("rejection").isNotNull();
        assertThat(e.code()).isEqualTo(c.code());
        assertThat(e.entry()).isEqualTo(c.entry());
        assertThat(listTree(workspace)).as("workspace after a rejection").isEmpty();
        assertThat(listTree(uploads)).containsExactly(archive);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostile")
    void refusesHostileArchivesAndEmptiesAFolderItWasGiven(HostileArchives.Case c) throws IOException {
        Path archive = Files.write(uploads.resolve("upload.tar.gz"), c.archive().get());
        Path dest = Files.createDirectory(workspace.resolve("app"));

        ArchiveRejectedException e = catchThrowableOfType(ArchiveRejectedException.class,
                () -> extractor.extract(archive, dest, c.limits()));

        assertThat(e.code()).isEqualTo(c.code());
        assertThat(listTree(workspace)).as("workspace after a rejection").containsExactly(dest);
    }

    @Test
    void removesWhatItWroteWhenTheArchiveTurnsHostileLateInTheStream() throws Exception {
        TarGz tar = TarGz.create();
        for (int i = 0; i < 50; i++) {
            tar.file("site/page" + i + "/index.html", "page " + i);
        }
        tar.symlink("site/page0/evil", "../../../../etc");
        Path dest = workspace.resolve("out");

        assertThatThrownBy(() -> extractor.extract(write(tar), dest, ArchiveLimits.defaults()))
                .isInstanceOf(ArchiveRejectedException.class)
                .hasFieldOrPropertyWithValue("code", ArchiveRejectedException.LINK_ESCAPE);
        assertThat(listTree(workspace)).isEmpty();
    }

    @Test
    void extractsNestedFoldersAndReturnsTheSameManifestAsTheInspector() throws Exception {
        Path archive = write(TarGz.create()
                .dir("./")
                .file("./index.html", "<h1>hi</h1>")
                .dir("assets/")
                .file("assets/css/site.css", "body{}")
                .file("assets/js/deep/er/app.js", "console.log(1)")
                .dir("empty"));
        Path dest = workspace.resolve("out");

        ArchiveManifest manifest = extractor.extract(archive, dest, ArchiveLimits.defaults());

        assertThat(read(dest.resolve("index.html"))).isEqualTo("<h1>hi</h1>");
        assertThat(read(dest.resolve("assets/css/site.css"))).isEqualTo("body{}");
        assertThat(read(dest.resolve("assets/js/deep/er/app.js"))).isEqualTo("console.log(1)");
        assertThat(dest.resolve("empty")).isEmptyDirectory();
        assertThat(manifest).isEqualTo(new ArchiveInspector().inspect(archive, ArchiveLimits.defaults()));
        assertThat(manifest.keyFile("assets/js/deep/er/app.js")).isEmpty();
    }

    @Test
    void createsInRootSymlinksAsLinksWithoutFollowingThem() throws Exception {
        Path archive = write(TarGz.create()
                .file("releases/v1/index.html", "v1")
                .symlink("current", "releases/v1")
                .symlink("releases/v1/home.html", "index.html"));
        Path dest = workspace.resolve("out");

        extractor.extract(archive, dest, ArchiveLimits.defaults());

        assertThat(Files.isSymbolicLink(dest.resolve("current"))).isTrue();
        assertThat(Files.readSymbolicLink(dest.resolve("current")).toString()).isEqualTo("releases/v1");
        assertThat(Files.isSymbolicLink(dest.resolve("releases/v1/home.html"))).isTrue();
        assertThat(read(dest.resolve("current/home.html"))).isEqualTo("v1");
    }

    @Test
    void keepsUnicodeNames() throws Exception {
        Path archive = write(TarGz.create().file("café/naïve 文件.txt", "ü").file("ñ.html", "x"));
        Path dest = workspace.resolve("out");

        extractor.extract(archive, dest, ArchiveLimits.defaults());

        assertThat(read(dest.resolve("café").resolve("naïve 文件.txt"))).isEqualTo("ü");
        assertThat(dest.resolve("ñ.html")).exists();
    }

    @Test
    void keepsTheOwnerExecuteBitAndNothingMore() throws Exception {
        Path archive = write(TarGz.create()
                .file("bin/start.sh", "#!/bin/sh\necho hi\n".getBytes(StandardCharsets.UTF_8), 0700)
                .file("data.txt", "x".getBytes(StandardCharsets.UTF_8), 0666)
                .file("readonly.txt", "x".getBytes(StandardCharsets.UTF_8), 0400));
        Path dest = workspace.resolve("out");

        extractor.extract(archive, dest, ArchiveLimits.defaults());

        assertThat(Files.getPosixFilePermissions(dest.resolve("bin/start.sh"))).contains(PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(dest.resolve("data.txt")))
                .doesNotContain(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.GROUP_WRITE);
        assertThat(Files.isWritable(dest.resolve("readonly.txt"))).as("we own what we unpack").isTrue();
    }

    @Test
    void theLaterCopyOfADuplicateFileWins() throws Exception {
        Path archive = write(TarGz.create().file("a.txt", "first, longer").file("a.txt", "second"));
        Path dest = workspace.resolve("out");

        extractor.extract(archive, dest, ArchiveLimits.defaults());

        assertThat(read(dest.resolve("a.txt"))).isEqualTo("second");
    }

    @Test
    void extractsIntoAnExistingEmptyFolder() throws Exception {
        Path dest = Files.createDirectory(workspace.resolve("out"));

        extractor.extract(write(HostileArchives.site()), dest, ArchiveLimits.defaults());

        assertThat(dest.resolve("assets/app.js")).exists();
    }

    @Test
    void extractsAnEmptyArchiveToAnEmptyFolder() throws Exception {
        Path dest = workspace.resolve("out");

        ArchiveManifest manifest = extractor.extract(write(TarGz.create()), dest, ArchiveLimits.defaults());

        assertThat(manifest.isEmpty()).isTrue();
        assertThat(dest).isEmptyDirectory();
    }

    @Test
    void refusesAFolderThatIsNotEmptyAndLeavesItsContentAlone() throws Exception {
        Path dest = Files.createDirectory(workspace.resolve("out"));
        Path existing = Files.writeString(dest.resolve("keep.txt"), "mine");

        assertThatThrownBy(() -> extractor.extract(write(HostileArchives.site()), dest, ArchiveLimits.defaults()))
                .isInstanceOf(DirectoryNotEmptyException.class);
        assertThat(listTree(workspace)).containsExactly(dest, existing);
    }

    @Test
    void refusesADestinationThatIsAFile() throws Exception {
        Path dest = Files.writeString(workspace.resolve("out"), "a file");

        assertThatThrownBy(() -> extractor.extract(write(HostileArchives.site()), dest, ArchiveLimits.defaults()))
                .isInstanceOf(NotDirectoryException.class);
        assertThat(read(dest)).isEqualTo("a file");
    }

    @Test
    void removesTheFolderItCreatedWhenTheArchiveCannotBeRead() {
        Path dest = workspace.resolve("out");

        assertThatThrownBy(() -> extractor.extract(uploads.resolve("missing.tar.gz"), dest, ArchiveLimits.defaults()))
                .isInstanceOf(IOException.class);
        assertThat(Files.exists(dest, LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    private Path write(TarGz tar) throws IOException {
        return tar.writeTo(Files.createTempFile(uploads, "archive", ".tar.gz"));
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file);
    }

    /** Everything under {@code root}, root excluded, links listed but not followed. */
    private static List<Path> listTree(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(p -> !p.equals(root)).sorted().toList();
        }
    }
}
