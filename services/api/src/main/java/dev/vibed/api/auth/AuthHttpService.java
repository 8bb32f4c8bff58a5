package dev.vibed.api.auth;

import dev.vibed.api.http.JsonResponses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;

/** The routes the auth mode itself serves: in oidc mode, the protected resource metadata (RFC 9728). */
final class AuthHttpService implements HttpService {
    private final ProtectedResource resource;

    AuthHttpService(ProtectedResource resource) {
        this.resource = resource;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get(resource.metadataPath(), (req, res) -> JsonResponses.send(res, 200, resource.metadata()));
    }
}
