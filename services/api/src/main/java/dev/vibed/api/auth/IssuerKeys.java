package dev.vibed.api.auth;

import io.helidon.security.jwt.jwk.JwkKeys;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;
import java.util.logging.Logger;

/**
 * The issuer's signing keys (its JWKS). Issuers rotate keys, so a token signed with a key id we do not know makes
 * us fetch the set again, but at most once per {@link #MIN_REFRESH}: a stream of made-up key ids cannot turn vibeD
 * into a load generator against the issuer. The set is also re-read when it is older than {@link #MAX_AGE}, so a
 * withdrawn key stops being trusted.
 */
final class IssuerKeys {
    private static final Logger LOG = Logger.getLogger(IssuerKeys.class.getName());
    static final Duration MIN_REFRESH = Duration.ofSeconds(30);
    static final Duration MAX_AGE = Duration.ofHours(1);

    private final URI jwksUri;
    private final HttpClient http;
    private final Clock clock;
    private final ReentrantLock refreshing = new ReentrantLock();
    private volatile JwkKeys keys;
    private volatile Instant fetchedAt;

    IssuerKeys(URI jwksUri, HttpClient http, Clock clock) {
        this.jwksUri = jwksUri;
        this.http = http;
        this.clock = clock;
        try {
            fetch();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the issuer's keys at " + jwksUri + " could not be read: " + e.getMessage());
        }
    }

    JwkKeys current() {
        if (fetchedAt.plus(MAX_AGE).isBefore(clock.instant())) {
            refresh();
        }
        return keys;
    }

    /** Re-reads the set unless that was done very recently; on failure the old set stays in use. */
    JwkKeys refresh() {
        if (!refreshing.tryLock()) {
            return keys;
        }
        try {
            if (fetchedAt.plus(MIN_REFRESH).isAfter(clock.instant())) {
                return keys;
            }
            fetch();
        } catch (IOException | RuntimeException e) {
            fetchedAt = clock.instant();
            LOG.warning("could not re-read the issuer's keys at " + jwksUri + ": " + e.getMessage() + "; keeping the known ones");
        } finally {
            refreshing.unlock();
        }
        return keys;
    }

    private void fetch() throws IOException {
        keys = JwkKeys.builder().json(IssuerMetadata.getJson(http, jwksUri)).build();
        fetchedAt = clock.instant();
    }
}
