package dev.vibed.core.audit;

import java.util.List;
import java.util.logging.Logger;

/**
 * The cluster API's audit log: every entry goes out as one structured log line (key=value, logger
 * {@code vibed.audit}) for the cluster's log pipeline, because API replicas hold no state; the recent entries of
 * this replica stay readable through {@code GET /v1/audit}.
 */
public final class LoggingAuditLog extends MemoryAuditLog {
    private static final Logger AUDIT = Logger.getLogger("vibed.audit");

    public LoggingAuditLog() {
        super(10_000, List.of(), LoggingAuditLog::log);
    }

    static String line(AuditEntry e) {
        return "audit seq=" + e.seq() + " at=" + e.at() + " actor=" + quote(e.actor()) + " action=" + e.action()
                + " app=" + (e.appId() == null ? "-" : e.appId()) + " outcome=" + e.outcome()
                + (e.detail() == null ? "" : " detail=" + quote(e.detail()));
    }

    private static void log(AuditEntry e) {
        AUDIT.info(line(e));
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", " ") + '"';
    }
}
