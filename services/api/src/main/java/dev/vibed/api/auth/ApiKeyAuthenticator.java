package dev.vibed.api.auth;

import dev.vibed.core.access.Caller;

/** Auth mode apikey: {@code Authorization: Bearer <key>}, looked up among the configured keys' hashes. */
public final class ApiKeyAuthenticator implements Authenticator {
    private final ApiKeys keys;
    private final BearerChallenge challenge = new BearerChallenge(null);

    public ApiKeyAuthenticator(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public Caller authenticate(String authorizationHeader) {
        String key = challenge.bearerToken(authorizationHeader);
        if (key == null) {
            throw challenge.missing();
        }
        Caller caller = keys.find(key);
        if (caller == null) {
            throw challenge.invalid("unknown API key");
        }
        return caller;
    }
}
