package dev.vibed.standalone.audit;

import dev.vibed.core.audit.AuditEntry;
import dev.vibed.core.audit.MemoryAuditLog;
import dev.vibed.core.json.JsonBinding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
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

    static String toJson(AuditEntry e) {
        return JSON.toJson(e);
    }

    static AuditEntry fromJson(String line) {
        return JSON.fromJson(line, AuditEntry.class);
    }
}
