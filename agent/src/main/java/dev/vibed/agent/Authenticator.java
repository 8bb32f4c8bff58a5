package dev.vibed.agent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Checks {@code Authorization: Bearer <token>} against the agent's control token. */
final class Authenticator {
    private final byte[] expectedDigest;

    Authenticator(String token) {
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("control token is empty");
        }
        this.expectedDigest = sha256(token);
    }

    boolean allows(String authorizationHeader) {
        if (authorizationHeader == null || !authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        String presented = authorizationHeader.substring(7).trim();
        // Comparing digests keeps the comparison constant-time even when the lengths differ
        // (MessageDigest.isEqual returns early on a length mismatch).
        return MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
