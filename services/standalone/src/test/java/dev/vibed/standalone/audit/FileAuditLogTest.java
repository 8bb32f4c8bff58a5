package dev.vibed.standalone.audit;

import dev.vibed.core.audit.AuditEntry;
import dev.vibed.core.json.JsonBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The audit file: one line per entry, as JSON-B would write it, read back after a restart. */
class FileAuditLogTest {
    @TempDir
    Path dir;

    @Test
    void aLineIsJsonBsTextAndReadsBackAsTheSameEntry() {
        for (AuditEntry e : List.of(
                new AuditEntry(1, Instant.parse("2026-12-01T10:00:00.123Z"), "alice", "deploy", "abcdefghijkl", "ok", null),
                new AuditEntry(Long.MAX_VALUE, Instant.parse("2026-12-01T10:00:00Z"), "bob \"the admin\"", "delete", null,
                        "app_deleting", "tab\there\nnew line, back\\slash, \u0001, grüße"),
                new AuditEntry(0, null, null, null, null, null, null))) {
            String line = FileAuditLog.toJson(e);
            assertThat(line).isEqualTo(JsonBinding.camelCase().toJson(e));
            assertThat(FileAuditLog.fromJson(line)).isEqualTo(e);
        }
    }

    @Test
    void entriesSurviveAReopen() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        FileAuditLog log = FileAuditLog.open(file);
        log.append(new AuditEntry(0, Instant.parse("2026-12-01T10:00:00Z"), "alice", "deploy", "abcdefghijkl", "ok", "v1"));
        log.append(new AuditEntry(0, Instant.parse("2026-12-01T10:00:01Z"), "alice", "delete", "abcdefghijkl", "ok", null));

        FileAuditLog reopened = FileAuditLog.open(file);
        assertThat(reopened.page(0, 10)).extracting(AuditEntry::seq, AuditEntry::action)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, "deploy"), org.assertj.core.groups.Tuple.tuple(2L, "delete"));
    }
}
