package dev.vibed.api.deploy;

import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.json.Jsons;
import dev.vibed.core.problem.Problem;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

import java.io.IOException;
import java.io.InputStream;

/**
 * {@code PUT /v1/uploads/{id}}: the one upload a slot from {@link Vibed#createUpload} allows. No credentials: the
 * unguessable id is the secret, and the slot is one-time, expiring and size-capped (all enforced by
 * {@link Vibed#acceptUpload}). The owner then deploys it by id (MCP {@code deploy_app {upload_id}}).
 */
public final class UploadHttpService implements HttpService {
    private final Vibed vibed;

    public UploadHttpService(Vibed vibed) {
        this.vibed = vibed;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.put("/{id}", this::put);
    }

    private void put(ServerRequest req, ServerResponse res) throws IOException {
        String id = req.path().pathParameters().get("id");
        if (!req.content().hasEntity()) {
            throw Problem.badRequest("missing_source", "PUT the .tar.gz of your app as the request body");
        }
        try (InputStream in = req.content().inputStream()) {
            vibed.acceptUpload(id, in);
        }
        JsonResponses.send(res, 200, Jsons.builder()
                .add("upload_id", id)
                .add("status", "received")
                .add("next", "deploy it: MCP deploy_app {name, upload_id} (or update_app {app_id, upload_id})")
                .build());
    }
}
