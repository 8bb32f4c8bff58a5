package dev.vibed.core.deploy;

import dev.vibed.core.problem.Problem;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * A source given as a map of paths to contents instead of a tarball: what an AI assistant (MCP), a GraphQL client or
 * a script can send without building an archive. This class holds every rule for such a map (the limits, the path
 * rules, how binary content is written) and turns an accepted map into an ordinary tar.gz, which then takes the
 * normal deploy path, so the archive checks and the classifier apply unchanged.
 *
 * <p>A value is either a string (the file's UTF-8 text) or an object {@code {"base64": "..."}} for binary content.
 */
public final class FilesArchive {
    /** The most files one map may hold. */
    public static final int MAX_FILES = 500;
    /** The largest single file, after base64 decoding. */
    public static final int MAX_FILE_BYTES = 1 << 20;
    /** The largest sum of all files, after base64 decoding. */
    public static final int MAX_TOTAL_BYTES = 5 << 20;
    /** The longest path, in characters. */
    public static final int MAX_PATH_LENGTH = 255;
    /**
     * The largest request that can carry a map within the limits: base64 and JSON escaping make the wire form
     * bigger than the files. Front ends refuse bigger bodies before parsing them.
     */
    public static final int MAX_REQUEST_BYTES = 3 * MAX_TOTAL_BYTES;

    /** The limits in one sentence, for tool and API descriptions. */
    public static final String LIMITS_TEXT = "at most " + MAX_FILES + " files, " + (MAX_FILE_BYTES >> 20) + " MiB per file and "
            + (MAX_TOTAL_BYTES >> 20) + " MiB in total (after base64 decoding); paths are relative, use '/', at most "
            + MAX_PATH_LENGTH + " characters, no '..', '.' or empty segments";

    private final Map<String, byte[]> files;

    private FilesArchive(Map<String, byte[]> files) {
        this.files = files;
    }

    /**
     * Checks a map as it arrives from JSON (values are strings or {@code {base64}} objects).
     *
     * @throws Problem 400 naming the bad path or the limit that was hit (413 for the size limits)
     */
    public static FilesArchive of(Map<String, ?> raw) {
        if (raw == null || raw.isEmpty()) {
            throw Problem.badRequest("files_empty", "files is empty: give at least one file, e.g. {\"index.html\": \"<h1>hi</h1>\"}");
        }
        if (raw.size() > MAX_FILES) {
            throw new Problem(Problem.Kind.TOO_LARGE, "too_many_files", "files has " + raw.size() + " entries; the limit is "
                    + MAX_FILES + " files (use create_upload for bigger projects)", Map.of("limit", MAX_FILES));
        }
        Map<String, byte[]> accepted = new TreeMap<>();
        long total = 0;
        for (Map.Entry<String, ?> e : raw.entrySet()) {
            String path = checkPath(e.getKey());
            byte[] content = content(path, e.getValue());
            if (content.length > MAX_FILE_BYTES) {
                throw new Problem(Problem.Kind.TOO_LARGE, "file_too_large", "file '" + path + "' has " + content.length
                        + " bytes; the limit is " + MAX_FILE_BYTES + " bytes per file",
                        Map.of("path", path, "limit_bytes", MAX_FILE_BYTES));
            }
            total += content.length;
            if (total > MAX_TOTAL_BYTES) {
                throw new Problem(Problem.Kind.TOO_LARGE, "files_too_large", "the files add up to more than "
                        + MAX_TOTAL_BYTES + " bytes, the limit for a files map (use create_upload for bigger projects)",
                        Map.of("limit_bytes", MAX_TOTAL_BYTES));
            }
            if (accepted.put(path, content) != null) {
                throw duplicate(path);
            }
        }
        // A path that is also another path's folder ("a" and "a/b") cannot be written: it is the same name twice.
        String previous = null;
        for (String path : accepted.keySet()) {
            if (previous != null && path.startsWith(previous + "/")) {
                throw duplicate(previous);
            }
            previous = path;
        }
        return new FilesArchive(accepted);
    }

    public int fileCount() {
        return files.size();
    }

    /** The map as a gzipped tar: regular files, mode 0644, folders implied by the paths. */
    public byte[] toTarGz() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(f.getKey(), true);
                entry.setSize(f.getValue().length);
                entry.setMode(0100644);
                entry.setModTime(Instant.EPOCH.toEpochMilli());
                tar.putArchiveEntry(entry);
                tar.write(f.getValue());
                tar.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing an in-memory archive failed", e);
        }
        return bytes.toByteArray();
    }

    private static String checkPath(String path) {
        if (path == null || path.isEmpty()) {
            throw invalidPath("", "a file has an empty name");
        }
        if (path.length() > MAX_PATH_LENGTH) {
            throw invalidPath(path, "path '" + shorten(path) + "' is longer than " + MAX_PATH_LENGTH + " characters");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw invalidPath(path, "path '" + shorten(path) + "' has a control character");
            }
            if (c == '\\') {
                throw invalidPath(path, "path '" + path + "' has a backslash; separate folders with '/'");
            }
        }
        if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
            throw invalidPath(path, "path '" + path + "' is absolute; give paths relative to the project root, e.g. 'src/index.js'");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                throw invalidPath(path, "path '" + path + "' has a '..' segment; files must stay inside the project");
            }
            if (segment.isEmpty() || segment.equals(".")) {
                throw invalidPath(path, "path '" + path + "' has an empty or '.' segment; write it as 'dir/file'");
            }
        }
        return path;
    }

    private static byte[] content(String path, Object value) {
        if (value instanceof String text) {
            return text.getBytes(StandardCharsets.UTF_8);
        }
        if (value instanceof Map<?, ?> m && m.size() == 1 && m.get("base64") instanceof String b64) {
            try {
                // Line breaks are common in generated base64; anything else outside the alphabet is an error.
                return Base64.getDecoder().decode(b64.replaceAll("\\s", ""));
            } catch (IllegalArgumentException e) {
                throw new Problem(Problem.Kind.BAD_REQUEST, "invalid_base64", "file '" + path + "' is not valid base64: "
                        + e.getMessage(), Map.of("path", path));
            }
        }
        throw new Problem(Problem.Kind.BAD_REQUEST, "invalid_file_content", "file '" + path
                + "' must be a string (UTF-8 text) or {\"base64\": \"...\"} (binary)", Map.of("path", path));
    }

    private static Problem invalidPath(String path, String message) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("path", path);
        return new Problem(Problem.Kind.BAD_REQUEST, "invalid_path", message, details);
    }

    private static Problem duplicate(String path) {
        return new Problem(Problem.Kind.BAD_REQUEST, "duplicate_path", "path '" + path
                + "' is given as a file and also as a folder of another file", Map.of("path", path));
    }

    private static String shorten(String s) {
        String printable = s.replaceAll("\\p{Cntrl}", "?");
        return printable.length() > 80 ? printable.substring(0, 80) + "..." : printable;
    }
}
