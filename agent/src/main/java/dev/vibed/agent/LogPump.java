package dev.vibed.agent;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Copies one output stream of a child process into the {@link LogBuffer}, line by line. Reads with a bounded
 * line buffer instead of {@code BufferedReader.readLine()}: an app that prints a gigabyte without a newline
 * must not be able to exhaust the agent's small heap.
 */
final class LogPump {
    private LogPump() {
    }

    /**
     * Starts a daemon platform thread that pumps until EOF; {@code alsoTo} sees every line (may be null).
     * Not a virtual thread: a read on a process pipe blocks in native code and holds its carrier. The JDK lends
     * the scheduler a spare carrier meanwhile, but retires it after 30 s idle, so two quiet pipes (a waiting warm
     * runtime's stdout and stderr) would hold both carriers of the agent's 2-carrier scheduler and starve the
     * control API.
     */
    static Thread start(InputStream in, String stream, LogBuffer logs, Consumer<String> alsoTo) {
        return Thread.ofPlatform().daemon().name("pump-" + stream).stackSize(128 * 1024)
                .start(() -> pump(in, stream, logs, alsoTo));
    }

    static void pump(InputStream in, String stream, LogBuffer logs, Consumer<String> alsoTo) {
        int max = logs.maxLineChars();
        StringBuilder line = new StringBuilder(128);
        char[] buf = new char[4096];
        try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            int n;
            while ((n = r.read(buf)) >= 0) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        emit(line, stream, logs, alsoTo);
                        line.setLength(0);
                    } else if (line.length() <= max) {
                        // One char over the cap is kept so LogBuffer marks the line as truncated.
                        line.append(c);
                    }
                }
            }
        } catch (IOException e) {
            // The process went away (or was killed) mid-line: keep what we have.
        }
        if (!line.isEmpty()) {
            emit(line, stream, logs, alsoTo);
        }
    }

    private static void emit(StringBuilder line, String stream, LogBuffer logs, Consumer<String> alsoTo) {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            end--;
        }
        String text = line.substring(0, end);
        logs.append(stream, text);
        if (alsoTo != null) {
            alsoTo.accept(text);
        }
    }
}
