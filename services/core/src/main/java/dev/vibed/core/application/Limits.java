package dev.vibed.core.application;

/**
 * The sizes a front end must know before it reads a request, so it can refuse early with the same numbers the
 * application enforces.
 *
 * @param maxSourceBytes   the largest source archive accepted (413 beyond)
 * @param maxJsonBytes     the largest JSON body or metadata part
 * @param maxRequestBytes  the largest whole deploy request (archive plus metadata plus multipart framing)
 */
public record Limits(long maxSourceBytes, int maxJsonBytes, long maxRequestBytes) {
    public static final int MAX_JSON_BYTES = 64 * 1024;
    private static final int MULTIPART_FRAMING_BYTES = 16 * 1024;

    public static Limits forSource(long maxSourceBytes) {
        return new Limits(maxSourceBytes, MAX_JSON_BYTES, maxSourceBytes + MAX_JSON_BYTES + MULTIPART_FRAMING_BYTES);
    }
}
