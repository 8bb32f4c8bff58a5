package dev.vibed.agent;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

class LogBufferTest {

    @Test
    void keepsOnlyTheLastLines() {
        LogBuffer b = new LogBuffer(3, 100, 10_000);
        for (int i = 1; i <= 5; i++) {
            b.append("stdout", "line " + i);
        }
        assertThat(b.tail(10)).extracting(LogBuffer.Line::text).containsExactly("line 3", "line 4", "line 5");
        assertThat(b.tail(2)).extracting(LogBuffer.Line::text).containsExactly("line 4", "line 5");
        assertThat(b.tail(0)).isEmpty();
        assertThat(b.lastSeq()).isEqualTo(5);
        assertThat(b.tailSince(3, 10)).extracting(LogBuffer.Line::text).containsExactly("line 4", "line 5");
    }

    @Test
    void staysWithinItsCharacterBudget() {
        LogBuffer b = new LogBuffer(100, 100, 250);
        for (int i = 0; i < 10; i++) {
            b.append("stdout", Integer.toString(i).repeat(100));
        }
        assertThat(b.tail(100)).extracting(l -> l.text().charAt(0)).containsExactly('8', '9');
    }

    @Test
    void truncatesLongLines() {
        LogBuffer b = new LogBuffer(3, 10, 10_000);
        b.append("stderr", "x".repeat(50));
        assertThat(b.tail(1).getFirst().text()).isEqualTo("x".repeat(10) + "…[truncated]");
        assertThat(b.tail(1).getFirst().toJson().getString("stream")).isEqualTo("stderr");
    }

    @Test
    void followersWaitForNewLines() throws Exception {
        LogBuffer b = new LogBuffer(10, 100, 10_000);
        b.append("stdout", "old");
        assertThat(b.awaitAfter(1, Duration.ofMillis(10))).isEmpty();
        CompletableFuture<List<LogBuffer.Line>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return b.awaitAfter(1, Duration.ofSeconds(20));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        b.append("stdout", "new");
        assertThat(waiting.get()).extracting(LogBuffer.Line::text).containsExactly("new");
    }

    @Test
    void pumpSplitsLinesAndBoundsThem() {
        LogBuffer b = new LogBuffer(10, 8, 10_000);
        String input = "short\r\n" + "y".repeat(100_000) + "\nlast-without-newline";
        LogPump.pump(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), "stdout", b, null);
        assertThat(b.tail(10)).extracting(LogBuffer.Line::text)
                .containsExactly("short", "y".repeat(8) + "…[truncated]", "last-wit…[truncated]");
    }
}
