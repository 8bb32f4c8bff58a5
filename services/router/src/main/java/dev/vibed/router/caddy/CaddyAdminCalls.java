package dev.vibed.router.caddy;

/**
 * Admin API calls a router made: reads (GETs) and writes (everything that makes Caddy reload its config, whose
 * cost grows with the size of the config).
 */
public record CaddyAdminCalls(long reads, long writes) {

    public CaddyAdminCalls minus(CaddyAdminCalls before) {
        return new CaddyAdminCalls(reads - before.reads, writes - before.writes);
    }
}
