package dev.vibed.core.deploy;

import dev.vibed.core.testing.MutableClock;
import dev.vibed.core.access.Caller;
import dev.vibed.core.problem.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class UploadTicketsTest {
    private static final Caller ALICE = Caller.user("alice");
    private static final Caller BOB = Caller.user("bob");

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void aSlotTakesOnePutAndOneDeployByItsOwner(@TempDir Path dir) throws Exception {
        SourceSpool spool = new SourceSpool(dir, 1024);
        UploadTickets tickets = new UploadTickets(spool, 1024, clock);
        UploadTicket t = tickets.create(ALICE, "http://127.0.0.1:9/");

        assertThat(t.uploadUrl()).isEqualTo("http://127.0.0.1:9/v1/uploads/" + t.uploadId());
        assertThat(t.uploadId()).hasSizeGreaterThan(40);
        assertThat(t.expiresAt()).isEqualTo(clock.instant().plus(UploadTickets.TTL));
        assertThat(catchThrowableOfType(Problem.class, () -> tickets.take(ALICE, t.uploadId())).code()).isEqualTo("upload_pending");

        tickets.accept(t.uploadId(), new ByteArrayInputStream(new byte[]{1, 2, 3}));
        assertThat(catchThrowableOfType(Problem.class, () -> tickets.accept(t.uploadId(), new ByteArrayInputStream(new byte[]{4})))
                .kind()).isEqualTo(Problem.Kind.NOT_FOUND);
        assertThat(catchThrowableOfType(Problem.class, () -> tickets.take(BOB, t.uploadId())).code()).isEqualTo("upload_not_found");

        try (UploadedSource source = tickets.take(ALICE, t.uploadId())) {
            assertThat(Files.readAllBytes(source.file())).containsExactly(1, 2, 3);
        }
        assertThat(catchThrowableOfType(Problem.class, () -> tickets.take(ALICE, t.uploadId())).code()).isEqualTo("upload_not_found");
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void anOversizedPutSpendsTheSlotAndLeavesNothing(@TempDir Path dir) throws Exception {
        UploadTickets tickets = new UploadTickets(new SourceSpool(dir, 4), 4, clock);
        UploadTicket t = tickets.create(ALICE, "http://h");
        Problem p = catchThrowableOfType(Problem.class, () -> tickets.accept(t.uploadId(), new ByteArrayInputStream(new byte[5])));
        assertThat(p.kind()).isEqualTo(Problem.Kind.TOO_LARGE);
        assertThat(tickets.size()).isZero();
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void expiredSlotsAreGoneWithTheirFilesAndOpenSlotsAreCapped(@TempDir Path dir) throws Exception {
        UploadTickets tickets = new UploadTickets(new SourceSpool(dir, 64), 64, clock);
        UploadTicket received = tickets.create(ALICE, "http://h");
        tickets.accept(received.uploadId(), new ByteArrayInputStream(new byte[]{9}));
        for (int i = 1; i < UploadTickets.MAX_OPEN_PER_OWNER; i++) {
            tickets.create(ALICE, "http://h");
        }
        assertThat(catchThrowableOfType(Problem.class, () -> tickets.create(ALICE, "http://h")).code()).isEqualTo("too_many_uploads");
        tickets.create(BOB, "http://h");

        clock.advance(UploadTickets.TTL.plusSeconds(1));
        assertThat(catchThrowableOfType(Problem.class, () -> tickets.take(ALICE, received.uploadId())).code()).isEqualTo("upload_not_found");
        assertThat(tickets.size()).isZero();
        try (var left = Files.list(dir)) {
            assertThat(left).isEmpty();
        }
    }
}
