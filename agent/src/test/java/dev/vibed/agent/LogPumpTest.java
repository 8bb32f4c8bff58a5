package dev.vibed.agent;

import org.junit.jupiter.api.Test;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pump blocks on a quiet pipe for as long as the app stays quiet; on a virtual thread that read holds a carrier
 * of the agent's two, and two quiet pipes starved the control API once the JDK retired its spare carrier (30 s).
 */
class LogPumpTest {

    @Test
    void pumpsRunOnDaemonPlatformThreadsAndCopyLines() throws Exception {
        LogBuffer logs = new LogBuffer(100, 1000, 100_000);
        PipedOutputStream out = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(out);
        Thread pump = LogPump.start(in, "stdout", logs, null);

        assertThat(pump.isVirtual()).isFalse();
        assertThat(pump.isDaemon()).isTrue();

        out.write("hello\nworld\n".getBytes(StandardCharsets.UTF_8));
        out.close();
        pump.join(5_000);
        assertThat(pump.isAlive()).isFalse();
        assertThat(logs.tail(10)).extracting(LogBuffer.Line::text).containsExactly("hello", "world");
    }
}
