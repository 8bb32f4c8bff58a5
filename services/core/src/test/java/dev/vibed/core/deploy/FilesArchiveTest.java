package dev.vibed.core.deploy;

import dev.vibed.core.archive.ArchiveInspector;
import dev.vibed.core.archive.ArchiveLimits;
import dev.vibed.core.archive.ArchiveManifest;
import dev.vibed.core.classify.Classification;
import dev.vibed.core.classify.Classifier;
import dev.vibed.core.problem.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FilesArchiveTest {

    @Test
    void aTwoFileNodeAppBecomesAnArchiveTheInspectorAndClassifierAccept(@TempDir Path dir) throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 0, 1, 2, (byte) 0xff};
        FilesArchive files = FilesArchive.of(Map.of(
                "package.json", "{\"name\":\"hi\",\"scripts\":{\"start\":\"node server.js\"}}",
                "server.js", "require('http').createServer((q, s) => s.end('hi')).listen(process.env.PORT)",
                "public/logo.png", Map.of("base64", Base64.getEncoder().encodeToString(png))));
        Path tgz = Files.write(dir.resolve("a.tar.gz"), files.toTarGz());

        ArchiveManifest manifest = new ArchiveInspector().inspect(tgz, ArchiveLimits.defaults());
        Classification c = new Classifier().classify(manifest);

        assertThat(files.fileCount()).isEqualTo(3);
        assertThat(c.template()).isEqualTo("node");
        assertThat(manifest.entries()).extracting(e -> e.path()).contains("package.json", "server.js", "public/logo.png");
        assertThat(manifest.entries()).filteredOn(e -> e.path().equals("public/logo.png")).singleElement()
                .extracting(e -> e.size()).isEqualTo((long) png.length);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "a/../../b", "/etc/passwd", "C:/x", "a\\..\\b", "a//b", "./a", "a/./b", "dir/", "a\u0000b"})
    void badPathsAreRefusedNamingThePath(String path) {
        Problem p = catchThrowableOfType(Problem.class, () -> FilesArchive.of(Map.of(path, "x")));
        assertThat(p.code()).isEqualTo("invalid_path");
        assertThat(p.kind()).isEqualTo(Problem.Kind.BAD_REQUEST);
        assertThat(p.details()).containsEntry("path", path);
    }

    @Test
    void anEmptyNameAndAnEmptyMapAreRefused() {
        assertThat(catchThrowableOfType(Problem.class, () -> FilesArchive.of(Map.of("", "x"))).code()).isEqualTo("invalid_path");
        assertThat(catchThrowableOfType(Problem.class, () -> FilesArchive.of(Map.of())).code()).isEqualTo("files_empty");
    }

    @Test
    void aFileThatIsAlsoAFolderIsADuplicate() {
        Problem p = catchThrowableOfType(Problem.class, () -> FilesArchive.of(Map.of("a", "x", "a/b", "y")));
        assertThat(p.code()).isEqualTo("duplicate_path");
        assertThat(p.details()).containsEntry("path", "a");
    }

    @Test
    void eachLimitIsNamedWhenHit() {
        Map<String, Object> many = new HashMap<>();
        for (int i = 0; i <= FilesArchive.MAX_FILES; i++) {
            many.put("f" + i + ".txt", "x");
        }
        Problem tooMany = catchThrowableOfType(Problem.class, () -> FilesArchive.of(many));
        assertThat(tooMany.code()).isEqualTo("too_many_files");
        assertThat(tooMany.details()).containsEntry("limit", FilesArchive.MAX_FILES);
        assertThat(tooMany.getMessage()).contains(String.valueOf(FilesArchive.MAX_FILES));

        Problem big = catchThrowableOfType(Problem.class, () -> FilesArchive.of(Map.of("big.txt", "x".repeat(FilesArchive.MAX_FILE_BYTES + 1))));
        assertThat(big.code()).isEqualTo("file_too_large");
        assertThat(big.kind()).isEqualTo(Problem.Kind.TOO_LARGE);
        assertThat(big.details()).containsEntry("path", "big.txt").containsEntry("limit_bytes", FilesArchive.MAX_FILE_BYTES);

        Map<String, Object> total = new HashMap<>();
        for (int i = 0; i < 6; i++) {
            total.put("part" + i + ".txt", "y".repeat(FilesArchive.MAX_FILE_BYTES));
        }
        Problem sum = catchThrowableOfType(Problem.class, () -> FilesArchive.of(total));
        assertThat(sum.code()).isEqualTo("files_too_large");
        assertThat(sum.details()).containsEntry("limit_bytes", FilesArchive.MAX_TOTAL_BYTES);
    }

    @Test
    void contentMustBeTextOrBase64() {
        assertThat(catchThrowableOfType(Problem.class, () -> FilesArchive.of(Map.of("a.bin", Map.of("base64", "%%%")))).code())
                .isEqualTo("invalid_base64");
        assertThat(catchThrowableOfType(Problem.class, () -> FilesArchive.of(Map.of("a.bin", 42))).code())
                .isEqualTo("invalid_file_content");
    }
}
