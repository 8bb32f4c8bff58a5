package dev.vibed.agent;

import org.junit.jupiter.api.Test;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

import static org.awaitility.Awaitility.await;

class HeapSettlerTest {
    private static long collections() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(GarbageCollectorMXBean::getCollectionCount).sum();
    }

    @Test
    void collectsOnceTheBurstIsOver() {
        try (HeapSettler settler = new HeapSettler(Duration.ofMillis(200))) {
            long before = collections();
            settler.settleLater();
            settler.settleLater();
            await().atMost(Duration.ofSeconds(10)).until(() -> collections() > before);
        }
    }
}
