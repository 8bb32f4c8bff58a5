package dev.vibed.api.graphql.ws;

/**
 * The close codes of the graphql-transport-ws protocol (as the graphql-ws library defines them), plus the one
 * we add for a reader too slow to keep up. Clients tell "fix your request" (44xx) from "try again" (1013).
 */
public final class CloseCodes {
    public static final int BAD_REQUEST = 4400;
    public static final int UNAUTHORIZED = 4401;
    public static final int FORBIDDEN = 4403;
    public static final int SUBPROTOCOL_NOT_ACCEPTABLE = 4406;
    public static final int INIT_TIMEOUT = 4408;
    public static final int DUPLICATE_ID = 4409;
    public static final int TOO_MANY_INITS = 4429;
    public static final int INTERNAL = 4500;
    /** RFC 6455 "try again later": the socket fell too far behind and was dropped; reconnect and resume. */
    public static final int SLOW_CONSUMER = 1013;

    private CloseCodes() {
    }
}
