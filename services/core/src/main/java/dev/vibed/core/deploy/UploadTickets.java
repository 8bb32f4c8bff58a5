package dev.vibed.core.deploy;

import dev.vibed.core.access.Caller;
import dev.vibed.core.problem.Problem;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One-time upload URLs, for sources too big for a files map: a remote assistant cannot send a 20 MB project
 * through a tool call, but a shell command it runs can PUT a tarball. The id in the URL is the only credential,
 * so it is long and random, works once, expires, and the body is spooled under the usual size cap. The owner
 * who created it is the only one who can deploy what arrived. Expired slots are swept on every call (no timer):
 * their spool files are deleted.
 */
public final class UploadTickets {
    public static final Duration TTL = Duration.ofMinutes(15);
    /** Open slots per owner at once (429 beyond): enough for parallel work, too few to hoard spool space. */
    public static final int MAX_OPEN_PER_OWNER = 5;
    public static final String PATH_PREFIX = "/v1/uploads/";

    private static final SecureRandom RANDOM = new SecureRandom();

    private enum State {OPEN, RECEIVING, RECEIVED}

    private record Slot(String owner, Instant expiresAt, State state, UploadedSource source) {
        Slot with(State s, UploadedSource src) {
            return new Slot(owner, expiresAt, s, src);
        }
    }

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private final SourceSpool spool;
    private final long maxBytes;
    private final Clock clock;

    public UploadTickets(SourceSpool spool, long maxBytes, Clock clock) {
        this.spool = spool;
        this.maxBytes = maxBytes;
        this.clock = clock;
    }

    /** @param apiBase the base URL the caller reached the API at, e.g. {@code http://localhost:8080} */
    public UploadTicket create(Caller caller, String apiBase) {
        sweep();
        long open = slots.values().stream().filter(s -> s.owner().equals(caller.subject())).count();
        if (open >= MAX_OPEN_PER_OWNER) {
            throw new Problem(Problem.Kind.TOO_MANY_REQUESTS, "too_many_uploads", "you have " + open
                    + " open uploads; the limit is " + MAX_OPEN_PER_OWNER + ": use or let them expire first",
                    Map.of("limit", MAX_OPEN_PER_OWNER));
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String id = "up_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Instant expiresAt = clock.instant().plus(TTL);
        slots.put(id, new Slot(caller.subject(), expiresAt, State.OPEN, null));
        String base = apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase;
        return new UploadTicket(id, base + PATH_PREFIX + id, expiresAt, maxBytes);
    }

    /**
     * Takes the body of the one PUT a slot allows. The slot is spent by the attempt: a failed or second PUT needs
     * a new slot.
     *
     * @throws Problem 404 for an unknown, used or expired id; 413 over the size cap
     */
    public void accept(String id, InputStream body) {
        sweep();
        Slot[] before = new Slot[1];
        Slot claimed = id == null ? null : slots.computeIfPresent(id, (k, s) -> {
            before[0] = s;
            return s.state() == State.OPEN ? s.with(State.RECEIVING, null) : s;
        });
        if (claimed == null || before[0].state() != State.OPEN) {
            throw gone();
        }
        UploadedSource source;
        try {
            source = spool.spool(body);
        } catch (IOException e) {
            slots.remove(id);
            throw Problem.badRequest("upload_failed", "the upload could not be read: " + e.getMessage());
        } catch (RuntimeException e) {
            slots.remove(id);
            throw e;
        }
        if (slots.replace(id, claimed, claimed.with(State.RECEIVED, source))) {
            return;
        }
        source.close(); // swept while it arrived
        throw gone();
    }

    /**
     * Hands the caller the archive that arrived for {@code id}, once; the caller closes it.
     *
     * @throws Problem 404 when the id is unknown, expired or another owner's; 409 when nothing arrived yet
     */
    public UploadedSource take(Caller caller, String id) {
        sweep();
        Slot slot = id == null ? null : slots.get(id);
        if (slot == null || !caller.subject().equals(slot.owner())) {
            throw new Problem(Problem.Kind.NOT_FOUND, "upload_not_found", "upload " + id
                    + " not found (unknown, already deployed or expired): call create_upload again");
        }
        if (slot.state() != State.RECEIVED) {
            throw new Problem(Problem.Kind.CONFLICT, "upload_pending", "nothing has arrived at upload " + id
                    + " yet: PUT the .tar.gz to its upload_url first, then deploy");
        }
        if (!slots.remove(id, slot)) {
            throw gone(); // taken by a concurrent call
        }
        return slot.source();
    }

    /** Forgets expired slots and deletes what they spooled. */
    public void sweep() {
        Instant now = clock.instant();
        slots.forEach((id, s) -> {
            if (now.isAfter(s.expiresAt()) && s.state() != State.RECEIVING && slots.remove(id, s) && s.source() != null) {
                s.source().close();
            }
        });
    }

    /** Open slots, for tests and metrics. */
    public int size() {
        return slots.size();
    }

    private static Problem gone() {
        return new Problem(Problem.Kind.NOT_FOUND, "upload_not_found",
                "this upload URL is unknown, already used or expired: create a new one");
    }
}
