package dev.vibed.core.audit;

import java.time.Instant;

/**
 * One state-changing action: who did what to which app, when, and how it ended. Never holds env values or
 * tokens, so it may be logged and shown to admins as it is.
 *
 * @param seq     position in the log, increasing; the paging cursor
 * @param outcome {@code ok}, or the problem code the action failed with
 */
public record AuditEntry(long seq, Instant at, String actor, String action, String appId, String outcome, String detail) {

    public AuditEntry withSeq(long newSeq) {
        return new AuditEntry(newSeq, at, actor, action, appId, outcome, detail);
    }
}
