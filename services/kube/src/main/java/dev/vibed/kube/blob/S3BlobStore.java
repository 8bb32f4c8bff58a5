package dev.vibed.kube.blob;

import dev.vibed.core.app.SourceRef;
import dev.vibed.core.blob.BlobStore;
import io.minio.BucketExistsArgs;
import io.minio.GetObjectArgs;
import io.minio.GetPresignedObjectUrlArgs;
import io.minio.ListObjectsArgs;
import io.minio.MakeBucketArgs;
import io.minio.MinioClient;
import io.minio.RemoveObjectArgs;
import io.minio.Result;
import io.minio.StatObjectArgs;
import io.minio.UploadObjectArgs;
import io.minio.errors.ErrorResponseException;
import io.minio.http.Method;
import io.minio.messages.Item;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@link BlobStore} on S3 (MinIO, or any S3 API) through the MinIO Java client. Keys are content addresses, so a put
 * of a key that exists is skipped. Agents fetch sources through presigned GET URLs: no credentials leave the
 * control plane and no bytes pass through it.
 */
public final class S3BlobStore implements BlobStore {
    private static final Set<String> ABSENT = Set.of("NoSuchKey", "NoSuchObject", "NotFound");

    private final MinioClient client;
    private final MinioClient presigner;
    private final String bucket;

    public S3BlobStore(MinioClient client, MinioClient presigner, String bucket) {
        this.client = client;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    /** Builds the clients and creates the bucket when it is missing. */
    public static S3BlobStore connect(S3Config config) throws IOException {
        S3BlobStore store = new S3BlobStore(client(config.endpoint(), config), client(config.presignEndpointOrDefault(), config),
                config.bucket());
        store.ensureBucket();
        return store;
    }

    private static MinioClient client(URI endpoint, S3Config config) {
        return MinioClient.builder()
                .endpoint(endpoint.toString())
                .region(config.region())
                .credentials(config.accessKey(), config.secretKey())
                .build();
    }

    public void ensureBucket() throws IOException {
        call(() -> {
            if (!client.bucketExists(BucketExistsArgs.builder().bucket(bucket).build())) {
                try {
                    client.makeBucket(MakeBucketArgs.builder().bucket(bucket).build());
                } catch (ErrorResponseException e) {
                    // Another replica created it first.
                    if (!"BucketAlreadyOwnedByYou".equals(e.errorResponse().code())) {
                        throw e;
                    }
                }
            }
            return null;
        });
    }

    @Override
    public SourceRef put(Path file, String sha256, long sizeBytes) throws IOException {
        String key = BlobStore.keyFor(sha256);
        if (!exists(key)) {
            call(() -> client.uploadObject(UploadObjectArgs.builder().bucket(bucket).object(key)
                    .filename(file.toString()).contentType("application/gzip").build()));
        }
        return new SourceRef(key, sha256, sizeBytes);
    }

    @Override
    public boolean exists(String key) throws IOException {
        try {
            client.statObject(StatObjectArgs.builder().bucket(bucket).object(key).build());
            return true;
        } catch (ErrorResponseException e) {
            if (ABSENT.contains(e.errorResponse().code())) {
                return false;
            }
            throw new IOException("S3 stat of " + key + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("S3 stat of " + key + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public InputStream open(String key) throws IOException {
        return call(() -> client.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build()));
    }

    @Override
    public URI sourceUrl(String key, Duration validFor) throws IOException {
        int seconds = (int) Math.max(1, Math.min(validFor.toSeconds(), Duration.ofDays(7).toSeconds()));
        return URI.create(call(() -> presigner.getPresignedObjectUrl(GetPresignedObjectUrlArgs.builder()
                .method(Method.GET).bucket(bucket).object(key).expiry(seconds).build())));
    }

    @Override
    public void delete(String key) throws IOException {
        call(() -> {
            client.removeObject(RemoveObjectArgs.builder().bucket(bucket).object(key).build());
            return null;
        });
    }

    @Override
    public Map<String, Instant> list() throws IOException {
        return call(() -> {
            Map<String, Instant> out = new LinkedHashMap<>();
            for (Result<Item> result : client.listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).build())) {
                Item item = result.get();
                if (!item.isDir()) {
                    out.put(item.objectName(), item.lastModified().toInstant());
                }
            }
            return out;
        });
    }

    /** The MinIO client throws a dozen checked exception types; callers of the port only know IOException. */
    private static <T> T call(S3Call<T> call) throws IOException {
        try {
            return call.run();
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("S3 request failed: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface S3Call<T> {
        T run() throws Exception;
    }
}
