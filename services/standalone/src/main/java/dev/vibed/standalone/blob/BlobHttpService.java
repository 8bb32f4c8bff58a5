package dev.vibed.standalone.blob;

import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.blob.BlobStore;
import dev.vibed.core.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/** {@code GET /internal/blobs/{sha256}?expires=&sig=}: serves a source archive to an agent holding a signed URL. */
public final class BlobHttpService implements HttpService {
    private final FileBlobStore blobs;
    private final BlobUrlSigner signer;
    private final Clock clock;

    public BlobHttpService(FileBlobStore blobs, BlobUrlSigner signer, Clock clock) {
        this.blobs = blobs;
        this.signer = signer;
        this.clock = clock;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/{sha}", this::serve);
    }

    private void serve(ServerRequest req, ServerResponse res) throws IOException {
        String sha = req.path().pathParameters().get("sha");
        long expires;
        try {
            expires = Long.parseLong(req.query().first("expires").orElse("0"));
        } catch (NumberFormatException e) {
            expires = 0;
        }
        if (!sha.matches("[0-9a-f]{64}") || !signer.verify(sha, expires, req.query().first("sig").orElse(null),
                clock.instant().getEpochSecond())) {
            throw new Problem(Problem.Kind.FORBIDDEN, "bad_signature", "the blob URL is invalid or expired");
        }
        Path file = blobs.path(BlobStore.keyFor(sha));
        if (!Files.exists(file)) {
            JsonResponses.problem(res, Problem.notFound("blob"));
            return;
        }
        res.header(HeaderNames.CONTENT_TYPE, "application/gzip");
        res.header(HeaderNames.CONTENT_LENGTH, String.valueOf(Files.size(file)));
        try (InputStream in = Files.newInputStream(file); OutputStream out = res.outputStream()) {
            in.transferTo(out);
        }
    }
}
