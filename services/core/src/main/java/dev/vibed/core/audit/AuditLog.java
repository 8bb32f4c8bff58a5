package dev.vibed.core.audit;

import java.util.List;

/**
 * Port: where audit entries go. Standalone keeps them in a file that survives restarts; the cluster API, which
 * holds no state, writes them as structured log lines (and keeps the recent ones for {@code GET /v1/audit}).
 */
public interface AuditLog {

    /** Appends the entry (its {@code seq} is assigned here) and returns it as stored. */
    AuditEntry append(AuditEntry entry);

    /** Entries after {@code afterSeq} (0: from the start), oldest first, at most {@code limit}. */
    List<AuditEntry> page(long afterSeq, int limit);
}
