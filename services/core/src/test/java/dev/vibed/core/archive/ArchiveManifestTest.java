package dev.vibed.core.archive;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ArchiveManifestTest {

    @Test
    void answersQuestionsAboutFiles() {
        ArchiveManifest manifest = new ArchiveManifest(List.of(
                ArchiveEntry.directory("src"),
                ArchiveEntry.file("src/index.js", 10),
                ArchiveEntry.symlink("main.js", "src/index.js")), 10, Map.of("src/index.js", "export default {}"));

        assertThat(manifest.filePaths()).containsExactly("src/index.js", "main.js");
        assertThat(manifest.hasFile("src/index.js")).isTrue();
        assertThat(manifest.hasFile("main.js")).isTrue();
        assertThat(manifest.hasFile("src")).isFalse();
        assertThat(manifest.keyFile("src/index.js")).contains("export default {}");
        assertThat(manifest.keyFile("main.js")).isEmpty();
    }

    @Test
    void isImmutableAndKeepsTheKeyFileOrder() {
        List<ArchiveEntry> entries = new ArrayList<>(List.of(ArchiveEntry.file("a", 1)));
        Map<String, String> keyFiles = new LinkedHashMap<>();
        keyFiles.put("z.js", "z");
        keyFiles.put("a.js", "a");
        ArchiveManifest manifest = new ArchiveManifest(entries, 1, keyFiles);

        entries.clear();
        keyFiles.clear();

        assertThat(manifest.entries()).hasSize(1);
        assertThat(manifest.keyFiles().keySet()).containsExactly("z.js", "a.js");
        assertThatThrownBy(() -> manifest.entries().add(ArchiveEntry.file("b", 1))).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void anEntryHasALinkTargetExactlyWhenItIsASymlink() {
        assertThatThrownBy(() -> new ArchiveEntry("a", 0, ArchiveEntry.Kind.SYMLINK, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ArchiveEntry("a", 0, ArchiveEntry.Kind.FILE, "b")).isInstanceOf(IllegalArgumentException.class);
    }
}
