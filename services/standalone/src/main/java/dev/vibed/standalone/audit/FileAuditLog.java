package dev.vibed.standalone.audit;

import dev.vibed.core.audit.AuditEntry;
import dev.vibed.core.audit.MemoryAuditLog;
import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Logger;

/**
 * Standalone's audit log: one JSON line per entry appended to {@code audit.jsonl} in the data dir, read back at
 * start, so the record of who did what survives a restart. A torn last line (a crash mid-write) is skipped.
 */
public final class FileAuditLog extends MemoryAuditLog {
    private static final Logger LOG = Logger.getLogger(FileAuditLog.class.getName());

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
                    initial.add(fromJson(Jsons.parseObject(line)));
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
        var b = Jsons.builder().add("seq", e.seq()).add("at", e.at().toString()).add("actor", e.actor())
                .add("action", e.action()).add("outcome", e.outcome());
        Jsons.addIfPresent(b, "app_id", e.appId());
        Jsons.addIfPresent(b, "detail", e.detail());
        return b.build().toString();
    }

    static AuditEntry fromJson(JsonObject o) {
        return new AuditEntry(o.getJsonNumber("seq").longValue(), Instant.parse(o.getString("at")), o.getString("actor"),
                o.getString("action"), o.getString("app_id", null), o.getString("outcome"), o.getString("detail", null));
    }
}
