package dev.vibed.kube.blob;

import java.net.URI;
import java.util.Objects;

/**
 * Where source archives live.
 *
 * @param endpoint        the S3 endpoint vibed and the controller use
 * @param presignEndpoint the endpoint agents reach, when it differs (a presigned URL's signature covers the host,
 *                        so it must be signed for the host the agent dials); null: same as {@code endpoint}
 * @param region          set explicitly so that presigning needs no network round trip
 */
public record S3Config(URI endpoint, URI presignEndpoint, String region, String accessKey, String secretKey, String bucket) {

    public S3Config {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(accessKey, "accessKey");
        Objects.requireNonNull(secretKey, "secretKey");
        Objects.requireNonNull(bucket, "bucket");
        region = region == null || region.isBlank() ? "us-east-1" : region;
    }

    public URI presignEndpointOrDefault() {
        return presignEndpoint == null ? endpoint : presignEndpoint;
    }

    /** Credentials are secrets: never print them. */
    @Override
    public String toString() {
        return "S3Config[endpoint=" + endpoint + ", presignEndpoint=" + presignEndpoint + ", region=" + region
                + ", bucket=" + bucket + "]";
    }
}
