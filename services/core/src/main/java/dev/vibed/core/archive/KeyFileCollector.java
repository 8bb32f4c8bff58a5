package dev.vibed.core.archive;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Chooses and keeps the few small text files the classifier and the agent read (project manifests and shallow
 * JavaScript/TypeScript/Python sources), so nobody has to open the archive a second time.
 * <p>
 * The budget is split in two: ordinary sources may use only part of it, so a site with dozens of scripts cannot
 * crowd out a package.json or an index.js that happens to come later in the stream.
 */
final class KeyFileCollector {
    static final int MAX_FILE_BYTES = 64 * 1024;
    static final int MAX_FILES = 40;
    static final long MAX_TOTAL_BYTES = 1024 * 1024;
    static final int MAX_ORDINARY_FILES = 24;
    static final long MAX_ORDINARY_BYTES = 512 * 1024;

    private static final Set<String> MANIFEST_NAMES = Set.of(
            "package.json", "wrangler.toml", "wrangler.json", "wrangler.jsonc", "pyproject.toml", "requirements.txt");
    private static final Set<String> SOURCE_EXTENSIONS = Set.of(".js", ".mjs", ".cjs", ".ts", ".py");
    private static final Set<String> ENTRY_POINT_STEMS = Set.of("index", "worker", "_worker", "server", "app", "main",
            "asgi", "wsgi");

    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private long totalBytes;
    private int ordinaryFiles;
    private long ordinaryBytes;

    /** Whether a file at {@code path} whose header claims {@code declaredSize} bytes is worth capturing. */
    boolean wants(String path, long declaredSize) {
        if (declaredSize > MAX_FILE_BYTES || !isKeyFile(path)) {
            return false;
        }
        byte[] previous = files.get(path);
        long freed = previous == null ? 0 : previous.length;
        int freedSlot = previous == null ? 0 : 1;
        if (files.size() - freedSlot >= MAX_FILES || totalBytes - freed + declaredSize > MAX_TOTAL_BYTES) {
            return false;
        }
        return isPriority(path)
                || ordinaryFiles - freedSlot < MAX_ORDINARY_FILES && ordinaryBytes - freed + declaredSize <= MAX_ORDINARY_BYTES;
    }

    /** Stores captured content; callers check {@link #wants} first. A later copy of the same path replaces the first. */
    void add(String path, byte[] content) {
        forget(path);
        files.put(path, content);
        totalBytes += content.length;
        if (!isPriority(path)) {
            ordinaryFiles++;
            ordinaryBytes += content.length;
        }
    }

    /** Drops a capture whose path was overwritten by a later entry we did not capture, so no stale text survives. */
    void forget(String path) {
        byte[] previous = files.remove(path);
        if (previous != null) {
            totalBytes -= previous.length;
            if (!isPriority(path)) {
                ordinaryFiles--;
                ordinaryBytes -= previous.length;
            }
        }
    }

    Map<String, String> texts() {
        Map<String, String> out = new LinkedHashMap<>();
        files.forEach((path, bytes) -> out.put(path, new String(bytes, StandardCharsets.UTF_8)));
        return out;
    }

    /** Top level, one folder deep, or in a src/ folder one level down (an app tarred inside its own folder). */
    static boolean isKeyFile(String path) {
        String[] segments = path.split("/");
        for (String segment : segments) {
            if (segment.equals("node_modules")) {
                return false;
            }
        }
        boolean shallow = segments.length <= 2 || segments.length == 3 && segments[1].equals("src");
        String name = segments[segments.length - 1];
        return shallow && (MANIFEST_NAMES.contains(name) || SOURCE_EXTENSIONS.contains(extension(name)));
    }

    private static boolean isPriority(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        if (MANIFEST_NAMES.contains(name)) {
            return true;
        }
        String extension = extension(name);
        return ENTRY_POINT_STEMS.contains(name.substring(0, name.length() - extension.length()));
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot);
    }
}
