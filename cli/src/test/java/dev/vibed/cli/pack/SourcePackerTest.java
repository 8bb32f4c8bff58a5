package dev.vibed.cli.pack;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What goes into the archive and what is left out, read back from the tar.gz itself. */
class SourcePackerTest {
    @TempDir
    Path tmp;

    private Path file(String rel, String content) throws IOException {
        Path f = tmp.resolve("app").resolve(rel);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, content);
    }

    private static Map<String, TarArchiveEntry> entries(Path archive) throws IOException {
        Map<String, TarArchiveEntry> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(archive));
             TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                out.put(e.getName(), e);
            }
        }
        return out;
    }

    @Test
    void gitSemanticsNestedRulesAndReincludesDecideWhatIsPacked() throws IOException {
        file("index.html", "x");
        file("build/out.js", "ignored dir");
        file("src/app.js", "kept");
        file("src/gen/types.js", "nested ignore");
        file("src/.gitignore", "gen/\n");
        file("logs/a.log", "ignored by pattern");
        file("keep.log", "re-included");
        file(".gitignore", "/build/\n*.log\nlogs/\n");
        file(".vibedignore", "!keep.log\n");
        file(".git/HEAD", "ref");
        file("node_modules/a/index.js", "dep");
        file("deep/node_modules/b/index.js", "nested dep");

        PackResult r = new SourcePacker(false).pack(tmp.resolve("app"));
        try {
            Map<String, TarArchiveEntry> e = entries(r.archive());
            assertThat(e.keySet()).contains("index.html", "src/app.js", "keep.log", ".gitignore", ".vibedignore", "src/.gitignore")
                    .doesNotContain("build/out.js", "src/gen/types.js", "logs/a.log", ".git/HEAD", "node_modules/a/index.js",
                            "deep/node_modules/b/index.js");
            assertThat(r.skipped()).extracting(PackResult.Skipped::path)
                    .contains("build/", "src/gen/", "logs/", ".git/", "node_modules/", "deep/node_modules/");
            assertThat(r.files()).isEqualTo(6);
            assertThat(r.sizeBytes()).isEqualTo(Files.size(r.archive()));
        } finally {
            Files.deleteIfExists(r.archive());
        }

        PackResult withModules = new SourcePacker(true).pack(tmp.resolve("app"));
        try {
            assertThat(entries(withModules.archive())).containsKey("node_modules/a/index.js");
        } finally {
            Files.deleteIfExists(withModules.archive());
        }
    }

    @Test
    void linksNeverLeadOutAndModesCarryNoSpecialBits() throws IOException {
        Path script = file("run.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-x---"));
        file("docs/guide.html", "guide");
        Path outside = Files.writeString(tmp.resolve("secret.txt"), "outside");
        Files.createSymbolicLink(tmp.resolve("app/leak.txt"), outside);
        Files.createSymbolicLink(tmp.resolve("app/leak-dir"), tmp);
        Files.createSymbolicLink(tmp.resolve("app/dangling"), tmp.resolve("nope"));
        Files.createSymbolicLink(tmp.resolve("app/docs/index.html"), tmp.resolve("app/docs/guide.html"));

        PackResult r = new SourcePacker(false).pack(tmp.resolve("app"));
        try {
            Map<String, TarArchiveEntry> e = entries(r.archive());
            assertThat(e).doesNotContainKeys("leak.txt", "leak-dir", "dangling");
            TarArchiveEntry link = e.get("docs/index.html");
            assertThat(link.isSymbolicLink()).isTrue();
            assertThat(link.getLinkName()).as("relative, inside the folder").isEqualTo("guide.html");
            assertThat(e.get("run.sh").getMode() & 07777).isEqualTo(0750);
            assertThat(e.values()).allSatisfy(x -> assertThat(x.getUserName()).isEmpty());
            assertThat(r.skipped()).extracting(PackResult.Skipped::reason)
                    .contains(PackResult.Reason.LINK_OUTSIDE, PackResult.Reason.BROKEN_LINK);
        } finally {
            Files.deleteIfExists(r.archive());
        }
    }
}
