package dev.vibed.agent;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * The ports a warm runtime's app has started listening on, as its loader reports them ({@code listening <port>}
 * lines on an inherited pipe, after a {@code waiting} line once the loader is loaded): the agent learns "listening" from the event itself instead of from a /proc probe on
 * a timer. The pipe is a FIFO the agent opens read-write, so opening it never blocks and a runtime that dies before
 * writing leaves no reader stuck; closing the channel ends the reader.
 */
final class ListenEvents implements AutoCloseable {
    private final Path fifo;
    private final FileChannel channel;
    private final Set<Integer> ports = ConcurrentHashMap.newKeySet();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.CountDownLatch waiting = new java.util.concurrent.CountDownLatch(1);

    private ListenEvents(Path fifo, FileChannel channel) {
        this.fifo = fifo;
        this.channel = channel;
    }

    /** Makes the FIFO at {@code fifo} (mode 0600: only the agent's user may write it) and starts reading it. */
    static ListenEvents open(Path fifo) throws IOException {
        Files.deleteIfExists(fifo);
        Process mk = new ProcessBuilder("mkfifo", "-m", "600", fifo.toString()).redirectErrorStream(true).start();
        try {
            if (!mk.waitFor(5, TimeUnit.SECONDS) || mk.exitValue() != 0) {
                mk.destroyForcibly();
                throw new IOException("mkfifo " + fifo + " failed: "
                        + new String(mk.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making " + fifo, e);
        }
        FileChannel ch = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
        ListenEvents events = new ListenEvents(fifo, ch);
        // A platform thread: a read on a FIFO pins a virtual thread's carrier, and the agent has only a few.
        Thread.ofPlatform().daemon().name("listen-events").stackSize(256 * 1024).start(events::read);
        return events;
    }

    Path fifo() {
        return fifo;
    }

    /** True once the app has reported listening on {@code port}. */
    boolean heard(int port) {
        return ports.contains(port);
    }

    /** {@code watcher} runs after every event (on the reader thread): it only wakes whoever waits. */
    void onEvent(Runnable watcher) {
        watchers.add(watcher);
    }

    private void read() {
        ByteBuffer buf = ByteBuffer.allocate(256);
        StringBuilder line = new StringBuilder();
        try {
            while (channel.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    char c = (char) buf.get();
                    if (c == '\n') {
                        accept(line.toString());
                        line.setLength(0);
                    } else if (line.length() < 64) {
                        line.append(c);
                    }
                }
                buf.clear();
            }
        } catch (IOException e) {
            // Closed: the runtime is gone or was discarded.
        }
    }

    /** Waits until the loader reports it has loaded and waits for its app ({@code waiting}); false on timeout. */
    boolean awaitWaiting(java.time.Duration max) throws InterruptedException {
        return waiting.await(max.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void accept(String line) {
        if (line.equals("waiting")) {
            waiting.countDown();
            return;
        }
        if (!line.startsWith("listening ")) {
            return;
        }
        int port;
        try {
            port = Integer.parseInt(line.substring("listening ".length()).strip());
        } catch (NumberFormatException e) {
            return;
        }
        ports.add(port);
        AgentLog.info("the app's warm runtime reports it listening on port " + port);
        watchers.forEach(Runnable::run);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing left to release.
        }
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            AgentLog.info("could not delete " + fifo + ": " + e.getMessage());
        }
    }
}
