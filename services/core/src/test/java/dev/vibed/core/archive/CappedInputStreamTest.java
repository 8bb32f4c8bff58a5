package dev.vibed.core.archive;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CappedInputStreamTest {

    @Test
    void readsUpToTheLimitExactly() throws Exception {
        CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[100]), 100, "over");

        assertThat(in.readAllBytes()).hasSize(100);
        assertThat(in.count()).isEqualTo(100);
    }

    @Test
    void failsOnTheFirstByteBeyondTheLimit() {
        CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[101]), 100, "too much");

        assertThatThrownBy(in::readAllBytes).isInstanceOf(CapExceededException.class).hasMessage("too much");
    }

    @Test
    void countsSkippedBytesToo() {
        CappedInputStream in = new CappedInputStream(new ByteArrayInputStream(new byte[1000]), 10, "skipped past");

        assertThatThrownBy(() -> in.skip(500)).isInstanceOf(CapExceededException.class);
    }

    @Test
    void aMovedLimitAppliesFromThenOn() throws Exception {
        InputStream source = new ByteArrayInputStream(new byte[30]);
        CappedInputStream in = new CappedInputStream(source, 10, "first");
        assertThat(in.readNBytes(10)).hasSize(10);

        in.limit(in.count() + 10, "second");

        assertThat(in.readNBytes(10)).hasSize(10);
        assertThatThrownBy(() -> in.read()).hasMessage("second");
    }
}
