package dev.vibed.api.deploy;

import dev.vibed.api.apps.AppBody;
import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.access.Caller;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.deploy.DeployOutcome;
import dev.vibed.core.deploy.DeployRequest;
import dev.vibed.core.deploy.UploadedSource;
import dev.vibed.core.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import org.apache.commons.fileupload2.core.FileItemInput;
import org.apache.commons.fileupload2.core.FileItemInputIterator;
import org.apache.commons.fileupload2.core.FileUploadException;
import org.apache.commons.fileupload2.core.FileUploadSizeException;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * {@code POST /v1/deploy}: multipart with a {@code source} part (tar.gz) and an optional {@code metadata} part
 * (JSON). It only translates: {@link Vibed#receive} takes the upload (rate limit, size cap) and {@link Vibed#deploy}
 * does the rest. 200 when the URL serves, 202 with {@code status_url} while it is still starting, 422 when the
 * version failed.
 */
public final class DeployHttpService implements HttpService {
    private final Vibed vibed;
    private final CallerResolver callers;

    public DeployHttpService(Vibed vibed, CallerResolver callers) {
        this.vibed = vibed;
        this.callers = callers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/deploy", this::deploy);
    }

    private void deploy(ServerRequest req, ServerResponse res) throws IOException {
        Caller caller = callers.resolve(req);
        if (!MultipartUpload.isMultipart(req)) {
            throw new Problem(Problem.Kind.UNSUPPORTED_MEDIA_TYPE, "multipart_required",
                    "send multipart/form-data with a 'source' part (a .tar.gz) and an optional 'metadata' part (JSON)");
        }
        UploadedSource source = null;
        DeployRequest request = DeployRequest.empty();
        try {
            FileItemInputIterator parts = new MultipartUpload(vibed.limits().maxRequestBytes()).getItemIterator(req);
            while (parts.hasNext()) {
                FileItemInput part = parts.next();
                switch (part.getFieldName() == null ? "" : part.getFieldName()) {
                    case "source" -> {
                        if (source != null) {
                            throw Problem.badRequest("duplicate_part", "only one 'source' part is allowed");
                        }
                        try (InputStream in = part.getInputStream()) {
                            source = vibed.receive(caller, in);
                        }
                    }
                    case "metadata" -> {
                        try (InputStream in = part.getInputStream()) {
                            request = DeployRequest.fromJson(JsonResponses.readSmall(in, "metadata_too_large", "the metadata part"));
                        }
                    }
                    default -> throw Problem.badRequest("unknown_part",
                            "unknown part '" + part.getFieldName() + "'; expected 'source' and optionally 'metadata'");
                }
            }
            if (source == null) {
                throw Problem.badRequest("missing_source", "the 'source' part (a .tar.gz of your app) is missing");
            }
            respond(res, vibed.deploy(caller, source, request));
        } catch (FileUploadSizeException e) {
            throw new Problem(Problem.Kind.TOO_LARGE, "source_too_large",
                    "the upload is larger than " + e.getPermitted() + " bytes", Map.of("limit_bytes", e.getPermitted()));
        } catch (FileUploadException e) {
            throw Problem.badRequest("malformed_multipart", "the multipart body could not be parsed: " + e.getMessage());
        } finally {
            if (source != null) {
                source.close();
            }
        }
    }

    /** The answer to a deploy; {@code code}, {@code message} and {@code last_crash_log} only when it failed. */
    public record DeployAnswer(String appId, String name, String url, String statusUrl, String phase, int version,
                        boolean created, boolean coldStart, String lane, String template, String rule, String reason,
                        String code, String message, String lastCrashLog) {
    }

    private static void respond(ServerResponse res, DeployOutcome outcome) {
        var app = outcome.app();
        var c = outcome.classification();
        boolean failed = outcome.state() == DeployOutcome.State.FAILED;
        var body = new DeployAnswer(app.id(), app.name(), app.url(), AppBody.statusUrl(app.id()), app.phase(),
                outcome.version(), outcome.created(), outcome.coldStart(), c.lane(), c.template(), c.rule(), c.reason(),
                failed ? "deploy_failed" : null,
                failed ? (app.message() == null ? "the app failed to start" : app.message()) : null,
                failed ? app.lastCrashLog() : null);
        switch (outcome.state()) {
            case SERVING -> JsonResponses.send(res, 200, body);
            case PENDING -> {
                res.header(HeaderNames.LOCATION, AppBody.statusUrl(app.id()));
                JsonResponses.send(res, 202, body);
            }
            case FAILED -> JsonResponses.send(res, 422, body);
        }
    }
}
