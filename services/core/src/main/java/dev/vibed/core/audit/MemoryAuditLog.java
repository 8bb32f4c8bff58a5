package dev.vibed.core.audit;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The recent audit entries in memory, bounded, with a hook that sees each entry once it has its number: a file
 * adapter appends it to disk, the cluster adapter writes it as a log line.
 */
public class MemoryAuditLog implements AuditLog {
    private final int capacity;
    private final Deque<AuditEntry> entries = new ArrayDeque<>();
    private final Consumer<AuditEntry> onAppend;
    private final ReentrantLock lock = new ReentrantLock();
    private long lastSeq;

    public MemoryAuditLog(int capacity, Collection<AuditEntry> initial, Consumer<AuditEntry> onAppend) {
        this.capacity = capacity;
        this.onAppend = onAppend;
        initial.forEach(this::keep);
    }

    public MemoryAuditLog() {
        this(10_000, List.of(), e -> {
        });
    }

    @Override
    public AuditEntry append(AuditEntry entry) {
        lock.lock();
        try {
            AuditEntry numbered = entry.withSeq(lastSeq + 1);
            onAppend.accept(numbered);
            keep(numbered);
            return numbered;
        } finally {
            lock.unlock();
        }
    }

    private void keep(AuditEntry e) {
        entries.addLast(e);
        lastSeq = Math.max(lastSeq, e.seq());
        while (entries.size() > capacity) {
            entries.removeFirst();
        }
    }

    @Override
    public List<AuditEntry> page(long afterSeq, int limit) {
        lock.lock();
        try {
            return entries.stream().filter(e -> e.seq() > afterSeq).limit(limit).toList();
        } finally {
            lock.unlock();
        }
    }
}
