package dev.vibed.standalone.graphql;

import dev.vibed.core.testing.RepoRoot;
import dev.vibed.core.testing.TarGz;
import dev.vibed.standalone.Standalone;
import dev.vibed.standalone.StandaloneConfig;
import dev.vibed.standalone.testing.Apps;
import dev.vibed.standalone.testing.Http;
import dev.vibed.standalone.testing.RunningStandalone;
import graphql.introspection.IntrospectionQuery;
import graphql.introspection.IntrospectionResultToSchema;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.SchemaPrinter;
import graphql.schema.idl.UnExecutableSchemaGenerator;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GraphQL over HTTP against a real standalone vibeD: the schema served equals the file, queries and paging,
 * every mutation, the error codes, depth and complexity limits, GET/POST rules, GraphiQL, and the cross-owner
 * rows (another user's app is null or not_found, and the answers leak nothing).
 */
class GraphQlHttpTest {
    @TempDir
    static Path data;
    static Standalone vibed;
    static GraphQlHttp gql;
    static Http alice;

    static final String APP_FIELDS = "id name owner phase url template lane rule reason suspended activeVersion servingVersion "
            + "generation observedGeneration restarts lastCrashLog createdAt lastDeployedAt expiresAt "
            + "env { name value } conditions { type status reason } versions { version active outcome sizeBytes sourceSha256 }";

    @BeforeAll
    static void start() throws IOException {
        vibed = RunningStandalone.start(StandaloneConfig.defaults(data).withPort(0).withTemplates(Set.of("static", "node")),
                TwoUsers.resolver());
        gql = new GraphQlHttp(vibed.apiUri());
        alice = new Http(vibed.apiUri(), "Bearer " + TwoUsers.ALICE);
    }

    @AfterAll
    static void stop() {
        vibed.close();
    }

    static String deployAsAlice(String name) {
        Http.Response res = alice.deploy(Apps.staticSite(name), "{\"name\":\"" + name + "\",\"env\":{\"SECRET\":\"s3cr3t\"}}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        return res.json().getString("app_id");
    }

    @Test
    void theSchemaServedIsTheSchemaFile() throws IOException {
        String file = Files.readString(RepoRoot.find().resolve("schema/graphql/vibed.graphqls"));
        GraphQlHttp.Answer served = gql.raw(null, "GET", "/graphql/schema.graphqls", null, null, null);
        assertThat(served.status()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(file);

        GraphQlHttp.Answer introspection = gql.post(TwoUsers.ALICE, IntrospectionQuery.INTROSPECTION_QUERY);
        assertThat(introspection.status()).as(introspection.body()).isEqualTo(200);
        @SuppressWarnings("unchecked")
        Map<String, Object> result = (Map<String, Object>) dev.vibed.api.graphql.GraphQlJson.toJava(introspection.data());
        SchemaPrinter printer = new SchemaPrinter(SchemaPrinter.Options.defaultOptions().includeDirectives(false));
        String fromServer = printer.print(new IntrospectionResultToSchema().createSchemaDefinition(result));
        String fromFile = printer.print(UnExecutableSchemaGenerator.makeUnExecutableSchema(new SchemaParser().parse(file)));
        assertThat(normalise(fromServer)).isEqualTo(normalise(fromFile));
    }

    /** Printers differ only in how they order and space definitions; compare the sorted non-blank lines. */
    private static List<String> normalise(String sdl) {
        return sdl.lines().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }

    @Test
    void queriesMeTemplatesAndOneApp() {
        String id = deployAsAlice("gql-one");
        JsonObject data = gql.post(TwoUsers.ALICE, "query($id: ID!) { me { subject admin apps maxApps roles } "
                + "templates { name lane description } app(id: $id) { " + APP_FIELDS + " } }",
                Json.createObjectBuilder().add("id", id).build()).data();

        assertThat(data.getJsonObject("me").getString("subject")).isEqualTo("alice");
        assertThat(data.getJsonObject("me").getBoolean("admin")).isFalse();
        assertThat(data.getJsonObject("me").getInt("apps")).isGreaterThanOrEqualTo(1);
        assertThat(data.getJsonArray("templates").stream().map(t -> t.asJsonObject().getString("name")).toList())
                .contains("static", "node");
        JsonObject app = data.getJsonObject("app");
        assertThat(app.getString("id")).isEqualTo(id);
        assertThat(app.getString("name")).isEqualTo("gql-one");
        assertThat(app.getString("owner")).isEqualTo("alice");
        assertThat(app.getString("phase")).isEqualTo("Ready");
        assertThat(app.getString("template")).isEqualTo("static");
        assertThat(app.getString("lane")).isEqualTo("fast");
        assertThat(app.getString("url")).isEqualTo("http://" + id + ".localhost:" + vibed.port() + "/");
        assertThat(app.getInt("activeVersion")).isEqualTo(1);
        assertThat(app.getInt("servingVersion")).isEqualTo(1);
        assertThat(Instant.parse(app.getString("createdAt"))).isBefore(Instant.now().plusSeconds(1));
        assertThat(app.getJsonArray("env").getJsonObject(0).getString("name")).isEqualTo("SECRET");
        assertThat(app.getJsonArray("env").getJsonObject(0).getString("value")).doesNotContain("s3cr3t");
        assertThat(app.toString()).doesNotContain("s3cr3t");
        assertThat(app.getJsonArray("conditions").stream().map(c -> c.asJsonObject().getString("type")).toList()).contains("Ready");
        assertThat(app.getJsonArray("versions").getJsonObject(0).getInt("version")).isEqualTo(1);
        assertThat(app.getJsonArray("versions").getJsonObject(0).getBoolean("active")).isTrue();
        assertThat(app.getJsonArray("versions").getJsonObject(0).getJsonNumber("sizeBytes").longValue()).isPositive();
    }

    @Test
    void appsPageByCursorAndFilter() {
        for (String n : List.of("page-a", "page-b", "page-c")) {
            deployAsAlice(n);
        }
        String q = "query($after: String) { apps(first: 2, after: $after, search: \"page-\") { "
                + "edges { cursor node { name } } nodes { name } pageInfo { hasNextPage endCursor } } }";
        JsonObject first = gql.post(TwoUsers.ALICE, q, Json.createObjectBuilder().addNull("after").build()).data().getJsonObject("apps");
        assertThat(names(first)).containsExactly("page-a", "page-b");
        assertThat(first.getJsonObject("pageInfo").getBoolean("hasNextPage")).isTrue();
        assertThat(first.getJsonArray("edges").getJsonObject(1).getString("cursor"))
                .isEqualTo(first.getJsonObject("pageInfo").getString("endCursor"));

        JsonObject second = gql.post(TwoUsers.ALICE, q, Json.createObjectBuilder()
                .add("after", first.getJsonObject("pageInfo").getString("endCursor")).build()).data().getJsonObject("apps");
        assertThat(names(second)).containsExactly("page-c");
        assertThat(second.getJsonObject("pageInfo").getBoolean("hasNextPage")).isFalse();

        JsonObject ready = gql.post(TwoUsers.ALICE, "{ apps(phase: Ready, search: \"page-b\") { nodes { name phase } } }").data();
        assertThat(names(ready.getJsonObject("apps"))).containsExactly("page-b");
        JsonObject suspended = gql.post(TwoUsers.ALICE, "{ apps(phase: Suspended, search: \"page-\") { nodes { name } } }").data();
        assertThat(names(suspended.getJsonObject("apps"))).isEmpty();

        GraphQlHttp.Answer tooBig = gql.post(TwoUsers.ALICE, "{ apps(first: 0) { nodes { id } } }");
        assertThat(tooBig.code()).isEqualTo("invalid_limit");
    }

    private static List<String> names(JsonObject connection) {
        return connection.getJsonArray("nodes").stream().map(n -> n.asJsonObject().getString("name")).toList();
    }

    @Test
    void everyMutation() {
        String id = deployAsAlice("gql-mut");
        JsonObject vars = Json.createObjectBuilder().add("id", id).build();

        JsonObject env = gql.post(TwoUsers.ALICE, "mutation($id: ID!) { setAppEnv(id: $id, env: [{name: \"A\", value: \"1\"}, "
                + "{name: \"B\", value: \"two\"}]) { activeVersion env { name value } } }", vars).data().getJsonObject("setAppEnv");
        assertThat(env.getInt("activeVersion")).isEqualTo(2);
        assertThat(env.getJsonArray("env").stream().map(e -> e.asJsonObject().getString("name")).toList()).containsExactly("A", "B");
        assertThat(env.toString()).doesNotContain("two");

        JsonObject redeployed = gql.post(TwoUsers.ALICE, "mutation($id: ID!) { redeployApp(id: $id) { activeVersion } }", vars).data();
        assertThat(redeployed.getJsonObject("redeployApp").getInt("activeVersion")).isEqualTo(3);

        JsonObject rolledBack = gql.post(TwoUsers.ALICE, "mutation($id: ID!) { rollbackApp(id: $id, version: 1) { activeVersion env { name } } }", vars).data();
        assertThat(rolledBack.getJsonObject("rollbackApp").getInt("activeVersion")).isEqualTo(1);
        assertThat(rolledBack.getJsonObject("rollbackApp").getJsonArray("env").getJsonObject(0).getString("name")).isEqualTo("SECRET");
        assertThat(gql.post(TwoUsers.ALICE, "mutation($id: ID!) { rollbackApp(id: $id, version: 0) { id } }", vars).code())
                .isEqualTo("invalid_version");

        JsonObject suspended = gql.post(TwoUsers.ALICE, "mutation($id: ID!) { suspendApp(id: $id) { suspended } }", vars).data();
        assertThat(suspended.getJsonObject("suspendApp").getBoolean("suspended")).isTrue();
        await().atMost(Duration.ofSeconds(30)).until(() -> phase(id).equals("Suspended"));
        JsonObject resumed = gql.post(TwoUsers.ALICE, "mutation($id: ID!) { resumeApp(id: $id) { suspended } }", vars).data();
        assertThat(resumed.getJsonObject("resumeApp").getBoolean("suspended")).isFalse();
        await().atMost(Duration.ofSeconds(30)).until(() -> phase(id).equals("Ready"));

        JsonObject extended = gql.post(TwoUsers.ALICE, "mutation($id: ID!) { extendAppTtl(id: $id, ttl: \"2h\") { expiresAt } }", vars).data();
        Instant expires = Instant.parse(extended.getJsonObject("extendAppTtl").getString("expiresAt"));
        assertThat(expires).isBetween(Instant.now().plus(Duration.ofMinutes(119)), Instant.now().plus(Duration.ofMinutes(121)));
        assertThat(gql.post(TwoUsers.ALICE, "mutation($id: ID!) { extendAppTtl(id: $id, ttl: \"soon\") { id } }", vars).code())
                .isEqualTo("invalid_ttl");

        JsonObject deleted = gql.post(TwoUsers.ALICE, "mutation($id: ID!) { deleteApp(id: $id) }", vars).data();
        assertThat(deleted.getString("deleteApp")).isEqualTo(id);
        assertThat(gql.post(TwoUsers.ALICE, "query($id: ID!) { app(id: $id) { id } }", vars).data().isNull("app")).isTrue();

        // Every one of those actions is in the audit log, which only an admin may read.
        JsonObject audit = gql.post(TwoUsers.ROOT, "{ audit(first: 500) { nodes { actor action appId outcome } } }").data();
        List<String> actions = audit.getJsonObject("audit").getJsonArray("nodes").stream().map(JsonObject.class::cast)
                .filter(e -> id.equals(e.getString("appId", null)) && e.getString("outcome").equals("ok")).map(e -> e.getString("action")).toList();
        assertThat(actions).contains("set_env", "redeploy", "rollback", "suspend", "resume", "extend_ttl", "delete");
        assertThat(gql.post(TwoUsers.ALICE, "{ audit { nodes { seq } } }").code()).isEqualTo("forbidden");
    }

    private static String phase(String id) {
        return gql.post(TwoUsers.ALICE, "query($id: ID!) { app(id: $id) { phase } }", Json.createObjectBuilder().add("id", id).build())
                .data().getJsonObject("app").getString("phase");
    }

    @Test
    void appLogsField() {
        Http.Response res = alice.deploy(TarGz.create()
                .file("package.json", "{\"name\":\"talk\",\"scripts\":{\"start\":\"node server.js\"}}")
                .file("server.js", "console.log('hello from the log field');\n"
                        + "require('http').createServer((q, r) => r.end('ok')).listen(process.env.PORT, process.env.HOST || '127.0.0.1');")
                .bytes(), "{\"name\":\"gql-logs\"}");
        assertThat(res.status()).as(res.body()).isEqualTo(200);
        String id = res.json().getString("app_id");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(gql.post(TwoUsers.ALICE,
                "query($id: ID!) { app(id: $id) { logs(tail: 10) { seq stream line } } }", Json.createObjectBuilder().add("id", id).build())
                .body()).contains("hello from the log field"));
    }

    @Test
    void depthAndComplexityAreLimited() {
        String natural = "{ apps { edges { node { conditions { type } versions { version } } } pageInfo { endCursor } } }";
        assertThat(gql.post(TwoUsers.ALICE, natural).status()).isEqualTo(200);
        // Introspection is deep by nature and allowed alone; mixed into a data query it counts like any field.
        String ofTypes = "type { ofType { ofType { ofType { ofType { ofType { ofType { ofType { name } } } } } } } }";
        assertThat(gql.post(TwoUsers.ALICE, "{ __schema { types { fields { " + ofTypes + " } } } }").status()).isEqualTo(200);
        GraphQlHttp.Answer deep = gql.post(TwoUsers.ALICE, "{ me { subject } __schema { types { fields { " + ofTypes + " } } } }");
        assertThat(deep.status()).as(deep.body()).isEqualTo(400);
        assertThat(deep.code()).isEqualTo("query_too_deep");
        assertThat(deep.body()).doesNotContain("\"data\"");

        String wide = "{ apps(first: 500) { nodes { " + APP_FIELDS + " logs(tail: 5000) { seq line } } } }";
        GraphQlHttp.Answer complex = gql.post(TwoUsers.ALICE, wide);
        assertThat(complex.status()).as(complex.body()).isEqualTo(400);
        assertThat(complex.code()).isEqualTo("query_too_complex");
        assertThat(gql.post(TwoUsers.ALICE, IntrospectionQuery.INTROSPECTION_QUERY).status()).isEqualTo(200);
    }

    @Test
    void httpRulesOfGraphQlOverHttp() {
        GraphQlHttp.Answer get = gql.get(TwoUsers.ALICE, "{ me { subject } }", "application/graphql-response+json");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.contentType()).startsWith("application/graphql-response+json");
        assertThat(get.data().getJsonObject("me").getString("subject")).isEqualTo("alice");

        GraphQlHttp.Answer mutationOverGet = gql.get(TwoUsers.ALICE, "mutation { deleteApp(id: \"x\") }", "application/graphql-response+json");
        assertThat(mutationOverGet.status()).isEqualTo(405);
        assertThat(mutationOverGet.code()).isEqualTo("method_not_allowed");

        GraphQlHttp.Answer invalid = gql.post(TwoUsers.ALICE, "{ me { nope } }");
        assertThat(invalid.status()).isEqualTo(400);
        assertThat(invalid.code()).isEqualTo("invalid_query");
        GraphQlHttp.Answer legacy = gql.post(TwoUsers.ALICE, "{ me { nope } }", Json.createObjectBuilder().build(), "application/json");
        assertThat(legacy.status()).isEqualTo(200);
        assertThat(legacy.contentType()).startsWith("application/json");
        assertThat(gql.post(TwoUsers.ALICE, "{ me { subject ").code()).isEqualTo("invalid_syntax");

        assertThat(gql.raw(TwoUsers.ALICE, "POST", "/graphql", "text/plain", null, "{ me { subject } }").status()).isEqualTo(415);
        assertThat(gql.raw(TwoUsers.ALICE, "POST", "/graphql", "application/json", null, "not json").code()).isEqualTo("bad_request");
        assertThat(gql.post(TwoUsers.ALICE, "subscription { appsChanged { appId } }").code()).isEqualTo("bad_request");

        GraphQlHttp.Answer anonymous = gql.post(null, "{ me { subject } }");
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("unauthorized");
    }

    @Test
    void graphiqlIsServedFromTheJar() {
        GraphQlHttp.Answer page = gql.raw(null, "GET", "/graphql", null, "text/html,application/xhtml+xml", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
        assertThat(page.body()).contains("/graphql/graphiql/graphiql.js").contains("/graphql/graphiql/graphiql.css")
                .doesNotContain("https://").doesNotContain("unpkg").doesNotContain("jsdelivr");

        GraphQlHttp.Answer script = gql.raw(null, "GET", "/graphql/graphiql/graphiql.js", null, null, null);
        assertThat(script.status()).isEqualTo(200);
        assertThat(script.contentType()).startsWith("text/javascript");
        assertThat(script.body().length()).isGreaterThan(200_000);
        assertThat(script.body()).contains("graphql-transport-ws");
        GraphQlHttp.Answer css = gql.raw(null, "GET", "/graphql/graphiql/graphiql.css", null, null, null);
        assertThat(css.status()).isEqualTo(200);
        assertThat(css.body()).contains(".graphiql-container");
        assertThat(gql.raw(null, "GET", "/graphql/graphiql/..%2Fvibed.graphqls", null, null, null).status()).isEqualTo(404);
    }

    @Test
    void anotherOwnersAppDoesNotExistForBob() {
        String id = deployAsAlice("gql-private");
        JsonObject vars = Json.createObjectBuilder().add("id", id).build();
        JsonObject missing = Json.createObjectBuilder().add("id", id.replaceAll(".$", "") + "q").build();

        assertThat(gql.post(TwoUsers.BOB, "query($id: ID!) { app(id: $id) { id name } }", vars).body())
                .isEqualTo("{\"data\":{\"app\":null}}");
        assertThat(gql.post(TwoUsers.BOB, "{ apps(first: 500) { nodes { id } } }").body()).doesNotContain(id);
        assertThat(gql.post(TwoUsers.BOB, "{ me { apps } }").data().getJsonObject("me").getInt("apps")).isZero();

        for (String mutation : List.of(
                "deleteApp(id: $id)",
                "redeployApp(id: $id) { id }",
                "rollbackApp(id: $id, version: 1) { id }",
                "suspendApp(id: $id) { id }",
                "resumeApp(id: $id) { id }",
                "setAppEnv(id: $id, env: [{name: \"X\", value: \"y\"}]) { id }",
                "extendAppTtl(id: $id, ttl: \"1h\") { id }")) {
            String q = "mutation($id: ID!) { " + mutation + " }";
            GraphQlHttp.Answer theirs = gql.post(TwoUsers.BOB, q, vars);
            GraphQlHttp.Answer nobodys = gql.post(TwoUsers.BOB, q, missing);
            assertThat(theirs.code()).as(mutation).isEqualTo("not_found");
            assertThat(theirs.body().replace(id, "ID")).as(mutation)
                    .isEqualTo(nobodys.body().replace(missing.getString("id"), "ID"));
            assertThat(theirs.body()).doesNotContain("alice").doesNotContain("gql-private");
        }
        // Nothing bob tried changed alice's app.
        JsonObject app = gql.post(TwoUsers.ALICE, "query($id: ID!) { app(id: $id) { activeVersion suspended expiresAt phase } }", vars)
                .data().getJsonObject("app");
        assertThat(app.getInt("activeVersion")).isEqualTo(1);
        assertThat(app.getBoolean("suspended")).isFalse();
        assertThat(app.getString("phase")).isEqualTo("Ready");
        // The admin sees it.
        assertThat(gql.post(TwoUsers.ROOT, "query($id: ID!) { app(id: $id) { owner } }", vars).data()
                .getJsonObject("app").getString("owner")).isEqualTo("alice");
    }
}
