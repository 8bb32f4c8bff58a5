package dev.vibed.core.deploy;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class DeployAdmissionTest {
    private static final Duration LONG = Duration.ofMinutes(5);

    @Test
    void deploysTakeTheirTurnInArrivalOrder() throws Exception {
        DeployAdmission admission = new DeployAdmission(1, LONG);
        DeployAdmission.Admission first = admission.admit();
        List<Integer> order = new CopyOnWriteArrayList<>();
        List<Thread> waiting = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            waiting.add(Thread.ofVirtual().start(() -> {
                try (DeployAdmission.Admission turn = admission.admit()) {
                    order.add(n);
                }
            }));
            // The next one arrives only once this one waits in line.
            await().atMost(Duration.ofSeconds(5)).until(() -> admission.waiting() == n + 1);
        }
        assertThat(order).as("nobody passes a held turn").isEmpty();
        first.close();
        for (Thread t : waiting) {
            assertThat(t.join(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(order).containsExactly(0, 1, 2);
    }

    @Test
    void aTurnHeldTooLongIsLetGoSoTheNextDeployProceeds() throws Exception {
        DeployAdmission admission = new DeployAdmission(1, Duration.ofMillis(200));
        DeployAdmission.Admission slow = admission.admit();
        long start = System.nanoTime();
        try (DeployAdmission.Admission next = admission.admit()) {
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(waitedMs).as("waited for the slow deploy's hold to run out").isBetween(150L, 5_000L);
            assertThat(slow.held()).isFalse();
            assertThat(next.held()).isTrue();
        }
    }

    @Test
    void aTurnClosedTwiceIsGivenBackOnce() throws Exception {
        DeployAdmission admission = new DeployAdmission(1, LONG);
        DeployAdmission.Admission first = admission.admit();
        first.close();
        first.close(); // its timeout, or its outcome after the timeout
        DeployAdmission.Admission second = admission.admit();
        CountDownLatch thirdAdmitted = new CountDownLatch(1);
        Thread third = Thread.ofVirtual().start(() -> {
            try (DeployAdmission.Admission ignored = admission.admit()) {
                thirdAdmitted.countDown();
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> admission.waiting() == 1);
        assertThat(thirdAdmitted.await(200, TimeUnit.MILLISECONDS)).as("one slot, held by the second").isFalse();
        second.close();
        assertThat(thirdAdmitted.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(third.join(Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void withoutALimitNoDeployWaits() {
        DeployAdmission admission = DeployAdmission.unlimited();
        List<DeployAdmission.Admission> turns = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            turns.add(admission.admit());
        }
        assertThat(admission.waiting()).isZero();
        turns.forEach(DeployAdmission.Admission::close);
    }

    @Test
    void aNegativeLimitIsRefused() {
        org.assertj.core.api.Assertions.assertThatIllegalArgumentException()
                .isThrownBy(() -> new DeployAdmission(-1, LONG))
                .withMessageContaining("0 (no limit)");
    }
}
