package dev.vibed.standalone.audit;

import dev.vibed.core.audit.AuditEntry;
import dev.vibed.core.audit.MemoryAuditLog;
import dev.vibed.core.json.JsonBinding;
import dev.vibed.core.json.JsonText;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Standalone's audit log: one JSON line per entry (the {@link AuditEntry} record through JSON-B) appended to {@code audit.jsonl} in the data dir, read back at
 * start, so the record of who did what survives a restart. A torn last line (a crash mid-write) is skipped.
 */
public final class FileAuditLog extends MemoryAuditLog {
    private static final Logger LOG = Logger.getLogger(FileAuditLog.class.getName());
    private static final JsonBinding JSON = JsonBinding.camelCase();

    private FileAuditLog(List<AuditEntry> initial, Path file) {
        super(100_000, initial, e -> append(file, e));
    }

    public static FileAuditLog open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        List<AuditEntry> initial = new ArrayList<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank()) {
                    continue;
                }
                try {
                    initial.add(fromJson(line));
                } catch (RuntimeException e) {
                    LOG.warning("skipping an unreadable audit line in " + file.getFileName());
                }
            }
        } else {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return new FileAuditLog(initial, file);
    }

    private static void append(Path file, AuditEntry e) {
        try {
            Files.writeString(file, toJson(e) + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND,
                    StandardOpenOption.CREATE);
        } catch (IOException ex) {
            throw new UncheckedIOException("writing the audit log failed", ex);
        }
    }

    /**
     * The entry as JSON-B writes it (fields in lexicographic order, nulls left out), by hand: every action appends
     * one under the log's lock, and JSON-B's reflective walk was most of that. Read back with JSON-B.
     */
    static String toJson(AuditEntry e) {
        StringBuilder b = new StringBuilder(256).append('{');
        boolean more = field(b, false, "action", e.action());
        more = field(b, more, "actor", e.actor());
        more = field(b, more, "appId", e.appId());
        more = field(b, more, "at", e.at() == null ? null : DateTimeFormatter.ISO_INSTANT.format(e.at()));
        more = field(b, more, "detail", e.detail());
        more = field(b, more, "outcome", e.outcome());
        if (more) {
            b.append(',');
        }
        JsonText.string(b, "seq").append(':').append(e.seq());
        return b.append('}').toString();
    }

    /** Appends {@code "name":"value"} unless the value is null; true once anything was written. */
    private static boolean field(StringBuilder b, boolean more, String name, String value) {
        if (value == null) {
            return more;
        }
        if (more) {
            b.append(',');
        }
        JsonText.string(b, name).append(':');
        JsonText.string(b, value);
        return true;
    }

    static AuditEntry fromJson(String line) {
        return JSON.fromJson(line, AuditEntry.class);
    }
}
