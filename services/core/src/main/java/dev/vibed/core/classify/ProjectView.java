package dev.vibed.core.classify;

import dev.vibed.core.archive.ArchiveEntry;
import dev.vibed.core.archive.ArchiveManifest;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The archive as the rules see it: rooted at the folder that holds the app (people tar the folder, not its
 * contents), with paths relative to that root and indexed so every rule is a cheap lookup.
 */
final class ProjectView {
    /** Top-level names that tools add behind the user's back; they must not stop us finding the single folder. */
    private static final Set<String> NOISE = Set.of(".DS_Store", "__MACOSX", "Thumbs.db", "desktop.ini");
    private static final int MAX_LISTED_NAMES = 10;

    private final String root;
    private final Set<String> files;
    private final Map<String, String> keyFiles;
    private final List<String> topLevelNames;
    private final PackageJson packageJson;

    private ProjectView(String root, Set<String> files, Map<String, String> keyFiles, List<String> topLevelNames,
                        PackageJson packageJson) {
        this.root = root;
        this.files = files;
        this.keyFiles = keyFiles;
        this.topLevelNames = topLevelNames;
        this.packageJson = packageJson;
    }

    /** @throws UnclassifiableException when the root's package.json cannot be read as JSON */
    static ProjectView of(ArchiveManifest manifest) throws UnclassifiableException {
        List<ArchiveEntry> entries = manifest.entries();
        String root = findRoot(entries);
        String prefix = root.isEmpty() ? "" : root + "/";
        Set<String> files = new HashSet<>(entries.size() * 2);
        Set<String> topLevel = new LinkedHashSet<>();
        for (ArchiveEntry entry : entries) {
            String path = entry.path();
            if (!path.startsWith(prefix) || path.length() == prefix.length()) {
                continue;
            }
            String relative = path.substring(prefix.length());
            if (entry.isFileLike()) {
                files.add(relative);
            }
            if (topLevel.size() < MAX_LISTED_NAMES) {
                int slash = relative.indexOf('/');
                topLevel.add(slash < 0 && entry.isFileLike() ? relative : firstSegment(relative) + "/");
            }
        }
        PackageJson packageJson = files.contains("package.json") ? readPackageJson(prefix + "package.json", manifest) : null;
        return new ProjectView(root, files, manifest.keyFiles(), List.copyOf(topLevel), packageJson);
    }

    String root() {
        return root;
    }

    /** The path inside the archive of a path relative to the root. */
    String inArchive(String relative) {
        return root.isEmpty() ? relative : root + "/" + relative;
    }

    /** "the archive root" or "myapp/", for sentences. */
    String describeRoot() {
        return root.isEmpty() ? "the archive root" : root + "/";
    }

    boolean has(String relative) {
        return files.contains(relative);
    }

    boolean hasAny(List<String> relatives) {
        return first(relatives).isPresent();
    }

    /** True when some file lies under the folder {@code relative} (folders themselves are not indexed). */
    boolean hasFolder(String relative) {
        String prefix = relative + "/";
        return files.stream().anyMatch(f -> f.startsWith(prefix));
    }

    /** The alphabetically first file that matches, so the answer does not depend on archive order. */
    Optional<String> firstMatching(java.util.function.Predicate<String> test) {
        return files.stream().filter(test).sorted().findFirst();
    }

    Optional<String> first(List<String> relatives) {
        return relatives.stream().filter(files::contains).findFirst();
    }

    /** The captured text of a file, empty when it is absent or was not captured (too big). */
    Optional<String> text(String relative) {
        return Optional.ofNullable(keyFiles.get(inArchive(relative)));
    }

    Optional<PackageJson> packageJson() {
        return Optional.ofNullable(packageJson);
    }

    boolean isEmpty() {
        return files.isEmpty() && topLevelNames.isEmpty();
    }

    /** Up to ten names at the root, folders with a trailing '/', to show what we did find. */
    List<String> topLevelNames() {
        return topLevelNames;
    }

    private static PackageJson readPackageJson(String path, ArchiveManifest manifest) throws UnclassifiableException {
        String text = manifest.keyFile(path).orElseThrow(() -> new UnclassifiableException(
                path + " could not be read (it is over 64 KiB or a symlink); a package.json should be a small plain file"));
        try {
            return PackageJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw new UnclassifiableException(path + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    /**
     * Descends while everything (noise aside) sits in one folder, so "tar czf app.tgz myapp/" and even
     * "myapp/site/..." are classified from the folder that holds the files.
     */
    private static String findRoot(List<ArchiveEntry> entries) {
        String root = "";
        while (true) {
            String only = singleFolderUnder(entries, root.isEmpty() ? "" : root + "/");
            if (only == null) {
                return root;
            }
            root = root.isEmpty() ? only : root + "/" + only;
        }
    }

    /** The one folder everything under {@code prefix} sits in, or null if there is not exactly one. */
    private static String singleFolderUnder(List<ArchiveEntry> entries, String prefix) {
        String folder = null;
        boolean hasContent = false;
        for (ArchiveEntry entry : entries) {
            String path = entry.path();
            if (!path.startsWith(prefix) || path.length() == prefix.length()) {
                continue;
            }
            int slash = path.indexOf('/', prefix.length());
            String top = slash < 0 ? path.substring(prefix.length()) : path.substring(prefix.length(), slash);
            if (isNoise(top)) {
                continue;
            }
            if (slash < 0 && entry.kind() != ArchiveEntry.Kind.DIRECTORY) {
                return null;
            }
            if (folder == null) {
                folder = top;
            } else if (!folder.equals(top)) {
                return null;
            }
            hasContent |= slash >= 0;
        }
        // A lone empty folder is not a project root worth descending into.
        return hasContent ? folder : null;
    }

    private static boolean isNoise(String name) {
        return NOISE.contains(name) || name.startsWith("._");
    }

    private static String firstSegment(String relative) {
        int slash = relative.indexOf('/');
        return slash < 0 ? relative : relative.substring(0, slash);
    }
}
