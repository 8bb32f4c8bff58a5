package dev.vibed.agent;

import dev.vibed.core.json.Jsons;
import jakarta.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The app's recent output: a bounded ring of lines, each numbered so followers (SSE) can resume after the
 * last line they saw. Bounded in lines and in line length, so a chatty or hostile app cannot grow the agent.
 */
final class LogBuffer {

    record Line(long seq, Instant ts, String stream, String text) {
        JsonObject toJson() {
            return Jsons.builder().add("seq", seq).add("ts", ts.toString()).add("stream", stream).add("line", text).build();
        }
    }

    private final int capacity;
    private final int maxLineChars;
    private final long maxTotalChars;
    private long totalChars;
    private final ArrayDeque<Line> lines;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition appended = lock.newCondition();
    private long lastSeq;

    /**
     * @param maxTotalChars a budget across all lines: the agent's heap is small (48 MB), so capacity times line
     *                      length must not be able to fill it
     */
    LogBuffer(int capacity, int maxLineChars, long maxTotalChars) {
        this.capacity = capacity;
        this.maxLineChars = maxLineChars;
        this.maxTotalChars = maxTotalChars;
        this.lines = new ArrayDeque<>(Math.min(capacity, 256));
    }

    int maxLineChars() {
        return maxLineChars;
    }

    void append(String stream, String text) {
        String bounded = text.length() > maxLineChars ? text.substring(0, maxLineChars) + "…[truncated]" : text;
        lock.lock();
        try {
            totalChars += bounded.length();
            while (!lines.isEmpty() && (lines.size() >= capacity || totalChars > maxTotalChars)) {
                totalChars -= lines.removeFirst().text().length();
            }
            lines.addLast(new Line(++lastSeq, Instant.now(), stream, bounded));
            appended.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The last {@code n} lines, oldest first. */
    List<Line> tail(int n) {
        lock.lock();
        try {
            int skip = Math.max(0, lines.size() - Math.max(0, n));
            List<Line> out = new ArrayList<>(lines.size() - skip);
            int i = 0;
            for (Line l : lines) {
                if (i++ >= skip) {
                    out.add(l);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The last {@code n} lines numbered after {@code seq}: the output of one run of the app. */
    List<Line> tailSince(long seq, int n) {
        List<Line> all = tail(n);
        return all.stream().filter(l -> l.seq() > seq).toList();
    }

    /**
     * Lines numbered after {@code seq}, waiting up to {@code timeout} for the first one; empty on timeout.
     * A follower that fell behind the ring simply continues with the oldest line still held.
     */
    List<Line> awaitAfter(long seq, Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (lastSeq <= seq) {
                if (nanos <= 0) {
                    return List.of();
                }
                nanos = appended.awaitNanos(nanos);
            }
            List<Line> out = new ArrayList<>();
            for (Line l : lines) {
                if (l.seq() > seq) {
                    out.add(l);
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    long lastSeq() {
        lock.lock();
        try {
            return lastSeq;
        } finally {
            lock.unlock();
        }
    }
}
