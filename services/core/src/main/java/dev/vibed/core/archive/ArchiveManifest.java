package dev.vibed.core.archive;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an accepted archive holds, learnt in one streaming pass.
 *
 * @param entries       one per path, in archive order; when a regular file appears twice the later one wins
 * @param expandedBytes bytes of regular-file content read, duplicates included (what the expanded-size cap counts)
 * @param keyFiles      path to text of the small files the classifier and the agent read (package.json,
 *                      wrangler.toml, pyproject.toml, requirements.txt, shallow .js/.mjs/.cjs/.ts sources)
 */
public record ArchiveManifest(List<ArchiveEntry> entries, long expandedBytes, Map<String, String> keyFiles) {

    public ArchiveManifest {
        entries = List.copyOf(entries);
        // Map.copyOf would lose the archive order, which makes messages and debugging output jump around.
        keyFiles = Collections.unmodifiableMap(new LinkedHashMap<>(keyFiles));
    }

    /** True when {@code path} is a regular file or a symlink (not a folder). Linear: index it for many lookups. */
    public boolean hasFile(String path) {
        for (ArchiveEntry e : entries) {
            if (e.isFileLike() && e.path().equals(path)) {
                return true;
            }
        }
        return false;
    }

    /** The captured text of a key file, empty when it is absent or was too big to capture. */
    public Optional<String> keyFile(String path) {
        return Optional.ofNullable(keyFiles.get(path));
    }

    /** Paths of the regular files and symlinks, in archive order. */
    public List<String> filePaths() {
        return entries.stream().filter(ArchiveEntry::isFileLike).map(ArchiveEntry::path).toList();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }
}
