package dev.vibed.api;

import dev.vibed.api.apps.AppsHttpService;
import dev.vibed.api.auth.UnauthorizedProblem;
import dev.vibed.api.deploy.DeployHttpService;
import dev.vibed.api.health.HealthHttpService;
import dev.vibed.api.http.CallerResolver;
import dev.vibed.api.http.JsonResponses;
import dev.vibed.core.deploy.DeployService;
import dev.vibed.core.deploy.SourceSpool;
import dev.vibed.core.lifecycle.AppService;
import dev.vibed.core.problem.Problem;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.webserver.http.HttpRouting;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The vibed HTTP API as routing, the same in both modes: the standalone process and the cluster's vibed server
 * build the application services with their own adapters and call {@link #routing}.
 */
public final class VibedApi {
    private static final Logger LOG = Logger.getLogger(VibedApi.class.getName());

    private final DeployService deploys;
    private final AppService apps;
    private final SourceSpool spool;
    private final CallerResolver callers;
    private final Duration deployWait;
    private final long maxSourceBytes;
    private final BooleanSupplier ready;

    public VibedApi(DeployService deploys, AppService apps, SourceSpool spool, CallerResolver callers,
                    Duration deployWait, long maxSourceBytes, BooleanSupplier ready) {
        this.deploys = deploys;
        this.apps = apps;
        this.spool = spool;
        this.callers = callers;
        this.deployWait = deployWait;
        this.maxSourceBytes = maxSourceBytes;
        this.ready = ready;
    }

    private static Problem.Kind kindOf(int status) {
        for (Problem.Kind k : Problem.Kind.values()) {
            if (k.httpStatus() == status) {
                return k;
            }
        }
        return status >= 500 ? Problem.Kind.INTERNAL : Problem.Kind.BAD_REQUEST;
    }

    public void routing(HttpRouting.Builder routing) {
        routing.register("/v1", new DeployHttpService(deploys, spool, callers, deployWait, maxSourceBytes))
                .register("/v1/apps", new AppsHttpService(apps, callers))
                .register("/", new HealthHttpService(ready))
                .error(Problem.class, (req, res, p) -> {
                    if (p instanceof UnauthorizedProblem u) {
                        res.header(HeaderNames.WWW_AUTHENTICATE, u.challenge());
                    }
                    JsonResponses.problem(res, p);
                })
                // Helidon's own refusals (no such route, bad request line, ...) get the same {code, message} shape.
                .error(HttpException.class, (req, res, e) -> JsonResponses.problem(res, new Problem(kindOf(e.status().code()),
                        e.status().code() == 404 ? "not_found" : "http_" + e.status().code(),
                        e.status().code() == 404 ? "no such endpoint: " + req.prologue().method().text() + " " + req.path().path()
                                : e.getMessage())))
                .error(Exception.class, (req, res, e) -> {
                    // Unexpected: log with the stack, answer without internals.
                    LOG.log(Level.WARNING, "request " + req.prologue().method() + " " + req.path().path() + " failed", e);
                    JsonResponses.problem(res, new Problem(Problem.Kind.INTERNAL, "internal", "internal error; see the server log"));
                });
    }
}
