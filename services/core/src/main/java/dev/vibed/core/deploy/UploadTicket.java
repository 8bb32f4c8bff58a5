package dev.vibed.core.deploy;

import java.time.Instant;

/**
 * A one-time upload slot, as handed to a caller: PUT a tar.gz to {@code uploadUrl} (no credentials needed, the
 * URL is the secret) before {@code expiresAt}, then deploy it by {@code uploadId}.
 *
 * @param maxBytes the largest archive the URL accepts
 */
public record UploadTicket(String uploadId, String uploadUrl, Instant expiresAt, long maxBytes) {
}
