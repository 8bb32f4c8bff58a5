package dev.vibed.core.audit;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Audit entries are numbered in order, paged by number, and the cluster's log line is one parseable key=value line. */
class AuditLogTest {

    @Test
    void entriesAreNumberedAndPagedAfterACursor() {
        List<AuditEntry> seen = new ArrayList<>();
        MemoryAuditLog log = new MemoryAuditLog(3, List.of(), seen::add);
        for (int i = 0; i < 5; i++) {
            log.append(new AuditEntry(0, Instant.EPOCH, "alice", "deploy", "app" + i, "ok", null));
        }
        assertThat(seen).extracting(AuditEntry::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
        // Bounded: the oldest two are gone from memory (the hook has written them out).
        assertThat(log.page(0, 10)).extracting(AuditEntry::seq).containsExactly(3L, 4L, 5L);
        assertThat(log.page(3, 1)).extracting(AuditEntry::appId).containsExactly("app3");
    }

    @Test
    void aRestartedLogContinuesTheNumbering() {
        MemoryAuditLog log = new MemoryAuditLog(10, List.of(new AuditEntry(41, Instant.EPOCH, "bob", "delete", "x", "ok", null)),
                e -> {
                });
        assertThat(log.append(new AuditEntry(0, Instant.EPOCH, "bob", "resume", "x", "ok", null)).seq()).isEqualTo(42);
    }

    @Test
    void theClusterLogLineQuotesWhatAUserChose() {
        String line = LoggingAuditLog.line(new AuditEntry(7, Instant.parse("2026-12-01T10:00:00Z"), "eve \"x\"", "set_env",
                null, "invalid_env", "bad\nname"));
        assertThat(line).isEqualTo("audit seq=7 at=2026-12-01T10:00:00Z actor=\"eve \\\"x\\\"\" action=set_env app=- "
                + "outcome=invalid_env detail=\"bad name\"");
    }
}
