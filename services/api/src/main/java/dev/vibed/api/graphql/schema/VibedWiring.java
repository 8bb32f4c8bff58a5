package dev.vibed.api.graphql.schema;

import dev.vibed.core.application.AppQuery;
import dev.vibed.core.application.AuditPage;
import dev.vibed.core.application.Vibed;
import dev.vibed.core.lifecycle.AppService;
import dev.vibed.core.lifecycle.AppView;
import dev.vibed.core.problem.Problem;
import graphql.schema.DataFetchingEnvironment;
import graphql.schema.GraphQLSchema;
import graphql.schema.idl.RuntimeWiring;
import graphql.schema.idl.SchemaGenerator;
import graphql.schema.idl.SchemaParser;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds the schema file to the application layer: each query and mutation field is one call into {@link Vibed},
 * and the object types read the facade's records. No rule lives here: limits, defaults, ownership and codes all
 * come from the facade; this class only renames arguments and shapes pages into connections.
 */
public final class VibedWiring {
    private final Vibed vibed;
    private final Subscriptions subscriptions;

    public VibedWiring(Vibed vibed) {
        this.vibed = vibed;
        this.subscriptions = new Subscriptions(vibed);
    }

    public GraphQLSchema schema() {
        return new SchemaGenerator().makeExecutableSchema(new SchemaParser().parse(SchemaFile.text()), wiring());
    }

    private RuntimeWiring wiring() {
        return RuntimeWiring.newRuntimeWiring()
                .scalar(Scalars.DATE_TIME)
                .scalar(Scalars.LONG)
                .type("Query", t -> t
                        .dataFetcher("me", env -> vibed.me(CallerContext.of(env)))
                        .dataFetcher("apps", this::apps)
                        .dataFetcher("app", this::app)
                        .dataFetcher("templates", env -> vibed.templates())
                        .dataFetcher("audit", this::audit))
                .type("Mutation", t -> t
                        .dataFetcher("deleteApp", env -> {
                            vibed.delete(CallerContext.of(env), id(env));
                            return id(env);
                        })
                        .dataFetcher("redeployApp", env -> vibed.redeploy(CallerContext.of(env), id(env)))
                        .dataFetcher("rollbackApp", env -> vibed.rollback(CallerContext.of(env), id(env), env.getArgument("version")))
                        .dataFetcher("suspendApp", env -> vibed.suspend(CallerContext.of(env), id(env)))
                        .dataFetcher("resumeApp", env -> vibed.resume(CallerContext.of(env), id(env)))
                        .dataFetcher("setAppEnv", env -> vibed.setEnv(CallerContext.of(env), id(env), env(env)))
                        .dataFetcher("extendAppTtl", env -> vibed.extendTtl(CallerContext.of(env), id(env), env.getArgument("ttl"))))
                .type("Subscription", t -> t
                        .dataFetcher("appChanged", subscriptions::appChanged)
                        .dataFetcher("appsChanged", subscriptions::appsChanged)
                        .dataFetcher("appLogs", subscriptions::appLogs))
                .type("App", t -> t
                        .dataFetcher("reason", env -> source(env).message())
                        .dataFetcher("env", env -> source(env).env().entrySet().stream()
                                .map(e -> Map.of("name", e.getKey(), "value", e.getValue())).toList())
                        .dataFetcher("versions", env -> vibed.versions(CallerContext.of(env), source(env).id()))
                        .dataFetcher("logs", env -> vibed.logs(CallerContext.of(env), source(env).id(), env.getArgument("tail"))))
                .build();
    }

    private Object apps(DataFetchingEnvironment env) {
        AppService.Page page = vibed.apps(CallerContext.of(env), new AppQuery(env.getArgument("phase"),
                env.getArgument("search"), env.getArgument("after"), env.getArgument("first")));
        return Connections.of(page.apps(), AppView::id, page.nextCursor());
    }

    /** Another owner's app and a missing one look the same: null, with nothing said about why. */
    private Object app(DataFetchingEnvironment env) {
        try {
            return vibed.app(CallerContext.of(env), id(env));
        } catch (Problem p) {
            if (p.kind() == Problem.Kind.NOT_FOUND) {
                return null;
            }
            throw p;
        }
    }

    private Object audit(DataFetchingEnvironment env) {
        AuditPage page = vibed.audit(CallerContext.of(env), env.getArgument("after"), env.getArgument("first"));
        return Connections.of(page.entries(), e -> Long.toString(e.seq()), page.nextCursor());
    }

    private static String id(DataFetchingEnvironment env) {
        return env.getArgument("id");
    }

    private static AppView source(DataFetchingEnvironment env) {
        return env.getSource();
    }

    /** The schema's list of name/value pairs as the facade's map; a name given twice is ambiguous, so refused. */
    private static Map<String, String> env(DataFetchingEnvironment env) {
        List<Map<String, Object>> pairs = env.getArgument("env");
        Map<String, String> out = new LinkedHashMap<>();
        for (Map<String, Object> pair : pairs) {
            String name = (String) pair.get("name");
            if (out.put(name, (String) pair.get("value")) != null) {
                throw Problem.badRequest("invalid_env", "env name " + name + " is given more than once");
            }
        }
        return out;
    }
}
