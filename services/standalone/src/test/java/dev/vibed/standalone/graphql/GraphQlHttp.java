package dev.vibed.standalone.graphql;

import dev.vibed.core.json.Jsons;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** GraphQL over HTTP for tests, as a script would call it: POST (or GET) /graphql with a bearer token. */
final class GraphQlHttp {
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    GraphQlHttp(URI base) {
        this.base = base;
    }

    record Answer(int status, String contentType, String body) {
        JsonObject json() {
            return Jsons.parseObject(body);
        }

        JsonObject data() {
            return json().getJsonObject("data");
        }

        /** The first error's extensions.code, or null when there is no error. */
        String code() {
            JsonObject o = json();
            return o.containsKey("errors") ? o.getJsonArray("errors").getJsonObject(0).getJsonObject("extensions").getString("code") : null;
        }

        String message() {
            return json().getJsonArray("errors").getJsonObject(0).getString("message");
        }
    }

    Answer post(String token, String query) {
        return post(token, query, Json.createObjectBuilder().build(), "application/graphql-response+json");
    }

    Answer post(String token, String query, JsonObject variables) {
        return post(token, query, variables, "application/graphql-response+json");
    }

    Answer post(String token, String query, JsonObject variables, String accept) {
        JsonObjectBuilder body = Json.createObjectBuilder().add("query", query).add("variables", variables);
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/graphql")).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").header("Accept", accept)
                .POST(HttpRequest.BodyPublishers.ofString(body.build().toString()));
        return send(token, b);
    }

    Answer get(String token, String query, String accept) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/graphql?query=" + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(60)).header("Accept", accept).GET();
        return send(token, b);
    }

    Answer raw(String token, String method, String path, String contentType, String accept, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        return send(token, b);
    }

    private Answer send(String token, HttpRequest.Builder b) {
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.headers().firstValue("content-type").orElse(""), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
